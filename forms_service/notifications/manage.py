"""What an admin changes: mailboxes, webhook subscriptions, users' preferences; and the
delivery log. Shared by the CLI and the admin pages, so both check input the same way."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from forms_service.cases.models import utcnow
from forms_service.notifications.kinds import EventType
from forms_service.notifications.models import (
    SENIORPENSION_MAILBOX,
    NotificationDelivery,
    NotificationMailbox,
    NotificationPreference,
    WebhookSubscription,
)
from forms_service.notifications.webhooks import new_secret
from forms_service.seniorpension.municipalities import municipality_by_code

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class NotificationInputError(ValueError):
    """Bad input from an admin, with a Danish message."""


def check_email(address: str) -> str:
    address = (address or "").strip()
    if not _EMAIL.match(address):
        raise NotificationInputError(f"»{address}« er ikke en gyldig e-mailadresse.")
    return address


def check_municipality(code: int | str) -> int:
    if str(code).strip().lower() in ("0", "seniorpension"):
        return SENIORPENSION_MAILBOX
    try:
        return municipality_by_code(int(code)).code
    except (KeyError, ValueError):
        raise NotificationInputError(f"Ukendt kommunekode: {code}.") from None


def mailbox_owner(code: int) -> str:
    if code == SENIORPENSION_MAILBOX:
        return "Seniorpension"
    return f"{municipality_by_code(code).name} Kommune"


# --- mailboxes ------------------------------------------------------------------------------


def mailboxes(session: Session) -> list[NotificationMailbox]:
    return list(
        session.scalars(select(NotificationMailbox).order_by(NotificationMailbox.municipality_code))
    )


def set_mailbox(session: Session, code: int | str, address: str, *, by: str) -> NotificationMailbox:
    municipality = check_municipality(code)
    address = check_email(address)
    row = session.get(NotificationMailbox, municipality)
    if row is None:
        row = NotificationMailbox(municipality_code=municipality, address=address)
        session.add(row)
    row.address = address
    row.updated_at = utcnow()
    row.updated_by = by
    session.commit()
    return row


def remove_mailbox(session: Session, code: int | str) -> bool:
    row = session.get(NotificationMailbox, check_municipality(code))
    if row is None:
        return False
    session.delete(row)
    session.commit()
    return True


# --- webhook subscriptions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewSubscription:
    subscription: WebhookSubscription
    secret: str  # shown once; afterwards only its prefix


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise NotificationInputError(
            "Adressen skal være en http(s)-URL, fx https://fagsystem.kommune.dk/hooks."
        )
    return url


def check_event_types(values: list[str] | tuple[str, ...]) -> list[str]:
    if not values:
        raise NotificationInputError("Vælg mindst én hændelsestype.")
    known = {e.value for e in EventType}
    unknown = [v for v in values if v not in known]
    if unknown:
        raise NotificationInputError(
            f"Ukendt hændelsestype: {', '.join(unknown)}. Kendte: {', '.join(sorted(known))}."
        )
    return sorted(set(values))


def add_subscription(
    session: Session,
    url: str,
    event_types: list[str] | tuple[str, ...],
    *,
    municipality_code: int | str | None,
    description: str | None = None,
    by: str,
) -> NewSubscription:
    code = None
    if municipality_code not in (None, ""):
        code = check_municipality(municipality_code)  # type: ignore[arg-type]
        if code == SENIORPENSION_MAILBOX:
            code = None
    secret = new_secret()
    subscription = WebhookSubscription(
        url=check_url(url),
        event_types=check_event_types(list(event_types)),
        municipality_code=code,
        description=(description or "").strip() or None,
        secret=secret,
        active=True,
        failed_deliveries=0,
        created_at=utcnow(),
        created_by=by,
    )
    session.add(subscription)
    session.commit()
    return NewSubscription(subscription, secret)


def subscriptions(session: Session) -> list[WebhookSubscription]:
    return list(session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))


def set_subscription_active(
    session: Session, subscription_id: int, active: bool, *, reason: str | None = None
) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotificationInputError(f"Abonnement {subscription_id} findes ikke.")
    subscription.active = active
    if active:
        subscription.failed_deliveries = 0
        subscription.disabled_at = None
        subscription.disabled_reason = None
    else:
        subscription.disabled_at = utcnow()
        subscription.disabled_reason = reason or "Deaktiveret af en administrator."
    session.commit()
    return subscription


# --- preferences ----------------------------------------------------------------------------


def preference_of(session: Session, user_id: int) -> NotificationPreference:
    row = session.get(NotificationPreference, user_id)
    return row or NotificationPreference(user_id=user_id, email=None, opted_out=[])


def set_preference(
    session: Session, user_id: int, email: str | None, opted_out: list[str]
) -> NotificationPreference:
    row = session.get(NotificationPreference, user_id)
    if row is None:
        row = NotificationPreference(user_id=user_id)
        session.add(row)
    row.email = check_email(email) if (email or "").strip() else None
    kinds = {e.value: e for e in EventType}
    row.opted_out = sorted(k for k in set(opted_out) if k in kinds and not kinds[k].required)
    session.commit()
    return row


# --- the delivery log -----------------------------------------------------------------------


def delivery_log(
    session: Session, *, status: str | None = None, limit: int = 200
) -> list[NotificationDelivery]:
    query = (
        select(NotificationDelivery)
        .options(joinedload(NotificationDelivery.event))
        .order_by(NotificationDelivery.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(NotificationDelivery.status == status)
    return list(session.scalars(query))


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise NotificationInputError(f"»{value}« er ikke en dato (ÅÅÅÅ-MM-DD).") from None
