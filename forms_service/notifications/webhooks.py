"""Webhooks signed as the Standard Webhooks specification says (standardwebhooks.com).

Each request carries three headers:

    webhook-id         the event's message id (the same on every retry and redelivery)
    webhook-timestamp  seconds since the epoch when this attempt was signed
    webhook-signature  "v1,<base64 HMAC-SHA256 of '<id>.<timestamp>.<body>'>"

The key is the subscription's secret without its ``whsec_`` prefix, base64-decoded. The body
is JSON with the event type, ids, links and the case number; never a CPR number or answers
(the receiver fetches the case with its own API token, so the municipality isolation stays in
one place, the API).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from forms_service.notifications.models import NotificationEvent

SECRET_PREFIX = "whsec_"  # noqa: S105  (the prefix, not a secret)
TIMEOUT_SECONDS = 15
TOLERANCE_SECONDS = 5 * 60


class WebhookError(Exception):
    pass


class SignatureError(Exception):
    pass


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> None:
    """What a receiver does (and the tests do): raise ``SignatureError`` unless it holds."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        message_id = lower["webhook-id"]
        timestamp = int(lower["webhook-timestamp"])
        signatures = lower["webhook-signature"].split()
    except (KeyError, ValueError):
        raise SignatureError("missing or malformed webhook headers") from None
    if abs((now if now is not None else time.time()) - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance")
    expected = sign(secret, message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("no signature matches")


def payload(event: NotificationEvent, *, base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    data: dict[str, Any] = {
        "case_id": event.case_id,
        "case_number": event.case_number,
        "municipality_code": event.municipality_code,
        "links": {
            "case": f"{base}/api/v1/cases/{event.case_id}",
            "answers": f"{base}/api/v1/cases/{event.case_id}/answers",
            "page": f"{base}/cases/{event.case_id}",
        },
    }
    safe = {k: v for k, v in (event.data or {}).items() if k in PUBLIC_DATA}
    return {
        "type": event.type,
        "timestamp": event.occurred_at.isoformat(),
        "data": data | safe,
    }


# Event data a webhook may carry: statuses, versions, dates. Not the return reason: it is free
# text written to the municipality, which the receiver reads through the API like the rest.
PUBLIC_DATA = frozenset(
    {
        "from_status",
        "to_status",
        "outcome",
        "municipality_deadline",
        "decision_deadline",
        "from_version",
        "to_version",
        "form",
        "deadline",
        "date",
        "days_left",
    }
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is a failed delivery, as the specification says


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True, slots=True)
class WebhookResponse:
    status: int


def post(url: str, secret: str, message_id: str, body: bytes) -> WebhookResponse:
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310  (the admin sets http(s) URLs only)
        url,
        data=body,
        method="POST",
        headers={
            "content-type": "application/json",
            "user-agent": "forms-service-webhooks/1",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise WebhookError(f"HTTP {error.code} fra {url}") from None
    except (OSError, ValueError) as error:
        raise WebhookError(f"{type(error).__name__}: {error}") from None
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status} fra {url}")
    return WebhookResponse(status)


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
