"""marshmallow schemas of an answers document, generated per definition version.

The JSON API reads answers through these classes, but they hold no rule of their own: every
field is a pass-through ``Raw`` (there for the OpenAPI description), and the schema-level
validator hands the whole document to ``forms_service.answers.validate``. Its problems come
back as a ``ValidationError`` keyed by problem path (``"ansaettelser[0].til"``; a form-level
problem without a field under ``"_schema"``), so the same answers give the same problems as in
the HTML form. A class is generated once per (form, version, content hash).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any, ClassVar

from marshmallow import INCLUDE, Schema, ValidationError, post_load, validates_schema
from marshmallow import fields as ma

from forms_service.answers.validate import Problem, ValidationResult, validate
from forms_service.definitions.model import FormDefinition

FORM_LEVEL_KEY = "_schema"

_lock = threading.Lock()
_classes: dict[tuple[str, str, str], type[AnswersSchema]] = {}
# one instance per (class, date, draft or not): building one deep-copies every declared field
_instances: dict[tuple[type[AnswersSchema], dt.date, bool], AnswersSchema] = {}
# the core's verdict on the document being loaded, per thread (a shared instance holds none)
_current: ContextVar[ValidationResult | None] = ContextVar("answers_result", default=None)


class AnswersSchema(Schema):
    """Base of the generated classes; ``definition`` is set on each subclass.

    An instance validates one document for one evaluation date: after ``load`` (successful or
    not) ``result`` holds the core's ``ValidationResult`` with problem codes and computed values.
    """

    definition: ClassVar[FormDefinition]

    class Meta:
        # unknown keys go to the core validator, which reports them as problems
        unknown = INCLUDE

    error_messages: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        "type": "Svarene skal være et JSON-objekt med et svar pr. felt.",
    }

    def __init__(self, *, today: dt.date, complete: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.today = today
        self.complete = complete
        self.result: ValidationResult | None = None

    @validates_schema(pass_original=True)
    def _delegate_to_core(
        self, data: Mapping[str, Any], original_data: Mapping[str, Any], **_kwargs: Any
    ) -> None:
        result = validate(self.definition, original_data, today=self.today, complete=self.complete)
        self.result = result  # for a caller that owns this instance
        _current.set(result)
        if result.problems:
            raise ValidationError(problem_messages(result.problems))

    @post_load
    def _evaluated_answers(self, _data: Mapping[str, Any], **_kwargs: Any) -> dict[str, Any]:
        # what is stored: typed, normalised (CPR without hyphen, …), hidden values dropped
        result = _current.get()
        assert result is not None
        return result.evaluation.answers_json()


def problem_messages(problems: Iterable[Problem]) -> dict[str, list[str]]:
    """marshmallow's error shape: ``{path: [message, …]}``."""
    messages: dict[str, list[str]] = {}
    for problem in problems:
        messages.setdefault(problem.path or FORM_LEVEL_KEY, []).append(problem.message)
    return messages


def answers_schema(definition: FormDefinition) -> type[AnswersSchema]:
    """The generated schema class of ``definition`` (cached per form, version and hash)."""
    key = (definition.form, definition.version, definition.content_hash)
    cls = _classes.get(key)
    if cls is not None:
        return cls
    with _lock:
        cls = _classes.get(key)
        if cls is None:
            cls = _build(definition)
            _classes[key] = cls
    return cls


def _build(definition: FormDefinition) -> type[AnswersSchema]:
    attributes: dict[str, Any] = {"definition": definition}
    for section, f in definition.iter_fields():
        metadata: dict[str, Any] = {
            "title": f.label,
            "x-field-type": f.type.value,
            "x-section": section.id,
        }
        if f.hint:
            metadata["description"] = f.hint
        attributes[f.id] = ma.Raw(required=False, allow_none=True, metadata=metadata)
    name = "Answers_" + "".join(
        c if c.isalnum() else "_" for c in f"{definition.form}_{definition.version}"
    )
    return type(name, (AnswersSchema,), attributes)


def validate_with_schema(
    definition: FormDefinition,
    answers: Any,
    *,
    today: dt.date,
    complete: bool = True,
) -> ValidationResult:
    """Load ``answers`` through the generated schema and return the core's result.

    Uses a shared instance per evaluation date (safe across threads: the result travels in a
    context variable). Raises ``ValidationError`` only when ``answers`` is not an object at all
    (there is nothing for the core to judge).
    """
    schema = _instance(answers_schema(definition), today, complete)
    token = _current.set(None)
    try:
        try:
            schema.load(answers)
        except ValidationError:
            if _current.get() is None:
                raise
        result = _current.get()
    finally:
        _current.reset(token)
    assert result is not None
    return result


def _instance(cls: type[AnswersSchema], today: dt.date, complete: bool) -> AnswersSchema:
    key = (cls, today, complete)
    schema = _instances.get(key)
    if schema is None:
        with _lock:
            for stale in [k for k in _instances if k[1] != today]:
                del _instances[stale]  # yesterday's instances are never asked for again
            schema = _instances.setdefault(key, cls(today=today, complete=complete))
    return schema


def cached_schema_count() -> int:
    return len(_classes)
