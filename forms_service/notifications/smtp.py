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
import threading
from dataclasses import dataclass
from email.message import Message
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


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
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
    if settings.security == "starttls":
        client.starttls(context=ssl.create_default_context())
    if settings.username:
        client.login(settings.username, settings.password or "")
    return client


def send_message(settings: SmtpSettings, message: Message) -> None:
    """One message on a connection of its own."""
    with Mailer(settings) as mailer:
        mailer.send(message)


class Mailer:
    """Sends on one kept-open connection per thread (a delivery run sends many messages);
    a connection the server has closed meanwhile is opened again once."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._clients: list[smtplib.SMTP] = []
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        try:
            try:
                self._client().send_message(message)
            except smtplib.SMTPServerDisconnected:
                self._local.client = None
                self._client().send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            self._local.client = None  # a failed connection is not reused
            raise SmtpError(
                f"SMTP {self.settings.display}: {type(error).__name__}: {error}"
            ) from None

    def _client(self) -> smtplib.SMTP:
        client = getattr(self._local, "client", None)
        if client is None:
            client = _connect(self.settings)
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
