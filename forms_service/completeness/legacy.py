"""Eligibility tests that the published versions state inside information criteria.

1.0.0 and 2.0.0-pilot.1 test ``fuldtidsaar >= 20``, the 15-hour limit and permanence as checks
of criteria 1 and 4, so a well-informed case of someone who does not qualify read as "not
sufficiently informed". Published versions never change, but the report's meaning is the
engine's: these checks are read as conditions (same message, same fields) in every version that
states them, recognised by the criterion and the exact expression. Later versions state them as
``kind: "eligibility"`` entries and need nothing from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from forms_service.definitions.model import Criterion


@dataclass(frozen=True, slots=True)
class LiftedCondition:
    id: str
    title: str
    legal_ref: str


FULL_TIME_YEARS = LiftedCondition(
    "fuldtidsaar",
    "Langvarig tilknytning til arbejdsmarkedet (mindst 20–25 års fuldtidsbeskæftigelse)",
    "Pensionsloven § 26 a, stk. 2, nr. 1; BEK § 2",
)
CAPACITY_15_HOURS = LiftedCondition(
    "arbejdsevne_hoejst_15_timer",
    "Arbejdsevnen er højst 15 timer om ugen i forhold til seneste job",
    "Pensionsloven § 26 a, stk. 2, nr. 2; BEK § 3, stk. 1",
)
PERMANENT = LiftedCondition(
    "varigt_nedsat",
    "Arbejdsevnen er varigt nedsat",
    "Pensionsloven § 26 a, stk. 2, nr. 2, og § 26 c, stk. 1, nr. 4; BEK § 3, stk. 1",
)

LIFTED: dict[tuple[str, str], LiftedCondition] = {
    ("kriterie_1", "fuldtidsaar >= 20.0"): FULL_TIME_YEARS,
    ("kriterie_4", "arbejdsevne_timer <= 15.0"): CAPACITY_15_HOURS,
    ("kriterie_4", "arbejdsevne_timer_pr_uge <= 15.0"): CAPACITY_15_HOURS,
    ("kriterie_4", "varigt_nedsat == true"): PERMANENT,
}


def lifted(criterion_id: str, expr: str) -> LiftedCondition | None:
    """The condition a published version's check tests, or None for an information check."""
    return LIFTED.get((criterion_id, expr.strip()))


def lifted_messages(completeness: Iterable[Criterion]) -> frozenset[str]:
    """The messages of the eligibility checks a version states inside its criteria."""
    return frozenset(
        check.message
        for criterion in completeness
        if criterion.kind == "criterion"
        for check in criterion.checks
        if lifted(criterion.id, check.expr) is not None
    )
