"""Explicit wiring: called by the app factory and the CLI, never on import.

``install_wakeup`` makes every commit that recorded events enqueue a delivery job, when Redis
is configured. Without Redis there is nothing to wake: ``forms-service notifications send``
(from cron) delivers.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from forms_service.notifications.outbox import PENDING_KEY


def install_wakeup(sessions: sessionmaker[Session], redis_url: str | None) -> bool:
    if not redis_url:
        return False
    from forms_service.notifications.jobs import enqueue_delivery

    def after_commit(session: Session) -> None:
        if session.info.pop(PENDING_KEY, False):
            enqueue_delivery(redis_url)

    def after_rollback(session: Session) -> None:
        session.info.pop(PENDING_KEY, None)

    event.listen(sessions, "after_commit", after_commit)
    event.listen(
        sessions, "after_soft_rollback", lambda session, _previous: after_rollback(session)
    )
    return True
