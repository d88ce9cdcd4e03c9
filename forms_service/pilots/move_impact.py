"""What moving open cases to another version would do, shown before the move (issue 19).

Ending a pilot moves its open cases; Seniorpension moves a single case. Before either is
confirmed the staff user sees the prediction: each case replayed through the target version
with the impact computation a publish uses (``editor.impact`` over ``completeness.impact``):
answers that would not carry over, questions that would become required, and the criteria and
conditions whose status would change. The figures are recorded with the move (audit details),
so what was predicted can later be set beside what happened.

"Becoming incomplete" is a case where at least one criterion would leave "tilstrækkeligt
oplyst"; "becoming complete" one where at least one would reach it. A case can be both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from forms_service.cases.models import Case
from forms_service.completeness.report import ConditionStatus, Status
from forms_service.editor.impact import (
    AffectedCase,
    AffectedCounts,
    OpenCase,
    open_cases,
    replay_cases,
)

COMPLETE = Status.COMPLETE.value


@dataclass(frozen=True, slots=True)
class CriterionShift:
    """One change of status of one criterion or condition, and how many cases it concerns."""

    id: str
    kind: str  # "criterion" | "condition"
    title: str
    before: str | None
    after: str | None
    cases: int

    @property
    def before_label(self) -> str:
        return status_label(self.kind, self.before)

    @property
    def after_label(self) -> str:
        return status_label(self.kind, self.after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
            "cases": self.cases,
        }


def status_label(kind: str, value: str | None) -> str:
    if value is None:
        return "findes ikke i versionen"
    try:
        return Status(value).label() if kind == "criterion" else ConditionStatus(value).label
    except ValueError:
        return value


@dataclass(frozen=True)
class MovePrediction(AffectedCounts):
    form: str
    from_versions: tuple[str, ...]
    to_version: str
    checked: int
    affected: tuple[AffectedCase, ...] = ()
    # cases whose answers were given under a version this service no longer knows
    unpredictable: tuple[str, ...] = field(default_factory=tuple)

    @property
    def becoming_incomplete(self) -> int:
        return sum(1 for a in self.affected if _leaves_complete(a))

    @property
    def becoming_complete(self) -> int:
        return sum(1 for a in self.affected if _reaches_complete(a))

    def shifts(self) -> list[CriterionShift]:
        counts: dict[tuple[str, str, str | None, str | None], int] = {}
        titles: dict[str, str] = {}
        for affected in self.affected:
            for change in affected.impact.changes:
                key = (change.kind, change.id, change.before, change.after)
                counts[key] = counts.get(key, 0) + 1
                titles[change.id] = change.title
        return [
            CriterionShift(item_id, kind, titles[item_id], before, after, n)
            for (kind, item_id, before, after), n in sorted(
                counts.items(), key=lambda kv: (kv[0][0] != "criterion", kv[0][1], -kv[1])
            )
        ]

    def summary(self) -> dict[str, Any]:
        """The figures recorded with the move (ids and counts: no answers, no names)."""
        return {
            "to_version": self.to_version,
            "checked": self.checked,
            "affected": len(self.affected),
            "losing_answers": self.losing_answers,
            "gaining_required": self.gaining_required,
            "becoming_incomplete": self.becoming_incomplete,
            "becoming_complete": self.becoming_complete,
            "shifts": [s.to_dict() for s in self.shifts()],
            "case_numbers": [a.case.case_number for a in self.affected],
            "unpredictable": list(self.unpredictable),
        }

    def for_case(self, case_id: int) -> dict[str, Any]:
        """One case's predicted figures, recorded with its own move."""
        found = next((a for a in self.affected if a.case.case_id == case_id), None)
        if found is None:
            return {"lost": 0, "new_required": 0, "changes": []}
        return {
            "lost": len(found.impact.lost),
            "new_required": len(found.impact.new_required),
            "changes": [c.to_dict() for c in found.impact.changes],
        }


def _leaves_complete(affected: AffectedCase) -> bool:
    return any(
        c.kind == "criterion" and c.before == COMPLETE and c.after != COMPLETE
        for c in affected.impact.changes
    )


def _reaches_complete(affected: AffectedCase) -> bool:
    return any(
        c.kind == "criterion" and c.after == COMPLETE and c.before != COMPLETE
        for c in affected.impact.changes
    )


def predict(
    registry: Any,
    form: str,
    cases: Iterable[OpenCase],
    to_version: str,
    *,
    today: dt.date,
) -> MovePrediction:
    """Replay ``cases`` through ``to_version`` (``LookupError`` if the registry lacks it)."""
    target = registry.get(form, to_version)
    known: list[OpenCase] = []
    unknown: list[str] = []
    definitions = {}
    for case in cases:
        try:
            if case.answers_version not in definitions:
                definitions[case.answers_version] = registry.get(form, case.answers_version)
        except LookupError:
            unknown.append(case.case_number)
            continue
        known.append(case)
    impacts = replay_cases(known, definitions, target, today=today)
    affected = tuple(
        AffectedCase(case, impact)
        for case, impact in zip(known, impacts, strict=True)
        if impact.affected
    )
    versions = tuple(sorted({c.version for c in known}))
    return MovePrediction(form, versions, to_version, len(known), affected, tuple(unknown))


def predict_pilot_ending(
    session: Session,
    registry: Any,
    form: str,
    from_version: str,
    to_version: str,
    municipality_codes: Iterable[int],
    *,
    today: dt.date,
) -> MovePrediction:
    """The pilot municipalities' open cases on ``from_version``, as ending the pilot moves them."""
    cases = sorted(
        (
            case
            for code in sorted(set(municipality_codes))
            for case in open_cases(session, form, [from_version], municipality_code=code)
        ),
        key=lambda c: c.case_id,
    )
    return predict(registry, form, cases, to_version, today=today)


def predict_case_move(
    registry: Any, case: Case, to_version: str, *, today: dt.date
) -> MovePrediction:
    """One case, as ``cases.version_move`` would move it (its latest answers carried over)."""
    latest = case.answer_sets[-1] if case.answer_sets else None
    one = OpenCase(
        case_id=case.id,
        case_number=case.case_number,
        municipality_code=case.municipality_code,
        version=case.form_version,
        answers_version=latest.version if latest is not None else case.form_version,
        sequence=latest.sequence if latest is not None else None,
        answers=dict(latest.answers) if latest is not None else {},
    )
    return predict(registry, case.form, [one], to_version, today=today)
