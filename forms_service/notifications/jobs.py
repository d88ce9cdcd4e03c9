"""Delivery through Redis/RQ: ``forms-service worker`` runs ``deliver`` from the queue
``notifications``.

A commit that recorded events enqueues ``deliver`` (see ``wiring.py``); the job does one
``send_pending`` pass and, if retries are waiting, schedules itself for the earliest one (the
worker runs RQ's scheduler). When Redis is unreachable nothing is lost: the events wait in the
outbox for the next job or for ``forms-service notifications send``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select

from forms_service.cases import db as cases_db
from forms_service.notifications.delivery import PENDING, send_pending
from forms_service.notifications.models import NotificationDelivery
from forms_service.notifications.settings import DeliverySettings

QUEUE_NAME = "notifications"
log = logging.getLogger(__name__)


def _queue(redis_url: str) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))


def enqueue_delivery(redis_url: str, *, at: dt.datetime | None = None) -> bool:
    """Ask a worker to deliver; False (and a log line) when Redis cannot be reached."""
    try:
        queue = _queue(redis_url)
        if at is None:
            queue.enqueue(deliver, redis_url, job_timeout=3600)
        else:
            queue.enqueue_at(at, deliver, redis_url, job_timeout=3600)
    except Exception as error:  # any Redis trouble: the outbox keeps the events
        log.warning("could not enqueue notification delivery: %s", type(error).__name__)
        return False
    return True


def deliver(redis_url: str | None = None, database_url: str | None = None) -> dict[str, int]:
    """The RQ job: one delivery pass over the database named by the environment."""
    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        sessions = cases_db.make_session_factory(engine)
        report = send_pending(sessions, DeliverySettings.from_env())
        with sessions() as session:
            next_due = session.scalar(
                select(func.min(NotificationDelivery.next_attempt_at)).where(
                    NotificationDelivery.status == PENDING
                )
            )
        if next_due is not None and redis_url:
            enqueue_delivery(redis_url, at=next_due)
        return asdict(report)
    finally:
        engine.dispose()
