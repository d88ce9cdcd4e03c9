"""Effort measures of a cohort: what filling in the form cost, beside what it achieved.

From the events of ``cases.effort`` (no personal data): minutes from first opening a case's
form to its first submission, submissions refused for validation errors, and fields corrected
after such a refusal (the fields of a refused submission in a case submitted later). Per case
only numbers are read; the figures are histograms for the same rank tests as the durations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from forms_service.cases.effort import FIELD_ERROR, FORM_OPENED, SUBMIT_REFUSED, SUBMITTED
from forms_service.cases.models import EffortEvent
from forms_service.pilots.measures import Cohort
from forms_service.reporting.models import CaseMetrics


@dataclass(slots=True)
class EffortMeasures:
    submitted: int = 0
    refused_cases: int = 0  # submitted cases with at least one refused submission
    open_minutes: dict[int, int] = field(default_factory=dict)  # minutes → cases
    fields_corrected: dict[int, int] = field(default_factory=dict)  # fields → cases


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def effort(session: Session, cohort: Cohort) -> EffortMeasures:
    m = CaseMetrics
    submitted_ids = (
        select(m.case_id)
        .where(*cohort.conditions(day_index=False), m.first_submitted_on.is_not(None))
        .subquery()
    )
    out = EffortMeasures()
    out.submitted = session.scalar(select(func.count()).select_from(submitted_ids)) or 0
    if not out.submitted:
        return out
    opened = (
        select(EffortEvent.case_id, func.min(EffortEvent.at).label("at"))
        .where(EffortEvent.kind == FORM_OPENED, EffortEvent.case_id.in_(select(submitted_ids)))
        .group_by(EffortEvent.case_id)
        .subquery()
    )
    first_submission = (
        select(EffortEvent.case_id, func.min(EffortEvent.at).label("at"))
        .where(EffortEvent.kind == SUBMITTED, EffortEvent.case_id.in_(select(submitted_ids)))
        .group_by(EffortEvent.case_id)
        .subquery()
    )
    pairs = session.execute(
        select(opened.c.at, first_submission.c.at).join(
            first_submission, first_submission.c.case_id == opened.c.case_id
        )
    )
    for start, end in pairs:
        if start is None or end is None:
            continue
        minutes = max(0, int((_aware(end) - _aware(start)).total_seconds() // 60))
        out.open_minutes[minutes] = out.open_minutes.get(minutes, 0) + 1
    out.refused_cases = (
        session.scalar(
            select(func.count(func.distinct(EffortEvent.case_id))).where(
                EffortEvent.kind == SUBMIT_REFUSED, EffortEvent.case_id.in_(select(submitted_ids))
            )
        )
        or 0
    )
    per_case = session.execute(
        select(EffortEvent.case_id, func.count(func.distinct(EffortEvent.field_id)))
        .where(
            and_(EffortEvent.kind == FIELD_ERROR, EffortEvent.case_id.in_(select(submitted_ids)))
        )
        .group_by(EffortEvent.case_id)
    ).all()
    for _case, n in per_case:
        out.fields_corrected[int(n)] = out.fields_corrected.get(int(n), 0) + 1
    without = out.submitted - len(per_case)
    if without:
        out.fields_corrected[0] = out.fields_corrected.get(0, 0) + without
    return out
