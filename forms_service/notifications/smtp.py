"""Sending mail through the SMTP server named by ``FORMS_SERVICE_SMTP_URL``.

    smtp://host:25                      plain (a relay on the local network)
    smtp+starttls://user:pass@host:587  STARTTLS, then login
    smtps://user:pass@host:465          TLS from the start, then login

User name and password are URL-encoded in the URL. A failure raises ``SmtpError`` with a
message that names the server but never the password.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_SECONDS = 20


class SmtpError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "none" | "starttls" | "ssl"
    username: str | None = None
    password: str | None = None

    @property
    def display(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def parse_smtp_url(url: str) -> SmtpSettings:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(
            "FORMS_SERVICE_SMTP_URL skal have formen smtp://vært:port, "
            "smtp+starttls://bruger:kode@vært:587 eller smtps://bruger:kode@vært:465."
        )
    security = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "ssl"}[scheme]
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[scheme],
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def send_message(settings: SmtpSettings, message: EmailMessage) -> None:
    try:
        client: smtplib.SMTP
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SmtpError(f"SMTP {settings.display}: {type(error).__name__}: {error}") from None
