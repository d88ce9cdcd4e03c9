"""Delivering the outbox: fan events out to recipients, then send with retries and backoff.

``send_pending`` does one pass and returns; the CLI (``notifications send``), the RQ job and
the tests call it. Several workers may run it at once: events and deliveries are claimed with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has one writer anyway), a delivery row is unique
per event and recipient, and a claimed delivery carries a lease (``next_attempt_at`` moved
ahead) that a crashed worker's claim runs out of. Sending happens outside any transaction; the
result is committed per delivery, so at most the one message in flight is sent twice after a
crash (receivers deduplicate on ``webhook-id``; mails carry a stable Message-ID).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload, sessionmaker

from forms_service.cases.models import utcnow
from forms_service.notifications import webhooks
from forms_service.notifications.email import mime_message, render_email
from forms_service.notifications.models import (
    NotificationDelivery,
    NotificationEvent,
    WebhookSubscription,
)
from forms_service.notifications.routing import EMAIL, WEBHOOK, recipients
from forms_service.notifications.settings import DeliverySettings
from forms_service.notifications.smtp import Mailer, SmtpError, send_message

log = logging.getLogger(__name__)

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"


class DeliveryError(Exception):
    pass


@dataclass(slots=True)
class SendReport:
    dispatched: int = 0  # events fanned out
    expired: int = 0  # of those, too old to tell anyone
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, status: str) -> None:
        name = {SENT: "sent", PENDING: "retrying", FAILED: "failed", SKIPPED: "skipped"}[status]
        setattr(self, name, getattr(self, name) + 1)


def send_pending(
    sessions: sessionmaker[Session],
    settings: DeliverySettings,
    *,
    now: Callable[[], dt.datetime] = utcnow,
) -> SendReport:
    """Fan out every new event, then attempt every delivery that is due; one pass.

    Up to ``settings.concurrency`` deliveries are in flight at once, each in a session of its
    own; SMTP connections are kept open for the pass."""
    report = SendReport()
    mailer = Mailer(settings.smtp) if settings.smtp is not None else None

    def one(delivery_id: int) -> str:
        with sessions() as session:
            return attempt(session, delivery_id, settings, now=now, mailer=mailer)

    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
            # A batch of new events is fanned out and delivered before the next batch, so
            # the first events of a burst go out at once instead of after the whole burst.
            while True:
                with sessions() as session:
                    dispatched, expired = fan_out(
                        session,
                        now(),
                        settings.batch_size,
                        max_age=dt.timedelta(days=settings.max_event_age_days),
                    )
                    report.dispatched += dispatched
                    report.expired += expired
                with sessions() as session:
                    claimed = claim_due(session, now(), settings)
                for status in pool.map(one, claimed):
                    report.add(status)
                if not dispatched and not claimed:
                    return report
    finally:
        if mailer is not None:
            mailer.close()


def _insert(session: Session):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert


def fan_out(
    session: Session, now: dt.datetime, batch_size: int, *, max_age: dt.timedelta | None = None
) -> tuple[int, int]:
    """Make the delivery rows of up to ``batch_size`` new events; returns how many events,
    and how many of them were older than ``max_age`` and go to nobody."""
    events = session.scalars(
        select(NotificationEvent)
        .where(NotificationEvent.dispatched_at.is_(None))
        .order_by(NotificationEvent.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    if not events:
        session.rollback()
        return 0, 0
    rows = []
    expired = 0
    for event in events:
        event.dispatched_at = now
        if max_age is not None and event.occurred_at < now - max_age:
            expired += 1  # news no more: history seeded or kept while nothing delivered
            continue
        for recipient in recipients(session, event):
            rows.append(
                {
                    "event_id": event.id,
                    "channel": recipient.channel,
                    "recipient": recipient.address,
                    "subscription_id": recipient.subscription_id,
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
    if expired:
        log.warning("%s events older than %s dispatched to nobody", expired, max_age)
    if rows:
        insert = _insert(session)(NotificationDelivery)
        session.execute(insert.on_conflict_do_nothing(), rows)
    session.commit()
    return len(events), expired


def claim_due(session: Session, now: dt.datetime, settings: DeliverySettings) -> list[int]:
    due = session.scalars(
        select(NotificationDelivery)
        .where(NotificationDelivery.status == PENDING, NotificationDelivery.next_attempt_at <= now)
        .order_by(NotificationDelivery.next_attempt_at, NotificationDelivery.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    lease = now + dt.timedelta(seconds=settings.lease_seconds)
    for delivery in due:
        delivery.next_attempt_at = lease
        delivery.attempts += 1
    ids = [delivery.id for delivery in due]
    session.commit()
    return ids


def attempt(
    session: Session,
    delivery_id: int,
    settings: DeliverySettings,
    *,
    now: Callable[[], dt.datetime] = utcnow,
    mailer: Mailer | None = None,
) -> str:
    """Send one claimed delivery and record the outcome; returns the new status."""
    delivery = session.get(
        NotificationDelivery,
        delivery_id,
        options=[
            joinedload(NotificationDelivery.event),
            joinedload(NotificationDelivery.subscription),
        ],
    )
    if delivery is None or delivery.status != PENDING:
        return SKIPPED
    event = delivery.event
    subscription = delivery.subscription
    session.commit()  # nothing is held open while the message travels
    try:
        if delivery.channel == EMAIL:
            _send_email(event, delivery, settings, mailer)
        elif delivery.channel == WEBHOOK:
            if subscription is None or not subscription.active:
                delivery.status = SKIPPED
                delivery.last_error = "Abonnementet er slettet eller deaktiveret."
                session.commit()
                return SKIPPED
            _send_webhook(event, subscription, settings)
        else:
            raise DeliveryError(f"ukendt kanal {delivery.channel}")
    except (SmtpError, webhooks.WebhookError, DeliveryError) as error:
        return _failed(session, delivery, subscription, str(error), settings, now())
    except Exception as error:
        # A bug (a template, a payload) must not stop the pass for every other delivery: it
        # is logged and shows in the delivery log, and the delivery is retried like any other.
        log.exception("delivery %s failed unexpectedly", delivery.id)
        session.rollback()
        delivery = session.get(NotificationDelivery, delivery_id)  # type: ignore[assignment]
        message = f"Intern fejl: {type(error).__name__}"
        return _failed(session, delivery, subscription, message, settings, now())
    delivery.status = SENT
    delivery.sent_at = now()
    delivery.last_error = None
    if subscription is not None and subscription.failed_deliveries:
        session.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == subscription.id)
            .values(failed_deliveries=0)
        )
    session.commit()
    return SENT


def _send_email(
    event: NotificationEvent,
    delivery: NotificationDelivery,
    settings: DeliverySettings,
    mailer: Mailer | None,
) -> None:
    if settings.smtp is None:
        raise DeliveryError("FORMS_SERVICE_SMTP_URL er ikke sat; e-mailen venter.")
    rendered = render_email(event, base_url=settings.base_url)
    message = mime_message(
        rendered,
        sender=settings.sender,
        recipient=delivery.recipient,
        message_id=f"{event.message_id}.{delivery.id}",
    )
    if mailer is not None:
        mailer.send(message)
    else:
        send_message(settings.smtp, message)


def _send_webhook(
    event: NotificationEvent, subscription: WebhookSubscription, settings: DeliverySettings
) -> None:
    body = webhooks.encode(webhooks.payload(event, base_url=settings.base_url))
    webhooks.post(subscription.url, subscription.secret, event.message_id, body)


def _failed(
    session: Session,
    delivery: NotificationDelivery,
    subscription: WebhookSubscription | None,
    error: str,
    settings: DeliverySettings,
    now: dt.datetime,
) -> str:
    delivery.last_error = error[:2000]
    if delivery.attempts < settings.max_attempts:
        delay = settings.retry_delays[delivery.attempts - 1]
        delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
        session.commit()
        log.info(
            "delivery %s failed (attempt %s), retry in %ss", delivery.id, delivery.attempts, delay
        )
        return PENDING
    delivery.status = FAILED
    if subscription is not None:
        # In SQL, not in Python: deliveries of one subscription fail in parallel threads.
        session.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == subscription.id)
            .values(failed_deliveries=WebhookSubscription.failed_deliveries + 1)
        )
        disabled = session.execute(
            update(WebhookSubscription)
            .where(
                WebhookSubscription.id == subscription.id,
                WebhookSubscription.active.is_(True),
                WebhookSubscription.failed_deliveries >= settings.disable_after,
            )
            .values(
                active=False,
                disabled_at=now,
                disabled_reason=(
                    f"Deaktiveret efter {settings.disable_after} leveringer i træk, der "
                    f"mislykkedes. Sidste fejl: {error[:500]}"
                ),
            )
        )
        if disabled.rowcount:
            log.warning("webhook subscription %s disabled after repeated failure", subscription.id)
    session.commit()
    log.warning("delivery %s failed for good after %s attempts", delivery.id, delivery.attempts)
    return FAILED


def redeliver(session: Session, delivery_id: int, *, now: dt.datetime | None = None) -> None:
    """Queue a delivery again by hand (any status); its subscription must be active."""
    delivery = session.get(NotificationDelivery, delivery_id)
    if delivery is None:
        raise DeliveryError(f"Levering {delivery_id} findes ikke.")
    if delivery.channel == WEBHOOK and (
        delivery.subscription is None or not delivery.subscription.active
    ):
        raise DeliveryError("Abonnementet er deaktiveret; aktivér det, før der leveres igen.")
    delivery.status = PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now or utcnow()
    session.commit()
