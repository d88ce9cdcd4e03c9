"""The measures of one group of cases (a form version in some municipalities and a period).

Every figure is an aggregate query: the counts over the daily roll-ups ``status_daily`` and
``finding_daily`` (see ``reporting.rollup``), durations as histograms (days → number of
cases) over ``case_metrics`` that the rank test reads directly. No case row is loaded into
Python, and no CPR number or name is selected. ``by_rows=True`` computes the same figures
over every row (the baseline the roll-ups are tested and benchmarked against).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from forms_service.reporting.models import (
    CRITERION_INSUFFICIENT,
    CRITERION_MISSING,
    FIELD_EMPTY,
    FIELD_FAILED,
    CaseFinding,
    CaseMetrics,
    FindingDaily,
    StatusDaily,
)
from forms_service.reporting.rollup import correction_columns
from forms_service.reporting.sql import as_int, unindexed

DECIDED = "decided"
WITHDRAWN = "withdrawn"
TOP_FIELDS = 10


@dataclass(frozen=True, slots=True)
class Cohort:
    """Cases of ``form``/``version`` applied for in [start, end] in some municipalities."""

    form: str
    version: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    include: tuple[int, ...] | None = None  # municipality codes (None: all)
    exclude: tuple[int, ...] = ()

    def conditions(
        self, table: Any = CaseMetrics, *, day_index: bool = True
    ) -> list[ColumnElement[bool]]:
        """The cohort on ``case_metrics`` or on a daily roll-up (``day``: application date).

        ``day_index=False``: keep SQLite off the date indexes, for queries another serves better.
        """
        day = table.application_date if table is CaseMetrics else table.day
        if not day_index:
            day = unindexed(day)
        where: list[ColumnElement[bool]] = [table.form == self.form]
        if self.version is not None:
            where.append(table.form_version == self.version)
        if self.start is not None:
            where.append(day >= self.start)
        if self.end is not None:
            where.append(day <= self.end)
        if self.include is not None:
            where.append(table.municipality_code.in_(self.include))
        if self.exclude:
            where.append(table.municipality_code.not_in(self.exclude))
        return where


@dataclass(slots=True)
class VersionMeasures:
    label: str
    version: str | None
    received: int = 0
    submitted: int = 0
    sufficient: int = 0  # of the submitted: sufficiently informed at the first submission
    returned_cases: int = 0  # submitted cases returned at least once
    returns_total: int = 0
    municipal_due: int = 0  # cases whose 3-month deadline has been reached or met
    municipal_kept: int = 0
    decided: int = 0  # granted or refused
    decision_due: int = 0
    decision_kept: int = 0
    with_drafts: int = 0
    drafts_abandoned: int = 0
    returns_histogram: dict[int, int] = field(default_factory=dict)
    submission_days: dict[int, int] = field(default_factory=dict)  # request → first submission
    decision_days: dict[int, int] = field(default_factory=dict)  # application → decision
    criteria: dict[str, dict[str, int]] = field(default_factory=dict)
    fields: list[tuple[str, int, int]] = field(default_factory=list)  # (field, empty, failed)
    # effort (pilots.effort): refused submissions, minutes from opening, fields corrected
    refused_cases: int = 0
    open_minutes: dict[int, int] = field(default_factory=dict)
    fields_corrected: dict[int, int] = field(default_factory=dict)
    sections_reopened: dict[int, int] = field(default_factory=dict)
    section_minutes: dict[int, int] = field(default_factory=dict)
    section_seconds: dict[str, dict[int, int]] = field(default_factory=dict)

    @staticmethod
    def share(x: int, n: int) -> float | None:
        return x / n if n else None

    @property
    def sufficient_share(self) -> float | None:
        return self.share(self.sufficient, self.submitted)

    @property
    def returns_per_case(self) -> float | None:
        return self.share(self.returns_total, self.submitted)

    @property
    def municipal_kept_share(self) -> float | None:
        return self.share(self.municipal_kept, self.municipal_due)

    @property
    def decision_kept_share(self) -> float | None:
        return self.share(self.decision_kept, self.decision_due)

    @property
    def abandoned_share(self) -> float | None:
        return self.share(self.drafts_abandoned, self.with_drafts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "version": self.version,
            "received": self.received,
            "submitted": self.submitted,
            "sufficient_at_submission": self.sufficient,
            "sufficient_share": self.sufficient_share,
            "returned_cases": self.returned_cases,
            "returns_total": self.returns_total,
            "returns_per_case": self.returns_per_case,
            "municipal_deadline_due": self.municipal_due,
            "municipal_deadline_kept": self.municipal_kept,
            "municipal_deadline_kept_share": self.municipal_kept_share,
            "decided": self.decided,
            "decision_deadline_due": self.decision_due,
            "decision_deadline_kept": self.decision_kept,
            "decision_deadline_kept_share": self.decision_kept_share,
            "cases_with_drafts": self.with_drafts,
            "drafts_abandoned": self.drafts_abandoned,
            "returns_histogram": {str(k): v for k, v in sorted(self.returns_histogram.items())},
            "days_request_to_submission": {
                str(k): v for k, v in sorted(self.submission_days.items())
            },
            "days_application_to_decision": {
                str(k): v for k, v in sorted(self.decision_days.items())
            },
            "criteria": self.criteria,
            "fields": [{"field": f, "empty": e, "failed": x} for f, e, x in self.fields],
            "effort": {
                "submissions_refused_cases": self.refused_cases,
                "minutes_open_to_submission": {
                    str(k): v for k, v in sorted(self.open_minutes.items())
                },
                "fields_corrected": {str(k): v for k, v in sorted(self.fields_corrected.items())},
                "sections_reopened": {str(k): v for k, v in sorted(self.sections_reopened.items())},
                "minutes_in_sections": {str(k): v for k, v in sorted(self.section_minutes.items())},
                "seconds_per_section": {
                    section: {str(k): v for k, v in sorted(histogram.items())}
                    for section, histogram in sorted(self.section_seconds.items())
                },
            },
        }


def _count_if(condition: ColumnElement[bool]) -> Any:
    # COUNT(*) FILTER (WHERE …): SQL standard, PostgreSQL and SQLite ≥ 3.30; cheaper per row
    # than SUM(CASE …) on SQLite
    return func.count().filter(condition)


def _base(cohort: Cohort, *columns: Any) -> Select[Any]:
    return select(*columns).select_from(CaseMetrics).where(*cohort.conditions())


MAIN_KEYS = (
    "submitted",
    "sufficient",
    "returned_cases",
    "returns_total",
    "municipal_due",
    "municipal_kept",
    "decided",
    "decision_due",
    "decision_kept",
    "with_drafts",
    "drafts_abandoned",
)


def measure(
    session: Session, cohort: Cohort, *, as_of: dt.date, label: str = "", by_rows: bool = False
) -> VersionMeasures:
    """Every measure of the cohort in a few aggregate queries.

    The counts come from the daily roll-up (plus the row correction for cases not settled on
    ``as_of``); the histograms (returns, days to submission, days to decision) are row-level
    groupings read from covering indexes. ``by_rows``: everything over every row, as before
    the roll-ups (the baseline; the same figures).
    """
    if by_rows:
        return _measure_rows(session, cohort, as_of=as_of, label=label)
    m = CaseMetrics
    result = VersionMeasures(label or (cohort.version or ""), cohort.version)
    totals = _counts(session, cohort, as_of)
    result.received = totals.pop("received")
    for key, value in totals.items():
        setattr(result, key, value)
    histogram = (
        select(m.returns, m.submission_days, func.count())
        .select_from(m)
        .where(*cohort.conditions(day_index=False), m.first_submitted_on.is_not(None))
        .group_by(m.returns, m.submission_days)
    )
    for returns, submission_days, n in session.execute(histogram):
        key_r = int(returns)
        result.returns_histogram[key_r] = result.returns_histogram.get(key_r, 0) + int(n)
        if submission_days is not None:
            key_d = int(submission_days)
            result.submission_days[key_d] = result.submission_days.get(key_d, 0) + int(n)
    result.decision_days = _decision_days(session, cohort, day_index=False)
    result.criteria, result.fields = _findings(session, cohort)
    return result


# measure → roll-up column (``reporting.rollup``)
ROLLUP_COLUMNS = {
    "submitted": "submitted",
    "sufficient": "sufficient",
    "returned_cases": "returned",
    "returns_total": "returns_total",
    "municipal_due": "measure_municipal_due",
    "municipal_kept": "municipal_kept",
    "decided": "decided",
    "decision_due": "measure_decision_due",
    "decision_kept": "decision_kept",
    "with_drafts": "with_drafts",
    "drafts_abandoned": "drafts_abandoned",
}
AS_OF_KEYS = ("municipal_due", "decision_due", "drafts_abandoned")  # the rest ignore as_of


def _counts(session: Session, cohort: Cohort, as_of: dt.date) -> dict[str, int]:
    s = StatusDaily
    rolled = select(
        func.sum(s.received), *[func.sum(getattr(s, ROLLUP_COLUMNS[k])) for k in MAIN_KEYS]
    ).where(*cohort.conditions(StatusDaily))
    totals = dict(
        zip(("received", *MAIN_KEYS), map(as_int, session.execute(rolled).one()), strict=True)
    )
    correction = (
        select(*correction_columns(as_of, [ROLLUP_COLUMNS[k] for k in AS_OF_KEYS]))
        .select_from(CaseMetrics)
        .where(*cohort.conditions(day_index=False), CaseMetrics.settles_on > as_of)
    )
    for key, value in zip(AS_OF_KEYS, session.execute(correction).one(), strict=True):
        totals[key] += as_int(value)
    return totals


def _decision_days(session: Session, cohort: Cohort, *, day_index: bool) -> dict[int, int]:
    m = CaseMetrics
    decided = and_(m.status == DECIDED, m.decision_outcome != WITHDRAWN, m.decided_on.is_not(None))
    query = (
        select(m.decision_days, func.count())
        .select_from(m)
        .where(*cohort.conditions(day_index=day_index), decided)
        .group_by(m.decision_days)
    )
    return {int(d): int(n) for d, n in session.execute(query) if d is not None}


def _measure_rows(
    session: Session, cohort: Cohort, *, as_of: dt.date, label: str = ""
) -> VersionMeasures:
    """Every measure over every row: one scan grouped by (returns, days to submission)."""
    m = CaseMetrics
    submitted = m.first_submitted_on.is_not(None)
    decided = and_(m.status == DECIDED, m.decision_outcome != WITHDRAWN, m.decided_on.is_not(None))
    open_case = m.status != DECIDED
    conditions = {
        "submitted": submitted,
        "sufficient": and_(submitted, m.sufficient_at_submission.is_(True)),
        "returned_cases": and_(submitted, m.returns > 0),
        "municipal_due": and_(
            m.municipality_deadline.is_not(None),
            or_(submitted, m.municipality_deadline < as_of),
        ),
        "municipal_kept": and_(submitted, m.first_submitted_on <= m.municipality_deadline),
        "decided": decided,
        "decision_due": or_(decided, and_(open_case, m.decision_deadline < as_of)),
        "decision_kept": and_(decided, m.decided_on <= m.decision_deadline),
        "with_drafts": m.drafts > 0,
        "drafts_abandoned": and_(
            m.drafts > 0,
            not_(submitted),
            or_(m.status == DECIDED, m.municipality_deadline < as_of),
        ),
    }
    columns = [
        func.sum(case((submitted, m.returns), else_=0))
        if key == "returns_total"
        else _count_if(conditions[key])
        for key in MAIN_KEYS
    ]
    query = _base(cohort, m.returns, m.submission_days, func.count(), *columns).group_by(
        m.returns, m.submission_days
    )
    result = VersionMeasures(label or (cohort.version or ""), cohort.version)
    totals: dict[str, int] = dict.fromkeys(MAIN_KEYS, 0)
    for returns, submission_days, received, *values in session.execute(query):
        result.received += int(received)
        counts = dict(zip(MAIN_KEYS, (as_int(v) for v in values), strict=True))
        for key, value in counts.items():
            totals[key] += value
        if counts["submitted"]:
            key_r = int(returns)
            result.returns_histogram[key_r] = (
                result.returns_histogram.get(key_r, 0) + counts["submitted"]
            )
            if submission_days is not None:
                key_d = int(submission_days)
                result.submission_days[key_d] = (
                    result.submission_days.get(key_d, 0) + counts["submitted"]
                )
    for key, value in totals.items():
        setattr(result, key, value)
    result.decision_days = _decision_days(session, cohort, day_index=True)
    result.criteria, result.fields = _findings(session, cohort, by_rows=True)
    return result


def _findings(
    session: Session, cohort: Cohort, *, by_rows: bool = False
) -> tuple[dict[str, dict[str, int]], list[tuple[str, int, int]]]:
    if by_rows:
        f = CaseFinding
        query = (
            select(f.kind, f.ref, func.count())
            .select_from(CaseMetrics)
            .join(f, f.case_id == CaseMetrics.case_id)
            .where(*cohort.conditions())
            .group_by(f.kind, f.ref)
        )
    else:  # the daily roll-up of the findings: no join over every finding row
        d = FindingDaily
        query = (
            select(d.kind, d.ref, func.sum(d.n))
            .where(*cohort.conditions(FindingDaily))
            .group_by(d.kind, d.ref)
            .having(func.sum(d.n) > 0)
        )
    criteria: dict[str, dict[str, int]] = {}
    fields: dict[str, list[int]] = {}
    for kind, ref, n in session.execute(query):
        if kind == CRITERION_MISSING:
            criteria.setdefault(ref, {"missing": 0, "insufficient": 0})["missing"] = int(n)
        elif kind == CRITERION_INSUFFICIENT:
            criteria.setdefault(ref, {"missing": 0, "insufficient": 0})["insufficient"] = int(n)
        elif kind == FIELD_EMPTY:
            fields.setdefault(ref, [0, 0])[0] = int(n)
        elif kind == FIELD_FAILED:
            fields.setdefault(ref, [0, 0])[1] = int(n)
    top = sorted(fields.items(), key=lambda item: (-(item[1][0] + item[1][1]), item[0]))
    return dict(sorted(criteria.items())), [(k, e, x) for k, (e, x) in top[:TOP_FIELDS]]


def measure_many(
    session: Session, cohorts: Sequence[tuple[str, Cohort]], *, as_of: dt.date
) -> list[VersionMeasures]:
    return [measure(session, cohort, as_of=as_of, label=label) for label, cohort in cohorts]
