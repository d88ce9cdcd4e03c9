"""A pilot's comparison: the candidate version against the comparison version, measure by measure.

The candidate group is the pilot municipalities' cases of the candidate version applied for in
the pilot period; the comparison group is the comparison municipalities' (named, or all
others) cases of the comparison version in the same period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.pilots.effort import effort
from forms_service.pilots.measures import Cohort, VersionMeasures, measure
from forms_service.pilots.models import NAMED, Pilot
from forms_service.reporting.models import CaseMetrics
from forms_service.reporting.statistics import (
    compare_distributions,
    compare_proportions,
    verdict,
)


@dataclass(frozen=True, slots=True)
class MeasureComparison:
    key: str
    title: str
    kind: str  # "proportion" | "duration"
    unit: str  # "andel" | "dage" | "antal"
    candidate: float | None
    comparison: float | None
    n_candidate: int
    n_comparison: int
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    test: str
    sentence: str
    candidate_median: float | None = None
    comparison_median: float | None = None

    @property
    def small(self) -> bool:
        from forms_service.reporting.statistics import SMALL_N

        return min(self.n_candidate, self.n_comparison) < SMALL_N

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "candidate": self.candidate,
            "comparison": self.comparison,
            "n_candidate": self.n_candidate,
            "n_comparison": self.n_comparison,
            "difference": self.difference,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "test": self.test,
            "small": self.small,
            "sentence": self.sentence,
            "candidate_median": self.candidate_median,
            "comparison_median": self.comparison_median,
        }


@dataclass(frozen=True, slots=True)
class PilotComparison:
    pilot_id: int
    as_of: dt.date
    candidate: VersionMeasures
    comparison: VersionMeasures
    rows: list[MeasureComparison]
    # cases of the groups in the period on other versions than the recorded ones: counted apart
    others: dict[str, dict[str, int]] = field(default_factory=dict)

    def row(self, key: str) -> MeasureComparison:
        return next(r for r in self.rows if r.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pilot_id": self.pilot_id,
            "as_of": self.as_of.isoformat(),
            "candidate": self.candidate.to_dict(),
            "comparison": self.comparison.to_dict(),
            "rows": [r.to_dict() for r in self.rows],
            "others": self.others,
        }


PROPORTION_TEST = "Test af to andele (z-test)"
RANK_TEST = "Mann–Whitney U-test (rangtest)"


def _proportion(key: str, title: str, x1: int, n1: int, x2: int, n2: int) -> MeasureComparison:
    c = compare_proportions(x1, n1, x2, n2)
    return MeasureComparison(
        key,
        title,
        "proportion",
        "andel",
        c.p1,
        c.p2,
        n1,
        n2,
        c.difference,
        c.ci_low,
        c.ci_high,
        c.p_value,
        PROPORTION_TEST,
        verdict(c.p_value, n1, n2),
    )


def _distribution(
    key: str, title: str, unit: str, h1: dict[int, int], h2: dict[int, int]
) -> MeasureComparison:
    c = compare_distributions(h1, h2)
    return MeasureComparison(
        key,
        title,
        "duration",
        unit,
        c.mean1,
        c.mean2,
        c.n1,
        c.n2,
        c.difference,
        c.ci_low,
        c.ci_high,
        c.p_value,
        RANK_TEST,
        verdict(c.p_value, c.n1, c.n2),
        c.median1,
        c.median2,
    )


def cohorts_of(pilot: Pilot) -> tuple[Cohort, Cohort]:
    pilot_codes = tuple(pilot.pilot_codes)
    candidate = Cohort(
        pilot.form, pilot.candidate_version, pilot.start_date, pilot.end_date, pilot_codes
    )
    if pilot.comparison_scope == NAMED:
        comparison = Cohort(
            pilot.form,
            pilot.comparison_version,
            pilot.start_date,
            pilot.end_date,
            tuple(pilot.comparison_codes),
        )
    else:
        comparison = Cohort(
            pilot.form,
            pilot.comparison_version,
            pilot.start_date,
            pilot.end_date,
            None,
            pilot_codes,
        )
    return candidate, comparison


def compare_measures(a: VersionMeasures, b: VersionMeasures) -> list[MeasureComparison]:
    return _outcome_rows(a, b) + _effort_rows(a, b)


def _effort_rows(a: VersionMeasures, b: VersionMeasures) -> list[MeasureComparison]:
    """The effort rows, once effort is recorded for either group (pilots.effort)."""
    if not (a.open_minutes or b.open_minutes or a.refused_cases or b.refused_cases):
        return _section_rows(a, b)
    return [
        _proportion(
            "submit_refused",
            "Indsendelse afvist for fejl mindst én gang (indsatsen)",
            a.refused_cases,
            a.submitted,
            b.refused_cases,
            b.submitted,
        ),
        _distribution(
            "open_minutes",
            "Minutter fra skemaet første gang åbnes til indsendelse (indsatsen)",
            "minutter",
            a.open_minutes,
            b.open_minutes,
        ),
        _distribution(
            "fields_corrected",
            "Felter rettet efter en fejl ved indsendelse, pr. sag (indsatsen)",
            "antal",
            a.fields_corrected,
            b.fields_corrected,
        ),
        _distribution(
            "sections_reopened",
            "Afsnit genåbnet efter en afvist indsendelse, pr. sag (indsatsen)",
            "antal",
            a.sections_reopened,
            b.sections_reopened,
        ),
        *_section_rows(a, b),
    ]


def _section_rows(a: VersionMeasures, b: VersionMeasures) -> list[MeasureComparison]:
    """Time in the form's sections, once the browser has measured it for either group."""
    if not (a.section_minutes or b.section_minutes):
        return []
    return [
        _distribution(
            "section_minutes",
            "Minutter med skemaets afsnit i fokus, pr. sag (indsatsen, målt i browseren)",
            "minutter",
            a.section_minutes,
            b.section_minutes,
        )
    ]


