"""The completeness report: is the case informed (criteria), and what the information shows
about the conditions for seniorpension (conditions).

Two questions, kept apart because they lead down different roads:

- ``criteria`` are the four information criteria of pensionsloven § 26 c, stk. 1: is the
  information there and good enough to decide on? They alone decide ``sufficient``. A case
  that is not sufficiently informed goes back to the municipality for more information.
- ``conditions`` are the eligibility conditions (§ 26 a, BEK § 1–3): pension-age window, not on
  førtidspension, full-time years, work capacity, permanence. Whether they are met is the
  decision itself; a condition not met on full information leads to a refusal, not back to
  the municipality.

The report is stored with each submission and compared byte for byte in tests, so
``to_dict`` is plain JSON data in a fixed shape, with every list in form or definition order.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from forms_service.completeness.fields import FieldRef


class Status(StrEnum):
    """How far a criterion is informed."""

    COMPLETE = "complete"
    MISSING = "missing"
    INSUFFICIENT = "insufficient"

    def label(self, kind: str = "criterion") -> str:  # pragma: no mutate (kind is unused)
        """Danish label (``kind`` is kept for callers of the earlier signature)."""
        return _CRITERION_LABELS[self]


class ConditionStatus(StrEnum):
    """What the information shows about an eligibility condition."""

    MET = "met"
    NOT_MET = "not_met"
    UNDETERMINED = "undetermined"

    @property
    def label(self) -> str:
        return _CONDITION_LABELS[self]


_CRITERION_LABELS = {
    Status.COMPLETE: "Tilstrækkeligt oplyst",
    Status.MISSING: "Mangler oplysninger",
    Status.INSUFFICIENT: "Ikke tilstrækkeligt oplyst",
}
_CONDITION_LABELS = {
    ConditionStatus.MET: "Opfyldt",
    ConditionStatus.NOT_MET: "Ikke opfyldt",
    ConditionStatus.UNDETERMINED: "Kan ikke vurderes endnu",
}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    kind: str  # always "criterion" in a report; kept in the JSON for readers of the old shape
    title: str
    legal_ref: str | None
    status: Status
    reasons: tuple[str, ...]
    missing_fields: tuple[FieldRef, ...]
    missing_documents: tuple[FieldRef, ...]
    # answered fields named by a failed check: present, but what the caseworker should look at
    review_fields: tuple[FieldRef, ...]
    attention: tuple[str, ...]
    guidance: str | None

    @property
    def complete(self) -> bool:
        return self.status is Status.COMPLETE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "legal_ref": self.legal_ref,
            "status": self.status.value,
            "status_label": self.status.label(),
            "reasons": list(self.reasons),
            "missing_fields": [ref.to_dict() for ref in self.missing_fields],
            "missing_documents": [ref.to_dict() for ref in self.missing_documents],
            "review_fields": [ref.to_dict() for ref in self.review_fields],
            "attention": list(self.attention),
            "guidance": self.guidance,
        }


@dataclass(frozen=True, slots=True)
class ConditionResult:
    id: str
    title: str
    legal_ref: str | None
    status: ConditionStatus
    reasons: tuple[str, ...]  # why not met, or what is needed before it can be assessed
    fields: tuple[FieldRef, ...]  # the answers the assessment rests on (or still needs)
    guidance: str | None
    criterion: str | None = None  # the criterion a published version states it inside

    @property
    def met(self) -> bool:
        return self.status is ConditionStatus.MET

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "eligibility",
            "title": self.title,
            "legal_ref": self.legal_ref,
            "status": self.status.value,
            "status_label": self.status.label,
            "reasons": list(self.reasons),
            "fields": [ref.to_dict() for ref in self.fields],
            "criterion": self.criterion,
            "guidance": self.guidance,
        }


@dataclass(frozen=True, slots=True)
class CompletenessReport:
    form: str
    version: str
    content_hash: str
    evaluated_on: dt.date
    criteria: tuple[CriterionResult, ...]
    conditions: tuple[ConditionResult, ...]
    summary: str
    guidance: str | None  # the form's "sufficient" or "missing_information" guidance

    @property
    def sufficient(self) -> bool:
        """Every information criterion is complete; the conditions do not enter (§ 26 c)."""
        return all(result.complete for result in self.criteria)

    @property
    def ref(self) -> str:
        return f"{self.form}@{self.version}"

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        return None

    def condition(self, condition_id: str) -> ConditionResult | None:
        for result in self.conditions:
            if result.id == condition_id:
                return result
        return None

    def missing_items(self) -> list[str]:
        """One Danish line per criterion not informed: a ready reason for returning the case.

        Conditions are never listed: a condition not met is no information to gather.
        """
        lines = []
        for result in self.criteria:
            if not result.complete:
                lines.append(f"{result.title}: " + " ".join(result.reasons))
        return lines

    def not_met(self) -> list[ConditionResult]:
        """Conditions the information shows are not met: they can lead to a refusal."""
        return [c for c in self.conditions if c.status is ConditionStatus.NOT_MET]

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "version": self.version,
            "content_hash": self.content_hash,
            "evaluated_on": self.evaluated_on.isoformat(),
            "sufficient": self.sufficient,
            "summary": self.summary,
            "guidance": self.guidance,
            "criteria": [result.to_dict() for result in self.criteria],
            "conditions": [result.to_dict() for result in self.conditions],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON: the same answers give byte-identical text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=indent)
