"""A JSON Schema (draft 2020-12) of a valid answers document for one definition version.

Generated from the definition so that it cannot drift from it. It describes the shape an API
client sends: types, formats, option values, ranges, lengths, patterns, row limits, unknown keys
and the fields that are always required. What JSON Schema cannot say — conditions
(``visible_if``/``required_if``, kept as ``x-`` annotations), the date inside a CPR number, date
bounds, cross-field checks — stays with ``forms_service.answers.validate``, which is the one
judge of an answers document. The schema errs on the lenient side: a document it accepts can
still have problems, while a document of well-typed JSON values (no Danish number strings, no
"ja"/"nej") that the validator accepts is always accepted here.
"""

from __future__ import annotations

from typing import Any

from forms_service.definitions.model import Field, FieldType, FormDefinition

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://forms-service.invalid/schemas/answers"
CPR_PATTERN = r"^\d{6}-?\d{4}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# a missing key, null, "" and [] all mean "not answered" (docs/definition-language.md)
UNANSWERED: dict[str, Any] = {"enum": [None, "", []]}


def answers_json_schema(definition: FormDefinition, *, draft: bool = False) -> dict[str, Any]:
    """The JSON Schema of an answers document for ``definition``.

    ``draft=True`` describes a draft: nothing is required, and row minimums do not apply.
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    for section, f in definition.iter_fields():
        always = not draft and f.required and f.visible_if is None and section.visible_if is None
        schema = _field_schema(f, draft=draft, required=always)
        if section.visible_if is not None:
            schema["x-section-visible_if"] = section.visible_if
        properties[f.id] = schema
        if always:
            required.append(f.id)
    return {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_BASE}/{definition.form}/{definition.version}.schema.json",
        "title": f"Svar: {definition.title} ({definition.version})",
        "description": (
            f"Et svardokument til {definition.ref}"
            + (" (kladde: intet er påkrævet)" if draft else "")
            + ". Betingede felter (x-visible_if, x-required_if), datoen i et CPR-nummer, "
            "datogrænser og krydstjek kontrolleres af tjenestens validering "
            "(POST /api/v1/forms/<formular>/<version>/validate)."
        ),
        "x-form": definition.form,
        "x-version": definition.version,
        "x-content-hash": definition.content_hash,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _field_schema(f: Field, *, draft: bool, required: bool) -> dict[str, Any]:
    answered = _answered(f, draft=draft)
    schema = _non_empty(f, answered) if required else {"anyOf": [answered, UNANSWERED]}
    schema["title"] = f.label
    if f.hint:
        schema["description"] = f.hint
    for key in ("visible_if", "required_if"):
        value = getattr(f, key)
        if value is not None:
            schema[f"x-{key}"] = value
    if f.required and not required and not draft:
        schema["x-required"] = True  # required whenever visible
    return schema


def _non_empty(f: Field, answered: dict[str, Any]) -> dict[str, Any]:
    schema = dict(answered)
    if f.type in (FieldType.TEXT, FieldType.TEXTAREA):
        schema.setdefault("minLength", 1)
        # blank text is "not answered"; a pattern of its own already decides
        if "pattern" not in schema:
            schema["pattern"] = r"\S"
    elif f.type in (FieldType.MULTICHOICE, FieldType.REPEAT):
        schema["minItems"] = max(1, schema.get("minItems", 1))
    return schema


def _answered(f: Field, *, draft: bool) -> dict[str, Any]:
    kind = f.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        schema: dict[str, Any] = {"type": "string"}
        if f.max_length is not None:
            schema["maxLength"] = f.max_length
        if f.min_length is not None:
            schema["minLength"] = f.min_length
        if f.pattern:
            # the validator matches the whole value with surrounding space removed
            schema["pattern"] = rf"^\s*(?:{_unanchored(f.pattern)})\s*$"
        return schema
    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        schema = {"type": "integer" if kind is FieldType.INTEGER else "number"}
        if f.min is not None:
            schema["minimum"] = _plain(f.min)
        if f.max is not None:
            schema["maximum"] = _plain(f.max)
        if f.unit:
            schema["x-unit"] = f.unit
        return schema
    if kind is FieldType.DATE:
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
        # JSON Schema has no bound for dates; tools may read these annotations
        if f.min is not None:
            schema["x-minimum"] = f.min
        if f.max is not None:
            schema["x-maximum"] = f.max
        return schema
    if kind is FieldType.BOOLEAN:
        return {"type": "boolean"}
    if kind is FieldType.CHOICE:
        return {"type": "string", "enum": [o.value for o in f.options], **_labels(f)}
    if kind is FieldType.MULTICHOICE:
        return {
            "type": "array",
            "items": {"type": "string", "enum": [o.value for o in f.options]},
            **_labels(f),
        }
    if kind is FieldType.CPR:
        return {"type": "string", "pattern": CPR_PATTERN}
    if kind is FieldType.ATTACHMENT:
        return _attachment(f, draft=draft)
    if kind is FieldType.REPEAT:
        return _repeat(f, draft=draft)
    raise ValueError(f"ukendt felttype: {kind}")


def _repeat(f: Field, *, draft: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for sub in f.fields:
        always = not draft and sub.required and sub.visible_if is None
        properties[sub.id] = _field_schema(sub, draft=draft, required=always)
        if always:
            required.append(sub.id)
    schema: dict[str, Any] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        },
    }
    if f.min_rows and not draft:
        schema["minItems"] = f.min_rows
    if f.max_rows is not None:
        schema["maxItems"] = f.max_rows
    if f.row_label:
        schema["x-row_label"] = f.row_label
    return schema


def _attachment(f: Field, *, draft: bool) -> dict[str, Any]:
    source: dict[str, Any] = {"type": "string"}
    if f.sources:
        source["enum"] = [s.value for s in f.sources]
    text = {"anyOf": [{"type": "string"}, UNANSWERED]}
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string", "pattern": r"\S"} if not draft else text,
            "source": source if not draft else {"anyOf": [source, UNANSWERED]},
            "date": {
                "anyOf": [{"type": "string", "format": "date", "pattern": DATE_PATTERN}, UNANSWERED]
            },
            "reference": text,
        },
        "required": [] if draft else ["title", "source"],
    }


def _unanchored(pattern: str) -> str:
    # the definition's anchors would forbid the surrounding space added around it
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    return pattern


def _labels(f: Field) -> dict[str, Any]:
    return {"x-enumLabels": {o.value: o.label for o in f.options}}


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
