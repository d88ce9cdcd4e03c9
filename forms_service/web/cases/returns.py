"""A returned case, as the pages show it: why Seniorpension sent it back and what it asks for.

The form page opens with the open return (reason and requested items linked to their fields),
the completeness checklist does not call such a case "tilstrækkeligt oplyst", and Seniorpension's
return action offers the items the completeness report flagged as checkboxes: only those of the
information criteria. A condition not met is no missing information (Pensionsloven § 26 c
against § 26 a), so its fields are never offered as something to gather, also when the report
was stored before the split and still lists its conditions among the criteria.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from forms_service.cases.lifecycle import Status
from forms_service.cases.models import Case
from forms_service.completeness.fields import catalog_for
from forms_service.completeness.stored import current_shape
from forms_service.definitions.model import FormDefinition

MUNICIPALITY_WORKING = {
    Status.SENT_TO_MUNICIPALITY.value,
    Status.DRAFT_IN_PROGRESS.value,
    Status.RETURNED.value,
}


@dataclass(frozen=True)
class RequestedItem:
    id: str
    label: str
    section_title: str | None
    anchor: str


@dataclass(frozen=True)
class OpenReturn:
    at: dt.datetime
    by: str
    reason: str
    requested: list[RequestedItem] = field(default_factory=list)


def open_return(case: Case, definition: FormDefinition | None) -> OpenReturn | None:
    """The last return of a case the municipality is still working on, or None.

    A return stays open while the municipality saves drafts (the status then reads "Kladde
    under udarbejdelse") and closes when the case is submitted again.
    """
    if case.status not in MUNICIPALITY_WORKING:
        return None
    last = None
    for event in case.events:
        if event.to_status == Status.RETURNED.value:
            last = event
        elif event.to_status == Status.SUBMITTED.value:
            last = None
    if last is None:
        return None
    return OpenReturn(
        at=last.at,
        by=last.actor_name,
        reason=last.reason or "",
        requested=requested_items(definition, last.requested_fields or []),
    )


def requested_items(definition: FormDefinition | None, names: list[str]) -> list[RequestedItem]:
    if definition is None:
        return [RequestedItem(n, n, None, f"field-{n}") for n in names]
    catalog = catalog_for(definition)
    items = []
    for name in catalog.sorted(names):
        ref = catalog.ref(name)
        items.append(RequestedItem(name, ref.label, ref.section_title, ref.anchor))
    return items


def return_candidates(
    definition: FormDefinition | None, report: dict[str, Any] | None
) -> tuple[list[RequestedItem], list[tuple[str, list[RequestedItem]]]]:
    """What Seniorpension can ask for: the fields the report's information criteria flagged
    first, then every other top-level field by section (never a condition's fields as flagged)."""
    if definition is None:
        return [], []
    flagged: list[str] = []
    criteria = current_shape(report).get("criteria", []) if report else []
    for item in criteria:
        if item.get("kind", "criterion") != "criterion":
            continue  # the old shape's conditions are moved out; be safe with any other kind
        for key in ("missing_fields", "missing_documents", "review_fields"):
            for ref in item.get(key) or []:
                name = ref.get("group") or ref.get("id")
                if name and definition.field(name) is not None and name not in flagged:
                    flagged.append(name)
    first = requested_items(definition, flagged)
    others = []
    for section in definition.sections:
        rest = [f.id for f in section.fields if f.id not in flagged]
        if rest:
            others.append((section.title, requested_items(definition, rest)))
    return first, others
