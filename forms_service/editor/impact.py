"""The impact of publishing a draft on every open case of its version line (issue 19).

Every case of the form that is still open for the municipality's answers (the states a version
move accepts) and pinned to a version of the draft's line (same major version; a pilot line
apart from the ordinary one) is replayed through the draft with
``completeness.impact.replay``: its latest answers carried over by the answer migration a
version move uses, evaluated under the draft and compared with the answers under their own
version. The report counts the cases that would lose answers, gain required questions or see a
criterion or condition change status, and lists them.

Speed (benchmarks/bench_impact.py): the open cases and their latest answers are read in two
queries; the answers' own evaluation is kept per answer set, and a draft that changes only
criteria or texts runs only the criteria it changes (``completeness.impact``); with
``workers`` > 1 the cases are replayed in processes forked after the definitions and cases are
loaded (and the kept evaluations made), each taking a share of the cases.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.cases.models import AnswerSet, Case
from forms_service.cases.version_move import MOVABLE_STATES
from forms_service.completeness.impact import CaseImpact, replay
from forms_service.definitions.model import FormDefinition

_LINE = re.compile(r"^(\d+)\.\d+\.\d+(?:-([A-Za-z-]+))?")


def version_line(version: str) -> tuple[str, str]:
    """``1.1.0`` → ("1", ""); ``2.0.0-pilot.2`` → ("2", "pilot")."""
    match = _LINE.match(version)
    if match is None:
        return (version, "")
    return (match.group(1), match.group(2) or "")


@dataclass(frozen=True, slots=True)
class OpenCase:
    """What replaying one case needs (plain values: they travel to worker processes)."""

    case_id: int
    case_number: str
    municipality_code: int
    version: str  # the case's pinned version
    answers_version: str  # the version its latest answers were given under
    sequence: int | None  # the latest answer set (None: no answers yet)
    answers: dict[str, Any]


@dataclass(frozen=True)
class AffectedCase:
    case: OpenCase
    impact: CaseImpact

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case.case_id,
            "case_number": self.case.case_number,
            "municipality_code": self.case.municipality_code,
            "version": self.case.version,
        } | self.impact.to_dict()


class AffectedCounts:
    """The counts over ``affected`` that a publish's report and a move's prediction share."""

    affected: tuple[AffectedCase, ...]

    @property
    def losing_answers(self) -> int:
        return sum(1 for a in self.affected if a.impact.lost)

    @property
    def gaining_required(self) -> int:
        return sum(1 for a in self.affected if a.impact.new_required)


@dataclass(frozen=True)
class ImpactReport(AffectedCounts):
    form: str
    version: str  # the draft's
    versions: tuple[str, ...]  # the line's versions whose cases were replayed
    checked: int
    affected: tuple[AffectedCase, ...] = field(default_factory=tuple)

    @property
    def has_impact(self) -> bool:
        return bool(self.affected)

    @property
    def changing_status(self) -> int:
        return sum(1 for a in self.affected if a.impact.changes)

    def summary(self) -> dict[str, Any]:
        """The counts, recorded with the change note when a publish is acknowledged."""
        return {
            "checked": self.checked,
            "affected": len(self.affected),
            "losing_answers": self.losing_answers,
            "gaining_required": self.gaining_required,
            "changing_status": self.changing_status,
            "case_numbers": [a.case.case_number for a in self.affected],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "version": self.version,
            "versions": list(self.versions),
            **self.summary(),
            "cases": [a.to_dict() for a in self.affected],
        }


def open_cases(
    session: Session,
    form: str,
    versions: Iterable[str],
    *,
    municipality_code: int | None = None,
) -> list[OpenCase]:
    """The cases of ``form`` pinned to one of ``versions`` and open for answers, with their
    latest answers (the ones a version move carries over).

    Two queries whatever the number of cases: the cases' own columns (no personal data is
    read, so none is decrypted), then each case's latest answer set only (earlier ones are
    not read, nor decrypted)."""
    where = [
        Case.form == form,
        Case.form_version.in_(list(versions)),
        Case.status.in_([s.value for s in MOVABLE_STATES]),
    ]
    if municipality_code is not None:
        where.append(Case.municipality_code == municipality_code)
    cases = session.execute(
        select(Case.id, Case.case_number, Case.municipality_code, Case.form_version)
        .where(*where)
        .order_by(Case.id)
    ).all()
    latest = (
        select(AnswerSet.case_id, func.max(AnswerSet.sequence).label("sequence"))
        .where(AnswerSet.case_id.in_(select(Case.id).where(*where)))
        .group_by(AnswerSet.case_id)
        .subquery()
    )
    answer_sets = {
        row.case_id: row
        for row in session.execute(
            select(
                AnswerSet.case_id, AnswerSet.sequence, AnswerSet.version, AnswerSet.answers
            ).join(
                latest,
                (AnswerSet.case_id == latest.c.case_id) & (AnswerSet.sequence == latest.c.sequence),
            )
        )
    }
    found = []
    for case_id, case_number, municipality, version in cases:
        answer_set = answer_sets.get(case_id)
        found.append(
            OpenCase(
                case_id=case_id,
                case_number=case_number,
                municipality_code=municipality,
                version=version,
                answers_version=answer_set.version if answer_set is not None else version,
                sequence=answer_set.sequence if answer_set is not None else None,
                answers=dict(answer_set.answers) if answer_set is not None else {},
            )
        )
    return found


def line_versions(available: Iterable[str], draft_version: str) -> tuple[str, ...]:
    line = version_line(draft_version)
    return tuple(v for v in available if v != draft_version and version_line(v) == line)


# the definitions and the draft of the replay in progress: set before the worker processes are
# forked, so each has them without pickling a definition
_JOB: dict[str, Any] = {}


def _replay_one(case: OpenCase) -> CaseImpact:
    definitions: dict[str, FormDefinition] = _JOB["definitions"]
    key = (case.case_id, case.sequence) if case.sequence is not None else None
    return replay(
        definitions[case.answers_version],
        _JOB["draft"],
        case.answers,
        today=_JOB["today"],
        key=key,
    )


def _replay_chunk(bounds: tuple[int, int]) -> list[CaseImpact]:
    cases: Sequence[OpenCase] = _JOB["cases"]
    return [_replay_one(case) for case in cases[bounds[0] : bounds[1]]]


def replay_cases(
    cases: Sequence[OpenCase],
    definitions: dict[str, FormDefinition],
    draft: FormDefinition,
    *,
    today: dt.date,
    workers: int = 1,
) -> list[CaseImpact]:
    """Each case's impact, in order; ``workers`` > 1 forks that many processes (where the
    platform forks; else one process). The cases, like the definitions, reach the workers
    by the fork: only their bounds and the impacts travel."""
    _JOB.update(definitions=definitions, draft=draft, today=today, cases=cases)
    try:
        if workers <= 1 or len(cases) < 2 * workers or "fork" not in _start_methods():
            return _replay_chunk((0, len(cases)))
        size = -(-len(cases) // workers)
        bounds = [(i, min(i + size, len(cases))) for i in range(0, len(cases), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_replay_chunk, bounds)
        return [impact for chunk in results for impact in chunk]
    finally:
        _JOB.clear()


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def compute_impact(
    session: Session,
    registry: Any,
    draft: FormDefinition,
    *,
    today: dt.date,
    municipality_code: int | None = None,
    workers: int = 1,
) -> ImpactReport:
    """The impact of publishing ``draft`` on the open cases of its line (``municipality_code``:
    only that municipality's cases, for a municipal reader)."""
    versions = line_versions(registry.versions(draft.form), draft.version)
    cases = open_cases(session, draft.form, versions, municipality_code=municipality_code)
    definitions = {
        version: registry.get(draft.form, version)
        for version in {c.answers_version for c in cases} | set(versions)
    }
    impacts = replay_cases(cases, definitions, draft, today=today, workers=workers)
    affected = tuple(
        AffectedCase(case, impact)
        for case, impact in zip(cases, impacts, strict=True)
        if impact.affected
    )
    return ImpactReport(draft.form, draft.version, versions, len(cases), affected)
