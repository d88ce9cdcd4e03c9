"""WTForms classes generated from a definition version.

One WTForms field per question, all holding the raw strings the browser posts: the core
(``forms_service.answers``) coerces and validates them, so this adapter has no rule of its
own. ``AnswersForm.validate`` runs the CSRF check, then delegates to
``forms_service.answers.validate`` and puts each problem on the field its path names.

A class is built per request (about 0.25 ms): a cache per version did not pay
(benchmarks/bench_caches.py, docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    Field as WTField,
)
from wtforms import (
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import (
    Form as PlainForm,
)

from forms_service.answers import Problem, ValidationResult, validate
from forms_service.answers.coerce import is_empty
from forms_service.danish import number as danish_number
from forms_service.definitions.model import Field, FieldType, FormDefinition
from forms_service.web.forms.names import path_segments

BOOLEAN_CHOICES = [("ja", "Ja"), ("nej", "Nej")]
ATTACHMENT_PARTS = ("title", "source", "date", "reference")
# attribute names a generated field must not shadow on a WTForms form
_RESERVED = (
    frozenset(dir(FlaskForm))
    | frozenset(dir(PlainForm))
    # set on the instance only, so not in dir() of the class
    | {"meta", "csrf_token", "form_errors", "field_problems", "result", "definition"}
)


def attribute_name(field_id: str) -> str:
    return f"{field_id}__" if field_id in _RESERVED else field_id


def _wtf_field(field: Field, *, in_row: bool) -> WTField:
    # the HTML name is always the field id, whatever attribute holds the field; choices are
    # not given to WTForms: the page model renders options and the core checks the value
    kwargs: dict[str, Any] = {"label": field.label, "name": field.id}
    kind = field.type
    if kind is FieldType.TEXTAREA:
        return TextAreaField(**kwargs)
    if kind in (FieldType.BOOLEAN, FieldType.CHOICE):
        cls = SelectField if in_row else RadioField
        return cls(choices=[], validate_choice=False, **kwargs)
    if kind is FieldType.MULTICHOICE:
        return SelectMultipleField(choices=[], validate_choice=False, **kwargs)
    if kind is FieldType.ATTACHMENT:
        return FormField(_attachment_form(field), **kwargs)
    if kind is FieldType.REPEAT:
        row_form = type(
            f"Row_{field.id}",
            (PlainForm,),
            {attribute_name(sub.id): _wtf_field(sub, in_row=True) for sub in field.fields},
        )
        return FieldList(FormField(row_form), min_entries=0, **kwargs)
    # text, cpr, integer, number and date stay strings: the core parses "12,5" and ISO dates
    return StringField(**kwargs)


def _attachment_form(field: Field) -> type[PlainForm]:
    attrs: dict[str, WTField] = {
        "title": StringField("Titel"),
        "source": StringField("Kilde"),
        "date": StringField("Dato"),
        "reference": StringField("Reference"),
    }
    return type(f"Attachment_{field.id}", (PlainForm,), attrs)


class AnswersForm(FlaskForm):
    """Base of every generated form; ``definition`` is set on the generated subclass."""

    definition: ClassVar[FormDefinition]
    result: ValidationResult | None = None
    # problems that name no field (a form-level check), and problems by HTML name
    form_errors: list[str]
    field_problems: dict[str, list[str]]

    def bound(self, field_id: str) -> WTField:
        return self[attribute_name(field_id)]

    def answers(self) -> dict[str, Any]:
        """The answers document as posted: raw strings, empty answers left out."""
        document: dict[str, Any] = {}
        for _section, f in self.definition.iter_fields():
            value = _raw(f, self.bound(f.id))
            if not _blank(value):
                document[f.id] = value
        return document

    def validate(  # type: ignore[override]
        self,
        extra_validators: Mapping[str, Any] | None = None,
        *,
        today: dt.date | None = None,
        complete: bool = True,
        answers: Mapping[str, Any] | None = None,
    ) -> bool:
        """CSRF (and WTForms' own bookkeeping), then the core validator; no rule lives here."""
        csrf_ok = super().validate(extra_validators)
        result = self.check(
            self.answers() if answers is None else answers,
            today=today or dt.date.today(),
            complete=complete,
        )
        return csrf_ok and result.valid

    def check(
        self, answers: Mapping[str, Any], *, today: dt.date, complete: bool
    ) -> ValidationResult:
        """The core's verdict on ``answers``, its problems put on the fields they name."""
        self.form_errors, self.field_problems = [], {}
        self.result = validate(self.definition, answers, today=today, complete=complete)
        attach_problems(self, self.result.problems)
        return self.result


def form_class_for(definition: FormDefinition) -> type[AnswersForm]:
    """The WTForms class of a version (a new class on each call)."""
    attrs: dict[str, Any] = {"definition": definition}
    for _section, f in definition.iter_fields():
        attrs[attribute_name(f.id)] = _wtf_field(f, in_row=False)
    name = f"Answers_{definition.form}_{definition.version}".replace(".", "_").replace("-", "_")
    return type(name, (AnswersForm,), attrs)


# --- reading the posted values ---------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, list) and is_empty(value))


def _raw(field: Field, bound: WTField) -> Any:
    if field.type is FieldType.REPEAT:
        return [
            {sub.id: _raw(sub, entry.form[attribute_name(sub.id)]) for sub in field.fields}
            for entry in bound.entries
        ]
    if field.type is FieldType.ATTACHMENT:
        parts = {part: bound.form[part].data for part in ATTACHMENT_PARTS}
        return {k: v for k, v in parts.items() if isinstance(v, str) and v.strip()} or None
    if field.type is FieldType.MULTICHOICE:
        return [v for v in (bound.data or []) if v] or None
    data = bound.data
    if isinstance(data, str) and not data.strip():
        return None
    return data


# --- filling a form from a stored answers document ------------------------------------------


def form_data(definition: FormDefinition, document: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers (JSON) → the strings the inputs show (Danish decimal comma, ja/nej)."""
    data: dict[str, Any] = {}
    for _section, f in definition.iter_fields():
        if f.id in document and document[f.id] is not None:
            data[attribute_name(f.id)] = _as_input(f, document[f.id])
    return data


def _as_input(field: Field, value: Any) -> Any:
    if field.type is FieldType.REPEAT:
        rows = value if isinstance(value, list) else []
        return [
            SimpleNamespace(
                **{
                    attribute_name(sub.id): _as_input(sub, row.get(sub.id))
                    for sub in field.fields
                    if isinstance(row, dict) and row.get(sub.id) is not None
                }
            )
            for row in rows
        ]
    if field.type is FieldType.ATTACHMENT:
        if not isinstance(value, dict):
            return None
        return SimpleNamespace(
            **{p: str(value[p]) for p in ATTACHMENT_PARTS if value.get(p) is not None}
        )
    if field.type is FieldType.MULTICHOICE:
        return list(value) if isinstance(value, list) else [value]
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return danish_number(value).replace(".", "")
    return value


def build_form(
    definition: FormDefinition,
    *,
    formdata: Any = None,
    document: Mapping[str, Any] | None = None,
) -> AnswersForm:
    """A bound form: from posted ``formdata``, or showing ``document`` (never the request)."""
    cls = form_class_for(definition)
    if formdata is not None:
        form = cls(formdata=formdata)
    else:
        form = cls(formdata=None, data=form_data(definition, document or {}))
    form.form_errors, form.field_problems = [], {}
    return form


# --- problems onto fields ---------------------------------------------------------------------


def locate(form: AnswersForm, path: str) -> WTField | None:
    """The deepest field ``path`` reaches (a row problem lands on its row, then its group)."""
    segments = path_segments(path)
    if not segments or not isinstance(segments[0], str):
        return None
    if form.definition.field(segments[0]) is None:
        return None
    current: WTField = form.bound(segments[0])
    for segment in segments[1:]:
        if isinstance(segment, int):
            if not isinstance(current, FieldList) or segment >= len(current.entries):
                break
            current = current.entries[segment]
        else:
            if not isinstance(current, FormField):
                break
            sub = current.form._fields.get(attribute_name(segment)) or current.form._fields.get(
                segment
            )
            if sub is None:
                break
            current = sub
    return current


def attach_problems(form: AnswersForm, problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        target = locate(form, problem.path)
        if target is None:
            form.form_errors.append(problem.message)
            continue
        messages = form.field_problems.setdefault(target.name, [])
        if problem.message not in messages:
            messages.append(problem.message)
        if not isinstance(target, FieldList | FormField):
            # leaf fields carry their messages the WTForms way too (groups derive theirs)
            target.errors = list(messages)
