"""Deadline events: approaching (14 and 3 days before) and missed, added by ``run-due``.

Two deadlines: the municipality's answer deadline (3 months from Seniorpension's request),
while the municipality holds the case; and Seniorpension's decision deadline (6 months from the
application), while the case is open. Each reminder has a ``dedupe_key`` naming the case, the
deadline, its date and the step; the column is unique and rows go in with
``ON CONFLICT DO NOTHING``, so a reminder exists once however often and on however many
machines ``run-due`` runs at the same time. A deadline moved to another date gets its own
reminders.

Only one step is due at a time: a case sent with ten days left gets the 3-day reminder when it
comes, not a late 14-day one. A missed deadline is reported if it was missed within the last
``MISSED_WINDOW_DAYS`` days, so the first run on an old database does not mail years of history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from forms_service.cases.lifecycle import MUNICIPALITY_EDITABLE, Status
from forms_service.cases.models import Case, utcnow
from forms_service.notifications.kinds import (
    DECISION_DEADLINE,
    MUNICIPALITY_DEADLINE,
    EventType,
)
from forms_service.notifications.models import NotificationEvent
from forms_service.notifications.outbox import PENDING_KEY, new_message_id
from forms_service.seniorpension.deadlines import days_left

REMINDER_DAYS: tuple[int, ...] = (14, 3)
MISSED_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class DueReminder:
    case: Case
    deadline: str  # MUNICIPALITY_DEADLINE | DECISION_DEADLINE
    date: dt.date
    event_type: EventType
    step: str  # "14" | "3" | "missed"

    @property
    def dedupe_key(self) -> str:
        return f"{self.event_type.value}:{self.deadline}:{self.step}:{self.case.id}:{self.date}"


def due_step(deadline: dt.date, today: dt.date) -> tuple[EventType, str] | None:
    """The reminder due on ``today`` for ``deadline``, if any."""
    left = days_left(deadline, today)
    if left < 0:
        if -left <= MISSED_WINDOW_DAYS:
            return EventType.DEADLINE_MISSED, "missed"
        return None
    for days in sorted(REMINDER_DAYS):
        if left <= days:
            return EventType.DEADLINE_APPROACHING, str(days)
    return None


def _candidates(session: Session, column: object, states: list[str], today: dt.date) -> list[Case]:
    earliest = today - dt.timedelta(days=MISSED_WINDOW_DAYS)
    latest = today + dt.timedelta(days=max(REMINDER_DAYS))
    query = (
        select(Case)
        .where(Case.status.in_(states), column >= earliest, column <= latest)  # type: ignore[operator]
        .order_by(Case.id)
    )
    return list(session.scalars(query))


def due_reminders(session: Session, today: dt.date) -> list[DueReminder]:
    found: list[DueReminder] = []
    municipal_states = [s.value for s in MUNICIPALITY_EDITABLE]
    for case in _candidates(session, Case.municipality_deadline, municipal_states, today):
        assert case.municipality_deadline is not None
        step = due_step(case.municipality_deadline, today)
        if step:
            found.append(
                DueReminder(case, MUNICIPALITY_DEADLINE, case.municipality_deadline, *step)
            )
    open_states = [s.value for s in Status if s is not Status.DECIDED]
    for case in _candidates(session, Case.decision_deadline, open_states, today):
        step = due_step(case.decision_deadline, today)
        if step:
            found.append(DueReminder(case, DECISION_DEADLINE, case.decision_deadline, *step))
    return found


def run_due(session: Session, today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Add the deadline events due on ``today``; returns how many were new. Commits."""
    at = now or utcnow()
    rows = [
        {
            "message_id": new_message_id(),
            "type": reminder.event_type.value,
            "case_id": reminder.case.id,
            "case_number": reminder.case.case_number,
            "municipality_code": reminder.case.municipality_code,
            # Seniorpension's own decision deadline is not the municipality's business.
            "municipality_visible": reminder.deadline == MUNICIPALITY_DEADLINE,
            "data": {
                "deadline": reminder.deadline,
                "date": reminder.date.isoformat(),
                "days_left": (reminder.date - today).days,
                "status": reminder.case.status,
            },
            "dedupe_key": reminder.dedupe_key,
            "occurred_at": at,
        }
        for reminder in due_reminders(session, today)
    ]
    if not rows:
        session.rollback()
        return 0
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(NotificationEvent)
    statement = insert.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(
        NotificationEvent.id
    )
    added = len(session.execute(statement, rows).all())
    session.info[PENDING_KEY] = added > 0
    session.commit()
    return added
