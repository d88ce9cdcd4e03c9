"""Who receives an event: e-mail addresses and webhook subscriptions.

E-mail:
- the municipality's functional mailbox and the municipal caseworker on the case, for what
  the municipality may see and has to act on;
- Seniorpension's mailbox and its caseworker on the case, for submissions and Seniorpension's
  own decision deadline.
A user's personal copy respects their opt-outs unless the kind is required; a mailbox always
receives.

Webhooks: an active subscription for the event's type whose municipality is the event's (or
no municipality: Seniorpension's own systems), and for a municipality only what it may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.models import AnswerSet, CaseEvent, User
from forms_service.cases.roles import Role
from forms_service.notifications.kinds import DECISION_DEADLINE, EventType
from forms_service.notifications.models import (
    SENIORPENSION_MAILBOX,
    NotificationEvent,
    NotificationMailbox,
    NotificationPreference,
    WebhookSubscription,
)

EMAIL = "email"
WEBHOOK = "webhook"

TO_MUNICIPALITY: frozenset[EventType] = frozenset(
    {
        EventType.CASE_SENT,
        EventType.CASE_RETURNED,
        EventType.CASE_SUFFICIENTLY_INFORMED,
        EventType.CASE_DECIDED,
        EventType.CASE_VERSION_MOVED,
    }
)
TO_SENIORPENSION: frozenset[EventType] = frozenset({EventType.CASE_SUBMITTED})


@dataclass(frozen=True, slots=True)
class Recipient:
    channel: str
    address: str  # e-mail address or webhook URL
    subscription_id: int | None = None


def recipients(session: Session, event: NotificationEvent) -> list[Recipient]:
    kind = EventType(event.type)
    found: list[Recipient] = []
    seen: set[tuple[str, str]] = set()

    def add(recipient: Recipient) -> None:
        key = (recipient.channel, recipient.address.lower())
        if key not in seen:
            seen.add(key)
            found.append(recipient)

    for address in _email_addresses(session, event, kind):
        add(Recipient(EMAIL, address))
    for subscription in subscriptions_for(session, event):
        add(Recipient(WEBHOOK, subscription.url, subscription.id))
    return found


def _email_addresses(session: Session, event: NotificationEvent, kind: EventType) -> list[str]:
    to_municipality, to_seniorpension = _parties(event, kind)
    addresses: list[str] = []
    if to_municipality:
        addresses += _mailbox(session, event.municipality_code)
        addresses += _personal(session, kind, _municipal_caseworkers(session, event))
    if to_seniorpension:
        addresses += _mailbox(session, SENIORPENSION_MAILBOX)
        addresses += _personal(session, kind, _seniorpension_caseworkers(session, event))
    return addresses


def _parties(event: NotificationEvent, kind: EventType) -> tuple[bool, bool]:
    if kind in (EventType.DEADLINE_APPROACHING, EventType.DEADLINE_MISSED):
        decision = event.data.get("deadline") == DECISION_DEADLINE
        # A missed municipal deadline concerns Seniorpension too: it waits for the answers.
        return (not decision, decision or kind is EventType.DEADLINE_MISSED)
    return (kind in TO_MUNICIPALITY and event.municipality_visible, kind in TO_SENIORPENSION)


def _mailbox(session: Session, code: int) -> list[str]:
    row = session.get(NotificationMailbox, code)
    return [row.address] if row is not None else []


def _municipal_caseworkers(session: Session, event: NotificationEvent) -> list[int]:
    """The municipal users who last saved answers on the case: the caseworker on it."""
    query = (
        select(AnswerSet.created_by)
        .join(User, User.id == AnswerSet.created_by)
        .where(
            AnswerSet.case_id == event.case_id,
            AnswerSet.created_at <= event.occurred_at,  # on the case when the event happened
            User.role == Role.MUNICIPAL_CASEWORKER.value,
            User.municipality_code == event.municipality_code,
        )
        .order_by(AnswerSet.sequence.desc())
        .limit(1)
    )
    return [user_id for user_id in session.scalars(query) if user_id is not None]


def _seniorpension_caseworkers(session: Session, event: NotificationEvent) -> list[int]:
    """The Seniorpension caseworker who last acted on the case."""
    query = (
        select(CaseEvent.actor_id)
        .join(User, User.id == CaseEvent.actor_id)
        .where(
            CaseEvent.case_id == event.case_id,
            CaseEvent.at <= event.occurred_at,
            User.role == Role.SENIORPENSION_CASEWORKER.value,
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return [user_id for user_id in session.scalars(query) if user_id is not None]


def _personal(session: Session, kind: EventType, user_ids: list[int]) -> list[str]:
    addresses = []
    for user_id in user_ids:
        user = session.get(User, user_id)
        preference = session.get(NotificationPreference, user_id)
        if user is None or not user.active or preference is None or not preference.email:
            continue
        if not kind.required and kind.value in (preference.opted_out or []):
            continue
        addresses.append(preference.email)
    return addresses


def subscriptions_for(session: Session, event: NotificationEvent) -> list[WebhookSubscription]:
    active = session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.active.is_(True))
        .order_by(WebhookSubscription.id)
    ).all()
    return [s for s in active if event.type in s.event_types and may_see(s, event)]


def may_see(subscription: WebhookSubscription, event: NotificationEvent) -> bool:
    """A subscription scoped to a municipality sees only what that municipality sees."""
    if subscription.municipality_code is None:
        return True
    return event.municipality_visible and event.municipality_code == subscription.municipality_code
