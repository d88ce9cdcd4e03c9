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

from sqlalchemy import Select, func, select
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
    out.fields_corrected = _per_case_counts(
        session,
        select(EffortEvent.case_id, func.count(func.distinct(EffortEvent.field_id)).label("n"))
        .where(EffortEvent.kind == FIELD_ERROR, EffortEvent.case_id.in_(select(submitted_ids)))
        .group_by(EffortEvent.case_id),
        out.submitted,
    )
    out.sections_reopened = _sections_reopened(session, submitted_ids, out.submitted)
    out.section_minutes, out.section_seconds = _section_times(session, submitted_ids)
    return out


def _histogram(session: Session, per_case: Select[Any]) -> dict[int, int]:
    """{n → cases} of a query of one row per case with its number ``n``, counted in the
    database: a cohort has hundreds of thousands of cases, their rows need not travel."""
    n = per_case.subquery().c.n
    rows = session.execute(select(n, func.count()).group_by(n))
    return {int(value or 0): int(cases) for value, cases in rows}


def _per_case_counts(session: Session, per_case: Select[Any], submitted: int) -> dict[int, int]:
    """The histogram of ``n`` per case, the submitted cases without a row counted as 0."""
    out = _histogram(session, per_case)
    without = submitted - sum(out.values())
    if without:
        out[0] = out.get(0, 0) + without
    return out


def _sections_reopened(session: Session, submitted_ids: Any, submitted: int) -> dict[int, int]:
    """{sections → cases}: the distinct sections of each submitted case's refused fields."""
    return _per_case_counts(
        session,
        select(EffortEvent.case_id, func.count(func.distinct(EffortEvent.section_id)).label("n"))
        .where(
            EffortEvent.kind == FIELD_ERROR,
            EffortEvent.section_id.is_not(None),
            EffortEvent.case_id.in_(select(submitted_ids)),
        )
        .group_by(EffortEvent.case_id),
        submitted,
    )


def _section_times(
    session: Session, submitted_ids: Any
) -> tuple[dict[int, int], dict[str, dict[int, int]]]:
    """The browser's section times of the submitted cases, summed per case and section:
    {minutes in all sections → cases} and {section → {seconds → cases}}."""
    timed = (
        EffortEvent.kind == SECTION_TIME,
        EffortEvent.section_id.is_not(None),
        EffortEvent.case_id.in_(select(submitted_ids)),
    )
    # a section's seconds are whole and positive (cases.effort), so // is Python's floor
    minutes = _histogram(
        session,
        select(
            EffortEvent.case_id, (func.coalesce(func.sum(EffortEvent.seconds), 0) // 60).label("n")
        )
        .where(*timed)
        .group_by(EffortEvent.case_id),
    )
    per_pair = (
        select(
            EffortEvent.section_id,
            func.coalesce(func.sum(EffortEvent.seconds), 0).label("seconds"),
        )
        .where(*timed)
        .group_by(EffortEvent.case_id, EffortEvent.section_id)
        .subquery()
    )
    rows = session.execute(
        select(per_pair.c.section_id, per_pair.c.seconds, func.count()).group_by(
            per_pair.c.section_id, per_pair.c.seconds
        )
    )
    per_section: dict[str, dict[int, int]] = {}
    for section_id, seconds, cases in rows:
        per_section.setdefault(str(section_id), {})[int(seconds)] = int(cases)
    return minutes, per_section
