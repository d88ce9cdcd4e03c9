"""Effort measures of a cohort: what filling in the form cost, beside what it achieved.

From the events of ``cases.effort`` (no personal data): minutes from first opening a case's
form to its first submission, submissions refused for validation errors, fields corrected
after such a refusal (the fields of a refused submission in a case submitted later), sections
reopened after a refusal (the sections those fields are in: a case submitted later had each of
them open again to correct it), and the time each section held the focus (measured in the
browser, ``section_time``). Per case only numbers are read; the figures are histograms for the
same rank tests as the durations. All of them count submitted cases only, so a case still being
filled in does not pull the figures down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from forms_service.cases.effort import (
    FIELD_ERROR,
    FORM_OPENED,
    SECTION_TIME,
    SUBMIT_REFUSED,
    SUBMITTED,
)
from forms_service.cases.models import EffortEvent
from forms_service.pilots.measures import Cohort
from forms_service.reporting.models import CaseMetrics


@dataclass(slots=True)
class EffortMeasures:
    submitted: int = 0
    refused_cases: int = 0  # submitted cases with at least one refused submission
    open_minutes: dict[int, int] = field(default_factory=dict)  # minutes → cases
    fields_corrected: dict[int, int] = field(default_factory=dict)  # fields → cases
    sections_reopened: dict[int, int] = field(default_factory=dict)  # sections → cases
    # minutes in all sections together → cases (cases with a browser measurement only)
    section_minutes: dict[int, int] = field(default_factory=dict)
    # section id → {seconds in that section → cases}
    section_seconds: dict[str, dict[int, int]] = field(default_factory=dict)


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
    out.sections_reopened = _sections_reopened(session, submitted_ids, out.submitted)
    out.section_minutes, out.section_seconds = _section_times(session, submitted_ids)
    return out


def _sections_reopened(session: Session, submitted_ids: Any, submitted: int) -> dict[int, int]:
    """{sections → cases}: the distinct sections of each submitted case's refused fields."""
    per_case = session.execute(
        select(EffortEvent.case_id, func.count(func.distinct(EffortEvent.section_id)))
        .where(
            EffortEvent.kind == FIELD_ERROR,
            EffortEvent.section_id.is_not(None),
            EffortEvent.case_id.in_(select(submitted_ids)),
        )
        .group_by(EffortEvent.case_id)
    ).all()
    out: dict[int, int] = {}
    for _case, n in per_case:
        out[int(n)] = out.get(int(n), 0) + 1
    if submitted - len(per_case):
        out[0] = out.get(0, 0) + submitted - len(per_case)
    return out


def _section_times(
    session: Session, submitted_ids: Any
) -> tuple[dict[int, int], dict[str, dict[int, int]]]:
    """The browser's section times of the submitted cases, summed per case and section."""
    rows = session.execute(
        select(EffortEvent.case_id, EffortEvent.section_id, func.sum(EffortEvent.seconds))
        .where(
            EffortEvent.kind == SECTION_TIME,
            EffortEvent.section_id.is_not(None),
            EffortEvent.case_id.in_(select(submitted_ids)),
        )
        .group_by(EffortEvent.case_id, EffortEvent.section_id)
    ).all()
    per_section: dict[str, dict[int, int]] = {}
    per_case: dict[int, int] = {}
    for case_id, section_id, seconds in rows:
        seconds = int(seconds or 0)
        histogram = per_section.setdefault(str(section_id), {})
        histogram[seconds] = histogram.get(seconds, 0) + 1
        per_case[case_id] = per_case.get(case_id, 0) + seconds
    minutes: dict[int, int] = {}
    for seconds in per_case.values():
        minutes[seconds // 60] = minutes.get(seconds // 60, 0) + 1
    return minutes, per_section
