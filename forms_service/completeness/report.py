"""The completeness report: one result per criterion, and whether the case is sufficient.

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
    COMPLETE = "complete"
    MISSING = "missing"
    INSUFFICIENT = "insufficient"

    def label(self, kind: str = "criterion") -> str:
        """Danish label; an eligibility condition is met or not rather than informed."""
        if kind == "criterion":
            return _CRITERION_LABELS[self]
        return _CONDITION_LABELS[self]


_CRITERION_LABELS = {
    Status.COMPLETE: "Tilstrækkeligt oplyst",
    Status.MISSING: "Mangler oplysninger",
    Status.INSUFFICIENT: "Ikke tilstrækkeligt oplyst",
}
_CONDITION_LABELS = {
    Status.COMPLETE: "Opfyldt",
    Status.MISSING: "Mangler oplysninger",
    Status.INSUFFICIENT: "Ikke opfyldt",
}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    kind: str  # "criterion" or "eligibility"
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
            "status_label": self.status.label(self.kind),
            "reasons": list(self.reasons),
            "missing_fields": [ref.to_dict() for ref in self.missing_fields],
            "missing_documents": [ref.to_dict() for ref in self.missing_documents],
            "review_fields": [ref.to_dict() for ref in self.review_fields],
            "attention": list(self.attention),
            "guidance": self.guidance,
        }


@dataclass(frozen=True, slots=True)
class CompletenessReport:
    form: str
    version: str
    content_hash: str
    evaluated_on: dt.date
    criteria: tuple[CriterionResult, ...]
    summary: str
    guidance: str | None  # the form's "sufficient" or "missing_information" guidance

    @property
    def sufficient(self) -> bool:
        """Every criterion and every eligibility condition is complete."""
        return all(result.complete for result in self.criteria)

    @property
    def ref(self) -> str:
        return f"{self.form}@{self.version}"

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        return None

    def missing_items(self) -> list[str]:
        """One Danish line per unmet criterion: a ready reason for returning the case."""
        lines = []
        for result in self.criteria:
            if not result.complete:
                lines.append(f"{result.title}: " + " ".join(result.reasons))
        return lines

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
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON: the same answers give byte-identical text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=indent)
