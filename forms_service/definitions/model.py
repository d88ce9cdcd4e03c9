"""Immutable model of a loaded form definition.

A definition is data reviewed like code; once loaded it must not change under a running
service, so every model object is a frozen dataclass with tuples instead of lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    CPR = "cpr"
    REPEAT = "repeat"
    ATTACHMENT = "attachment"


class ComputedType(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    TEXT = "text"
    DATE = "date"


class Severity(StrEnum):
    """How serious a failed completeness check is.

    ``missing``: information is absent; ``insufficient``: present but not enough to decide;
    ``attention``: the case can be sufficient, but Seniorpension should look at this.
    """

    MISSING = "missing"
    INSUFFICIENT = "insufficient"
    ATTENTION = "attention"


@dataclass(frozen=True, slots=True)
class LegalReference:
    ref: str
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """One question. ``fields`` holds the sub-fields of a repeat group (rows)."""

    id: str
    type: FieldType
    label: str
    path: str  # JSON path inside the definition, e.g. "sections[1].fields[0]"
    hint: str | None = None
    guidance: str | None = None
    required: bool = False
    visible_if: str | None = None
    required_if: str | None = None
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    options: tuple[Option, ...] = ()
    fields: tuple[Field, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    # attachment: the document sources a reference may name (empty: any text)
    sources: tuple[Option, ...] = ()
    unit: str | None = None
    legal_refs: tuple[LegalReference, ...] = ()
    # repeat groups: how a row is named in messages, e.g. "ansættelsen hos {arbejdsgiver}"
    row_label: str | None = None
    # Danish messages replacing the generated ones, keyed by problem code
    messages: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_repeat(self) -> bool:
        return self.type is FieldType.REPEAT

    def option_label(self, value: str) -> str | None:
        for option in self.options:
            if option.value == value:
                return option.label
        return None

    def subfield(self, field_id: str) -> Field | None:
        for sub in self.fields:
            if sub.id == field_id:
                return sub
        return None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    path: str
    fields: tuple[Field, ...]
    guidance: str | None = None
    visible_if: str | None = None
    legal_refs: tuple[LegalReference, ...] = ()


@dataclass(frozen=True, slots=True)
class Computed:
    """A value derived from answers by a CEL expression, evaluated in dependency order."""

    id: str
    expr: str
    path: str
    label: str | None = None
    type: ComputedType = ComputedType.NUMBER
    decimals: int | None = None
    unit: str | None = None
    section: str | None = None  # where the value is shown in forms and documents


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """A form-level rule: ``expr`` must hold, else ``message`` is reported on ``fields``."""

    id: str
    expr: str
    message: str
    path: str
    fields: tuple[str, ...] = ()
    # inside a repeat group the check runs once per row, with ``row`` bound
    repeat: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionCheck:
    expr: str
    message: str
    path: str
    severity: Severity = Severity.INSUFFICIENT
    fields: tuple[str, ...] = ()
    when: str | None = None  # the check only applies when this expression holds


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    path: str
    legal_ref: str | None = None
    guidance: str | None = None
    requires: tuple[str, ...] = ()
    checks: tuple[CriterionCheck, ...] = ()
    kind: str = "criterion"  # "criterion" (§ 26 c, stk. 1) or "eligibility"


@dataclass(frozen=True, slots=True)
class FieldMigration:
    """How answers of an earlier version map onto this one (renames, option changes)."""

    field: str
    renamed_from: str | None = None
    option_map: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    type_change: str | None = None  # e.g. "text->textarea", declared on purpose


@dataclass(frozen=True, slots=True)
class FormGuidance:
    intro: str | None = None
    sufficient: str | None = None
    missing_information: str | None = None


@dataclass(frozen=True)
class FormDefinition:
    form: str
    version: str
    title: str
    content_hash: str
    sections: tuple[Section, ...]
    description: str | None = None
    legal_basis: tuple[LegalReference, ...] = ()
    guidance: FormGuidance = FormGuidance()
    computed: tuple[Computed, ...] = ()
    checks: tuple[CrossCheck, ...] = ()
    completeness: tuple[Criterion, ...] = ()
    migrations: tuple[FieldMigration, ...] = ()
    based_on: str | None = None
    # computed ids in dependency order (the loader refuses cycles)
    computed_order: tuple[str, ...] = ()
    # the raw JSON as loaded: export, diff and the API read it instead of re-serialising
    raw: MappingProxyType[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def __post_init__(self) -> None:
        by_id: dict[str, Field] = {}
        by_section: dict[str, Section] = {}
        for section in self.sections:
            for f in section.fields:
                by_id[f.id] = f
                by_section[f.id] = section
        object.__setattr__(self, "_fields_by_id", by_id)
        object.__setattr__(self, "_section_by_field", by_section)

    @property
    def ref(self) -> str:
        return f"{self.form}@{self.version}"

    def iter_fields(self) -> Iterator[tuple[Section, Field]]:
        """Top-level fields in order (repeat groups once; their sub-fields via ``.fields``)."""
        for section in self.sections:
            for f in section.fields:
                yield section, f

    def field(self, field_id: str) -> Field | None:
        """A top-level field by id (sub-fields of a repeat: ``field(repeat).subfield(id)``)."""
        return self._fields_by_id.get(field_id)  # type: ignore[attr-defined]

    def section_of(self, field_id: str) -> Section | None:
        return self._section_by_field.get(field_id)  # type: ignore[attr-defined]

    def computed_value(self, computed_id: str) -> Computed | None:
        for c in self.computed:
            if c.id == computed_id:
                return c
        return None
