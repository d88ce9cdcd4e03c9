"""Delivery settings from ``FORMS_SERVICE_*`` environment variables.

FORMS_SERVICE_SMTP_URL   the SMTP server (see smtp.py); without it e-mails wait and retry
FORMS_SERVICE_MAIL_FROM  the sender (default "Seniorpension <noreply@seniorpension.invalid>")
FORMS_SERVICE_BASE_URL   the service's public address, for links (default http://127.0.0.1:5000)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from forms_service.notifications.smtp import SmtpSettings, parse_smtp_url

DEFAULT_SENDER = "Seniorpension <noreply@seniorpension.invalid>"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# Seconds to wait after the 1st, 2nd, ... failed attempt; one more try than delays, then failed.
DEFAULT_RETRY_DELAYS: tuple[int, ...] = (60, 300, 1800, 7200, 21600, 86400)


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    base_url: str = DEFAULT_BASE_URL
    sender: str = DEFAULT_SENDER
    smtp: SmtpSettings | None = None
    retry_delays: tuple[int, ...] = field(default=DEFAULT_RETRY_DELAYS)
    # A claimed delivery is someone else's for this long (a crashed worker's claim expires).
    lease_seconds: int = 300
    batch_size: int = 200
    # Messages in flight at once in one worker: delivery waits on the network, not the CPU.
    concurrency: int = 8
    # A subscription is disabled after this many deliveries in a row failed for good.
    disable_after: int = 3
    # An event older than this when first fanned out goes to nobody: the demo's replayed
    # history, or months of events recorded before anyone ran a delivery, are not news.
    max_event_age_days: int = 14

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays) + 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> DeliverySettings:
        env = os.environ if environ is None else environ
        smtp_url = env.get("FORMS_SERVICE_SMTP_URL")
        return cls(
            base_url=env.get("FORMS_SERVICE_BASE_URL") or DEFAULT_BASE_URL,
            sender=env.get("FORMS_SERVICE_MAIL_FROM") or DEFAULT_SENDER,
            smtp=parse_smtp_url(smtp_url) if smtp_url else None,
        )
