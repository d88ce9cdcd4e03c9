"""Recording events in the transaction of the change they report (the transactional outbox).

The case service calls ``record_transition`` / ``record`` while its change is still uncommitted,
on the same session: the event row is committed with the change or rolled back with it, so an
event is never sent for a change that did not happen and never lost for one that did. Delivery
happens later, by ``delivery.send_pending``.

Event data carries ids, dates, statuses and, for a return, the reason with any CPR-like number
removed; never a CPR number or answers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from forms_service.cases.lifecycle import Outcome, Status
from forms_service.cases.models import Case, utcnow
from forms_service.notifications.kinds import EventType
from forms_service.notifications.models import NotificationEvent
from forms_service.seniorpension.cpr import remove_cpr_like

# The transition of a case that outsiders hear about, by the status it moved to.
EVENT_OF_STATUS: dict[Status, EventType] = {
    Status.RECEIVED: EventType.CASE_CREATED,
    Status.SENT_TO_MUNICIPALITY: EventType.CASE_SENT,
    Status.SUBMITTED: EventType.CASE_SUBMITTED,
    Status.RETURNED: EventType.CASE_RETURNED,
    Status.SUFFICIENTLY_INFORMED: EventType.CASE_SUFFICIENTLY_INFORMED,
    Status.DECIDED: EventType.CASE_DECIDED,
}
PENDING_KEY = "forms_service.notifications.pending"

CPR_REMOVED = "[CPR-nummer fjernet]"


def without_cpr(text: str) -> str:
    """``text`` with every CPR-like number removed (not masked: no birth date either)."""
    return remove_cpr_like(text, CPR_REMOVED)


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def record(
    session: Session,
    case: Case,
    event_type: EventType,
    data: dict[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
    municipality_visible: bool | None = None,
) -> NotificationEvent:
    """Add an event about ``case`` to the session's transaction (nothing is committed here)."""
    if municipality_visible is None:
        # The municipality knows of a case from the moment Seniorpension sends it.
        municipality_visible = case.status != Status.RECEIVED.value
    event = NotificationEvent(
        message_id=new_message_id(),
        type=event_type.value,
        case=case,
        case_number=case.case_number,
        municipality_code=case.municipality_code,
        municipality_visible=municipality_visible,
        data=data or {},
        occurred_at=at or utcnow(),
    )
    session.add(event)
    session.info[PENDING_KEY] = True  # read after commit to wake a worker (see wiring.py)
    return event


def record_transition(
    session: Session,
    case: Case,
    source: Status | None,
    target: Status,
    *,
    reason: str | None = None,
    outcome: Outcome | None = None,
    at: dt.datetime | None = None,
) -> NotificationEvent | None:
    """The event of a status change, or None for changes nobody outside hears about."""
    event_type = EVENT_OF_STATUS.get(target)
    if event_type is None:
        return None
    data: dict[str, Any] = {
        "from_status": source.value if source else None,
        "to_status": target.value,
    }
    if target is Status.RETURNED and reason:
        data["reason"] = without_cpr(reason.strip())
    if outcome is not None:
        data["outcome"] = outcome.value
    if case.municipality_deadline is not None:
        data["municipality_deadline"] = case.municipality_deadline.isoformat()
    data["decision_deadline"] = case.decision_deadline.isoformat()
    return record(session, case, event_type, data, at=at)


def record_version_move(
    session: Session, case: Case, from_version: str, to_version: str, *, at: dt.datetime
) -> NotificationEvent:
    data = {"from_version": from_version, "to_version": to_version, "form": case.form}
    if case.municipality_deadline is not None:
        data["municipality_deadline"] = case.municipality_deadline.isoformat()
    return record(session, case, EventType.CASE_VERSION_MOVED, data, at=at)
