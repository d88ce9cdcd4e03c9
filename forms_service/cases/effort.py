"""Effort on a case's form, recorded as events without personal data (issue 19).

An event names the case, its form version, a kind and at most a section and field id: never an
answer, a name or a CPR number. The pilots' effort measures read them (``pilots.effort``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.models import EffortEvent, utcnow

FORM_OPENED = "form_opened"  # the municipality opened the case's form for editing
SUBMIT_REFUSED = "submit_refused"  # a submission refused for validation errors
FIELD_ERROR = "field_error"  # one field of a refused submission (then corrected, or not)
SUBMITTED = "submitted"  # a submission stored
KINDS = (FORM_OPENED, SUBMIT_REFUSED, FIELD_ERROR, SUBMITTED)


def top_field(path: str) -> str:
    """``ansaettelser[0].timer_pr_uge`` → ``ansaettelser``."""
    return path.split("[", 1)[0].split(".", 1)[0]


def record(
    session: Session,
    case_id: int,
    form: str,
    version: str,
    kind: str,
    *,
    field_id: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    session.add(
        EffortEvent(
            case_id=case_id,
            form=form,
            form_version=version,
            kind=kind,
            field_id=field_id,
            at=at or utcnow(),
        )
    )


def record_refusal(
    session: Session,
    case_id: int,
    form: str,
    version: str,
    paths: Iterable[str],
    at: dt.datetime | None = None,
) -> None:
    record(session, case_id, form, version, SUBMIT_REFUSED, at=at)
    for field_id in sorted({top_field(p) for p in paths}):
        record(session, case_id, form, version, FIELD_ERROR, field_id=field_id, at=at)


def record_opened(session: Session, case_id: int, form: str, version: str) -> None:
    """The first opening only: the effort starts there."""
    seen = session.scalar(
        select(EffortEvent.id)
        .where(EffortEvent.case_id == case_id, EffortEvent.kind == FORM_OPENED)
        .limit(1)
    )
    if seen is None:
        record(session, case_id, form, version, FORM_OPENED)
