"""Tables of the outbox, the deliveries and who receives what (Alembic revision 0009).

- ``notification_events`` is the outbox: one row per event, written in the transaction of the
  change it reports; ``dedupe_key`` is unique, so a deadline reminder exists once per case and
  deadline however many ``run-due`` runs race for it.
- ``notification_deliveries``: one row per event and recipient (unique), with its attempts.
- ``notification_mailboxes``: the functional mailbox of each municipality (code 0 is
  Seniorpension's own).
- ``webhook_subscriptions``: a case system's URL, its event types, the municipality it may see
  and its signing secret.
- ``notification_preferences``: a user's e-mail address and the kinds they opted out of.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_service.cases.encrypted import EncryptedJSON, EncryptedText
from forms_service.cases.models import Base, Case, UtcDateTime, utcnow

SENIORPENSION_MAILBOX = 0  # municipality codes start at 101


class NotificationEvent(Base):
    __tablename__ = "notification_events"
    __table_args__ = (Index("ix_notification_events_dispatched_at_id", "dispatched_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "msg_<hex>": the webhook-id a receiver deduplicates on; the same on every redelivery.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    case_number: Mapped[str] = mapped_column(String(40))
    municipality_code: Mapped[int] = mapped_column(Integer)
    # False for what the municipality may not see (a case not yet sent, Seniorpension's own
    # decision deadline): such events reach only Seniorpension and unscoped subscribers.
    municipality_visible: Mapped[bool] = mapped_column(Boolean)
    # encrypted: a return's reason (the body of the e-mail and webhook) may name the citizen
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    case: Mapped[Case] = relationship()
    deliveries: Mapped[list[NotificationDelivery]] = relationship(
        back_populates="event", order_by="NotificationDelivery.id"
    )


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    # None: every municipality (Seniorpension's own systems only).
    municipality_code: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(String(200))
    # The signing secret ("whsec_" + base64). Shown once when created; kept to sign with.
    secret: Mapped[str] = mapped_column(EncryptedText(sqlite_length=100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_deliveries: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64))


class NotificationDelivery(Base):
    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "channel", "recipient"),
        Index("ix_notification_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("notification_events.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))  # "email" | "webhook"
    recipient: Mapped[str] = mapped_column(String(2000))  # address or URL
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    event: Mapped[NotificationEvent] = relationship(back_populates="deliveries")
    subscription: Mapped[WebhookSubscription | None] = relationship()


class NotificationMailbox(Base):
    __tablename__ = "notification_mailboxes"

    municipality_code: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class NotificationPreference(Base):
    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str | None] = mapped_column(String(320))
    opted_out: Mapped[list[str]] = mapped_column(JSON, default=list)