def _outcome_rows(a: VersionMeasures, b: VersionMeasures) -> list[MeasureComparison]:
    return [
        _proportion(
            "sufficient",
            "Tilstrækkeligt oplyst ved første indsendelse",
            a.sufficient,
            a.submitted,
            b.sufficient,
            b.submitted,
        ),
        _proportion(
            "returned",
            "Returneret for flere oplysninger mindst én gang",
            a.returned_cases,
            a.submitted,
            b.returned_cases,
            b.submitted,
        ),
        _distribution(
            "returns",
            "Returneringer pr. sag",
            "antal",
            a.returns_histogram,
            b.returns_histogram,
        ),
        _distribution(
            "submission_days",
            "Dage fra anmodning til indsendelse",
            "dage",
            a.submission_days,
            b.submission_days,
        ),
        _proportion(
            "municipal_deadline",
            "Kommunens frist på 3 måneder overholdt",
            a.municipal_kept,
            a.municipal_due,
            b.municipal_kept,
            b.municipal_due,
        ),
        _distribution(
            "decision_days",
            "Dage fra ansøgning til afgørelse",
            "dage",
            a.decision_days,
            b.decision_days,
        ),
        _proportion(
            "decision_deadline",
            "Afgørelse inden for 6 måneder",
            a.decision_kept,
            a.decision_due,
            b.decision_kept,
            b.decision_due,
        ),
        _proportion(
            "drafts_abandoned",
            "Kladder opgivet (af sager med kladde)",
            a.drafts_abandoned,
            a.with_drafts,
            b.drafts_abandoned,
            b.with_drafts,
        ),
    ]


def compare_pilot(
    session: Session, pilot: Pilot, *, as_of: dt.date, by_rows: bool = False
) -> PilotComparison:
    """``by_rows``: findings counted over every row instead of the daily roll-up (same figures)."""
    candidate_cohort, comparison_cohort = cohorts_of(pilot)
    candidate = measure(
        session,
        candidate_cohort,
        as_of=as_of,
        label=f"Pilot ({pilot.candidate_version})",
        by_rows=by_rows,
    )
    comparison = measure(
        session,
        comparison_cohort,
        as_of=as_of,
        label=f"Sammenligning ({pilot.comparison_version})",
        by_rows=by_rows,
    )
    for measures, cohort in ((candidate, candidate_cohort), (comparison, comparison_cohort)):
        spent = effort(session, cohort)
        measures.refused_cases = spent.refused_cases
        measures.open_minutes = spent.open_minutes
        measures.fields_corrected = spent.fields_corrected
        measures.sections_reopened = spent.sections_reopened
        measures.section_minutes = spent.section_minutes
        measures.section_seconds = spent.section_seconds
    others = {
        "candidate": _other_versions(session, candidate_cohort),
        "comparison": _other_versions(session, comparison_cohort),
    }
    return PilotComparison(
        pilot.id, as_of, candidate, comparison, compare_measures(candidate, comparison), others
    )


def _other_versions(session: Session, cohort: Cohort) -> dict[str, int]:
    """{version: cases} of the cohort's municipalities and period not on its recorded version
    (a version published meanwhile, a case moved): the measures leave them out."""
    everyone = replace(cohort, version=None)
    query = (
        select(CaseMetrics.form_version, func.count())
        .where(*everyone.conditions(), CaseMetrics.form_version != cohort.version)
        .group_by(CaseMetrics.form_version)
        .order_by(CaseMetrics.form_version)
    )
    return {str(version): int(n) for version, n in session.execute(query)}
