"""The page model the form templates render: every decision made here, none in Jinja.

``build_page`` turns a definition, a bound WTForms form and the evaluated answer set into
sections of controls with ids, labels, hints, errors and ``aria-describedby`` already worked
out, plus the error summary. The macros in ``templates/forms/_form.html`` only print it, so
the case form, the read-only view and the editor's preview share one rendering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from wtforms import Field as WTField

from forms_service.answers import Evaluation, Problem
from forms_service.answers.text import answer_text, cell_text, computed_text
from forms_service.completeness.fields import catalog_for
from forms_service.definitions.expressions import ExpressionEvaluationError
from forms_service.definitions.model import (
    Computed,
    Field,
    FieldType,
    FormDefinition,
    Section,
)
from forms_service.web.forms.builder import ATTACHMENT_PARTS, BOOLEAN_CHOICES, AnswersForm, locate
from forms_service.web.markdown import render_markdown

PART_LABELS = {
    "title": "Titel",
    "source": "Kilde",
    "date": "Dato",
    "reference": "Reference (journalnr. o.l.)",
}
# how each field type is shown: at the top level, and inside a repeat row (compact)
_KIND = {
    FieldType.TEXT: "text",
    FieldType.CPR: "text",
    FieldType.TEXTAREA: "textarea",
    FieldType.INTEGER: "number",
    FieldType.NUMBER: "number",
    FieldType.DATE: "date",
    FieldType.BOOLEAN: "radio",
    FieldType.CHOICE: "radio",
    FieldType.MULTICHOICE: "checkboxes",
    FieldType.ATTACHMENT: "attachment",
    FieldType.REPEAT: "repeat",
}
_ROW_KIND = _KIND | {FieldType.BOOLEAN: "select", FieldType.CHOICE: "select"}

EDIT, READONLY, PREVIEW = "edit", "readonly", "preview"


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool
    hint: str | None = None


@dataclass
class Control:
    kind: str
    field: Field
    name: str
    id: str  # the element an error-summary link focuses
    label: str
    required: bool = False
    hint: str | None = None
    guidance: Markup = field(default_factory=Markup)
    errors: list[str] = field(default_factory=list)
    value: Any = ""
    choices: list[Choice] = field(default_factory=list)
    unit: str | None = None
    display: str = ""  # the answer as text, for the read-only view
    parts: list[Control] = field(default_factory=list)  # attachment: title, source, …
    columns: list[Field] = field(default_factory=list)  # repeat
    rows: list[Row] = field(default_factory=list)
    add_action: str = ""
    can_add: bool = False
    can_remove: bool = False
    in_row: bool = False

    @property
    def hint_id(self) -> str | None:
        return f"{self.name}-hint" if self.hint else None

    @property
    def error_id(self) -> str | None:
        return f"{self.name}-error" if self.errors else None

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.hint_id, self.error_id) if i)

    @property
    def group(self) -> bool:
        """Shown as a fieldset with a legend (radio and checkbox groups, attachments)."""
        return self.kind in ("radio", "checkboxes", "attachment", "repeat")


@dataclass
class Row:
    index: int
    label: str  # "Række 2"
    cells: list[Control | None]  # None: hidden by the sub-field's condition
    remove_action: str
    anchor: str  # the row header, which a problem with the whole row links to
    errors: list[str] = field(default_factory=list)


@dataclass
class ComputedView:
    id: str
    dom_id: str
    label: str
    text: str


@dataclass
class SectionView:
    section: Section
    dom_id: str
    title: str
    guidance: Markup
    hidden: bool
    controls: list[Control]
    computed: list[ComputedView]

    @property
    def signature(self) -> str:
        """Changes when what the section shows changes (not when a typed value does)."""
        parts: list[str] = [self.dom_id, str(self.hidden)]
        for control in self.controls:
            parts += _control_signature(control)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass
class SummaryItem:
    href: str
    message: str


@dataclass
class FormPage:
    definition: FormDefinition
    mode: str
    intro: Markup
    sections: list[SectionView]
    summary: list[SummaryItem]
    form_errors: list[str]

    @property
    def editable(self) -> bool:
        return self.mode != READONLY

    def section(self, section_id: str) -> SectionView:
        return next(s for s in self.sections if s.section.id == section_id)


def _control_signature(control: Control) -> list[str]:
    parts = [control.name, control.kind, str(control.required), *control.errors]
    for part in control.parts:
        parts += _control_signature(part)
    for row in control.rows:
        parts.append(f"row{row.index}")
        parts += row.errors
        for cell in row.cells:
            parts += _control_signature(cell) if cell else ["-"]
    return parts


# --- what a version shows whatever the answers --------------------------------------------


@dataclass(frozen=True)
class VersionStatics:
    """The guidance of a definition version as sanitised HTML (each text converted once per
    process by ``render_markdown``'s cache: a published version never changes)."""

    intro: Markup
    sections: dict[str, Markup]
    fields: dict[str, Markup]  # top-level questions (cells of a repeat show no guidance)


def statics_for(definition: FormDefinition) -> VersionStatics:
    return VersionStatics(
        intro=render_markdown(definition.guidance.intro, heading_level=2),
        sections={s.id: render_markdown(s.guidance, heading_level=3) for s in definition.sections},
        fields={
            f.id: render_markdown(f.guidance, heading_level=3)
            for _section, f in definition.iter_fields()
        },
    )


# --- building -------------------------------------------------------------------------------


def build_page(
    definition: FormDefinition,
    form: AnswersForm,
    evaluation: Evaluation,
    *,
    mode: str = EDIT,
    problems: tuple[Problem, ...] | list[Problem] = (),
) -> FormPage:
    builder = _Builder(definition, form, evaluation, mode)
    sections = [builder.section(s) for s in definition.sections]
    summary = []
    for problem in problems:
        target = locate(form, problem.path)
        href = "#" + (builder.anchor(target) if target is not None else "skema")
        summary.append(SummaryItem(href, problem.message))
    return FormPage(
        definition=definition,
        mode=mode,
        intro=builder.statics.intro,
        sections=sections,
        summary=summary,
        form_errors=list(form.form_errors),
    )


class _Builder:
    def __init__(
        self, definition: FormDefinition, form: AnswersForm, evaluation: Evaluation, mode: str
    ) -> None:
        self.definition = definition
        self.form = form
        self.evaluation = evaluation
        self.mode = mode
        self.problems = form.field_problems
        self.statics = statics_for(definition)

    def section(self, section: Section) -> SectionView:
        hidden = f"section:{section.id}" in self.evaluation.hidden
        controls = []
        if not hidden:
            for f in section.fields:
                if f.id in self.evaluation.hidden:
                    continue
                value = self.evaluation.values.get(f.id)
                controls.append(self.control(f, self.form.bound(f.id), value, in_row=False))
        computed = [
            self.computed(c)
            for c in self.definition.computed
            if c.section == section.id and not hidden
        ]
        return SectionView(
            section=section,
            dom_id=f"section-{section.id}",
            title=section.title,
            guidance=self.statics.sections[section.id],
            hidden=hidden,
            controls=controls,
            computed=computed,
        )

    def computed(self, computed: Computed) -> ComputedView:
        # "-1,0 år" from no employment periods is not a result: say what it waits for
        missing = catalog_for(self.definition).missing_input_labels(self.evaluation, computed.id)
        return ComputedView(
            id=computed.id,
            dom_id=f"computed-{computed.id}",
            label=computed.label or computed.id,
            text=computed_text(
                computed, self.evaluation.computed.get(computed.id), missing=missing
            ),
        )

    def anchor(self, bound: WTField) -> str:
        """The id a summary link for ``bound`` points at (a focusable element)."""
        return _anchor_for(bound.name, self._kind_of(bound.name))

    def _kind_of(self, name: str) -> str:
        # what kind of control carries ``name``: look the field definition up by its path
        parts = name.split("-")
        f = self.definition.field(parts[0])
        if f is None:
            return "text"
        if len(parts) >= 3 and f.is_repeat:
            sub = f.subfield(parts[2])
            if sub is None:
                return "row"
            if len(parts) >= 4:
                return "part"
            return _ROW_KIND[sub.type]
        if len(parts) == 2 and f.is_repeat:
            return "row"
        if len(parts) >= 2:
            return "part"
        return _KIND[f.type]

    def required(self, f: Field, row: dict[str, Any] | None = None) -> bool:
        if f.required:
            return True
        if f.required_if is None:
            return False
        try:
            return self.evaluation.run(f.required_if, row=row) is True
        except ExpressionEvaluationError:
            return False

    def control(
        self,
        f: Field,
        bound: WTField,
        value: Any,
        *,
        in_row: bool,
        row: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> Control:
        kind = (_ROW_KIND if in_row else _KIND)[f.type]
        name = bound.name
        control = Control(
            kind=kind,
            field=f,
            name=name,
            id=_anchor_for(name, kind),
            label=label or f.label,
            required=self.required(f, row),
            hint=None if in_row else f.hint,
            guidance=Markup("") if in_row else self.statics.fields[f.id],
            errors=list(self.problems.get(name, ())),
            unit=f.unit,
            display=cell_text(f, value) if in_row else answer_text(f, value),
            in_row=in_row,
        )
        if f.type is FieldType.REPEAT:
            self._repeat(control, f, bound, value)
        elif f.type is FieldType.ATTACHMENT:
            self._attachment(control, f, bound)
        elif kind in ("radio", "select", "checkboxes"):
            self._choices(control, f, bound)
        else:
            control.value = bound.data or ""
            if kind == "date":
                control.value = date_as_typed(control.value)
                if not in_row:
                    control.hint = " ".join(p for p in (f.hint, DATE_FORMAT_HINT) if p)
        return control

    def _choices(self, control: Control, f: Field, bound: WTField) -> None:
        if f.type is FieldType.BOOLEAN:
            options = [(v, label, None) for v, label in BOOLEAN_CHOICES]
        else:
            options = [(o.value, o.label, o.hint) for o in f.options]
        data = bound.data
        chosen = set(data) if isinstance(data, list) else {data}
        control.value = data if isinstance(data, str) else ""
        control.choices = [
            Choice(
                value=value,
                label=label,
                id=control.id if i == 0 else f"{control.id}-{i}",
                checked=value in chosen,
                hint=hint,
            )
            for i, (value, label, hint) in enumerate(options)
        ]

    def _attachment(self, control: Control, f: Field, bound: WTField) -> None:
        for part in ATTACHMENT_PARTS:
            sub = bound.form[part]
            kind = "date" if part == "date" else "text"
            part_control = Control(
                kind=kind,
                field=f,
                name=sub.name,
                id=f"field-{sub.name}",
                label=PART_LABELS[part] + (f", {control.label}" if control.in_row else ""),
                required=control.required and part in ("title", "source"),
                errors=list(self.problems.get(sub.name, ())),
                value=sub.data or "",
                in_row=control.in_row,
            )
            if part == "source" and f.sources:
                part_control.kind = "select"
                part_control.choices = [
                    Choice(s.value, s.label, f"{part_control.id}-{i}", s.value == sub.data)
                    for i, s in enumerate(f.sources)
                ]
            control.parts.append(part_control)

    def _repeat(self, control: Control, f: Field, bound: WTField, value: Any) -> None:
        typed_rows = value if isinstance(value, list) else []
        control.columns = list(f.fields)
        control.add_action = f"add_row:{f.id}"
        control.can_add = self.mode != READONLY and (
            f.max_rows is None or len(bound.entries) < f.max_rows
        )
        control.can_remove = self.mode != READONLY
        for index, entry in enumerate(bound.entries):
            typed = typed_rows[index] if index < len(typed_rows) else {}
            full_row = {sub.id: typed.get(sub.id) for sub in f.fields}
            number = index + 1
            cells: list[Control | None] = []
            for sub in f.fields:
                if f"{f.id}[{index}].{sub.id}" in self.evaluation.hidden:
                    cells.append(None)
                    continue
                cells.append(
                    self.control(
                        sub,
                        entry.form[_attr(sub.id)],
                        typed.get(sub.id),
                        in_row=True,
                        row=full_row,
                        label=f"{sub.label}, række {number}",
                    )
                )
            control.rows.append(
                Row(
                    index=index,
                    label=f"Række {number}",
                    cells=cells,
                    remove_action=f"remove_row:{f.id}:{index}",
                    anchor=_anchor_for(entry.name, "row"),
                    errors=list(self.problems.get(entry.name, ())),
                )
            )


def _attr(field_id: str) -> str:
    from forms_service.web.forms.builder import attribute_name

    return attribute_name(field_id)


def _anchor_for(name: str, kind: str) -> str:
    if kind == "attachment":
        return f"field-{name}-title"
    if kind == "row":
        # a problem with a whole row: its first cell
        return f"field-{name}-row"
    return f"field-{name}"


# --- formatting ---------------------------------------------------------------------------

DATE_FORMAT_HINT = "Skriv datoen som dd.mm.åååå, fx 05.11.2026."


def date_as_typed(value: Any) -> str:
    """A date in a text field: a stored ISO date as dd.mm.åååå; whatever was typed stays as
    typed (an impossible 31.02.2027 included), so the caseworker can correct it."""
    if isinstance(value, dt.date):
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    text = str(value or "")
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return text
    return date_as_typed(day) if day else text
