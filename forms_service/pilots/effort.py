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

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from forms_service.cases.effort import (
    FIELD_ERROR,
    FORM_OPENED,
    KINDS,
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
    with_events = 0
    for row in session.execute(_per_case(submitted_ids)):
        with_events += 1
        _count_case(out, *row)
    if out.submitted - with_events:
        # no event at all: nothing corrected, no section reopened
        for histogram in (out.fields_corrected, out.sections_reopened):
            histogram[0] = histogram.get(0, 0) + out.submitted - with_events
    out.section_seconds = _section_seconds(session, submitted_ids)
    return out


def _per_case(submitted_ids: Any) -> Select[Any]:
    """One row per submitted case with events, in one pass over its events (the index
    ix_effort_events_case_id_kind holds every column read): first opened, first submitted,
    refusals, distinct fields and sections refused, section-time events and their seconds."""
    e = EffortEvent

    def of(kind: str, value: Any) -> Any:
        return case((e.kind == kind, value))

    timed = and_(e.kind == SECTION_TIME, e.section_id.is_not(None))
    return (
        select(
            func.min(of(FORM_OPENED, e.at)),
            func.min(of(SUBMITTED, e.at)),
            func.count(of(SUBMIT_REFUSED, 1)),
            func.count(func.distinct(of(FIELD_ERROR, e.field_id))),
            func.count(func.distinct(of(FIELD_ERROR, e.section_id))),
            func.count(case((timed, 1))),
            func.coalesce(func.sum(case((timed, e.seconds))), 0),
        )
        .where(e.kind.in_(KINDS), e.case_id.in_(select(submitted_ids)))
        .group_by(e.case_id)
    )


def _count_case(
    out: EffortMeasures,
    opened: dt.datetime | None,
    sent: dt.datetime | None,
    refusals: int,
    fields: int,
    sections: int,
    timed: int,
    seconds: int,
) -> None:
    if opened is not None and sent is not None:
        minutes = max(0, int((_aware(sent) - _aware(opened)).total_seconds() // 60))
        out.open_minutes[minutes] = out.open_minutes.get(minutes, 0) + 1
    if refusals:
        out.refused_cases += 1
    out.fields_corrected[fields] = out.fields_corrected.get(fields, 0) + 1
    out.sections_reopened[sections] = out.sections_reopened.get(sections, 0) + 1
    if timed:
        # a section's seconds are whole and positive (cases.effort)
        out.section_minutes[seconds // 60] = out.section_minutes.get(seconds // 60, 0) + 1


def _section_seconds(session: Session, submitted_ids: Any) -> dict[str, dict[int, int]]:
    """{section → {seconds → cases}}: the browser's section times of the submitted cases,
    summed per case and section and counted in the database."""
    per_pair = (
        select(
            EffortEvent.section_id,
            func.coalesce(func.sum(EffortEvent.seconds), 0).label("seconds"),
        )
        .where(
            EffortEvent.kind == SECTION_TIME,
            EffortEvent.section_id.is_not(None),
            EffortEvent.case_id.in_(select(submitted_ids)),
        )
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
    return per_section
