"""Naming the fields a criterion reads: labels, sections, repeat groups, documents.

A criterion's ``requires`` and a check's ``fields`` name top-level fields, computed values or
sub-fields of a repeat group (``helbredsdokumenter.dokument``). The report shows them to a
caseworker, so each is resolved once per definition version into a :class:`FieldRef` with its
Danish label, where it sits in the form and the anchor the form page gives it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from forms_service.answers.evaluate import Evaluation, is_empty_typed
from forms_service.definitions.expressions import ROW, TODAY, compile_expression
from forms_service.definitions.model import Field, FieldType, FormDefinition


@dataclass(frozen=True, slots=True)
class FieldRef:
    id: str  # "field", "computed" or "repeat.sub"
    label: str
    section: str | None
    section_title: str | None
    group: str | None = None  # the repeat group of a sub-field
    group_label: str | None = None
    document: bool = False  # an attachment, or a group of attachments
    computed: bool = False
    attachment: bool = False  # a top-level attachment field (its title input is the anchor)
    order: int = 0  # position in the form, so lists come out in form order

    @property
    def anchor(self) -> str:
        """The id of the element on the form page (forms_service/web/forms/render.py).

        A sub-field links to its group: a missing sub-field is missing from every row.
        """
        if self.group:
            return f"field-{self.group}"
        if self.computed:
            return f"computed-{self.id}"
        if self.attachment:
            return f"field-{self.id}-title"
        return f"field-{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "section": self.section,
            "section_title": self.section_title,
            "group": self.group,
            "group_label": self.group_label,
            "anchor": self.anchor,
        }


def _is_document(f: Field) -> bool:
    if f.type is FieldType.ATTACHMENT:
        return True
    return f.type is FieldType.REPEAT and any(s.type is FieldType.ATTACHMENT for s in f.fields)


class FieldCatalog:
    """Every name a criterion can mention in one definition version, resolved once."""

    def __init__(self, definition: FormDefinition) -> None:
        self.definition = definition
        self._refs: dict[str, FieldRef] = {}
        section_titles = {s.id: s.title for s in definition.sections}
        order = 0
        for section, f in definition.iter_fields():
            order += 1
            self._refs[f.id] = FieldRef(
                f.id,
                f.label,
                section.id,
                section.title,
                document=_is_document(f),
                attachment=f.type is FieldType.ATTACHMENT,
                order=order,
            )
            for sub in f.fields:
                order += 1
                key = f"{f.id}.{sub.id}"
                self._refs[key] = FieldRef(
                    key,
                    sub.label,
                    section.id,
                    section.title,
                    group=f.id,
                    group_label=f.label,
                    document=sub.type is FieldType.ATTACHMENT,
                    order=order,
                )
        self._inputs: dict[str, tuple[str, ...]] = {}
        for c in definition.computed:
            order += 1
            self._refs[c.id] = FieldRef(
                c.id,
                c.label or c.id,
                c.section,
                section_titles.get(c.section) if c.section else None,
                computed=True,
                order=order,
            )
            self._inputs[c.id] = self.sorted(compile_expression(c.expr).variables)

    def ref(self, name: str) -> FieldRef:
        found = self._refs.get(name)
        if found is None:  # the loader refuses unknown names; be safe for hand-built models
            return FieldRef(name, name, None, None, order=len(self._refs) + 1)
        return found

    def sorted(self, names: Iterable[str]) -> tuple[str, ...]:
        """Known field and computed names among ``names``, in form order."""
        known = {n for n in names if n in self._refs and n not in (ROW, TODAY)}
        return tuple(sorted(known, key=lambda n: self._refs[n].order))

    def reads(self, source: str) -> tuple[str, ...]:
        """The fields and computed values an expression reads, in form order."""
        return self.sorted(compile_expression(source).variables)

    def inputs(self, name: str) -> tuple[str, ...]:
        """What a computed value is computed from (nothing for a question)."""
        return self._inputs.get(name, ())

    def answered(self, evaluation: Evaluation, name: str) -> bool:
        ref = self.ref(name)
        if ref.computed:
            return evaluation.computed.get(name) is not None
        if ref.group is None:
            return evaluation.answered(name)
        sub = name[len(ref.group) + 1 :]
        rows = evaluation.values.get(ref.group) or ()
        return any(
            isinstance(row, dict) and row.get(sub) is not None and not is_empty_typed(row[sub])
            for row in rows
        )

    def hidden(self, evaluation: Evaluation, name: str) -> bool:
        """Hidden by ``visible_if`` (a section, the field, its group, or the sub-field in all rows)."""
        ref = self.ref(name)
        if ref.computed:
            return False
        if ref.group is None:
            return name in evaluation.hidden
        if ref.group in evaluation.hidden:
            return True
        sub = name[len(ref.group) + 1 :]
        rows = evaluation.values.get(ref.group) or ()
        return bool(rows) and all(
            f"{ref.group}[{index}].{sub}" in evaluation.hidden for index in range(len(rows))
        )

    def missing_input_labels(self, evaluation: Evaluation, computed_id: str) -> list[str]:
        """The labels of the unanswered questions a computed value is computed from (through
        other computed values too): what "Kan ikke beregnes endnu (mangler: …)" names on the
        form page and on paper alike."""
        missing: list[str] = []
        for name in self._inputs.get(computed_id, ()):
            for unanswered in self.unanswered_inputs(evaluation, name):
                label = self.ref(unanswered).label
                if label not in missing:
                    missing.append(label)
        return missing

    def unanswered_inputs(self, evaluation: Evaluation, name: str) -> tuple[str, ...]:
        """What is missing behind ``name``: itself, or for a computed value its missing inputs.

        ``fuldtidsaar`` is empty when ``ansoegningsdato`` is; the caseworker must fill in the
        date, not the computed value, so the missing inputs are named instead.
        """
        if self.answered(evaluation, name):
            return ()
        if not self.ref(name).computed:
            return (name,)
        found: list[str] = []
        for input_name in self._inputs.get(name, ()):
            for missing in self.unanswered_inputs(evaluation, input_name):
                if missing not in found:
                    found.append(missing)
        return tuple(found) or (name,)


_CATALOGS: dict[tuple[str, str, str], FieldCatalog] = {}
_LOCK = threading.Lock()


def catalog_for(definition: FormDefinition) -> FieldCatalog:
    """The catalog of a version; the content hash says whether two loads are the same version."""
    if not definition.content_hash:
        return FieldCatalog(definition)
    key = (definition.form, definition.version, definition.content_hash)
    found = _CATALOGS.get(key)
    if found is None:
        found = FieldCatalog(definition)
        with _LOCK:
            _CATALOGS[key] = found
    return found
