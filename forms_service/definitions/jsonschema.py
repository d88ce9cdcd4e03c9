"""A JSON Schema (draft 2020-12) of the definition format, generated from the marshmallow schema.

Generated rather than written by hand so that the file editors' tools check against can never
drift from what the loader accepts. It covers structure only (types, required keys, enums,
patterns, unknown keys); whole-document rules such as expression references and duplicate ids
remain the loader's job (`forms-service definitions validate`).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, validate
from marshmallow import fields as ma

from forms_service.definitions.schema import (
    DATE_PATTERN,
    Bound,
    DefinitionSchema,
    StrictBoolean,
    StrictInteger,
    StrictNumber,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://forms-service.invalid/schemas/form-definition.schema.json"


def definition_json_schema() -> dict[str, Any]:
    """The JSON Schema of a form-definition file."""
    defs: dict[str, dict[str, Any]] = {}
    root = _object_schema(DefinitionSchema(), defs)
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "Formulardefinition (forms-service)",
        "description": (
            "En versioneret formulardefinition: form_definitions/<formular>/<version>.json. "
            "Udtryk, henvisninger og unikke id'er kontrolleres af "
            "'forms-service definitions validate'."
        ),
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _def_name(schema: Schema) -> str:
    name = type(schema).__name__
    return name.removesuffix("Schema") or name


def _object_schema(schema: Schema, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, field in schema.declared_fields.items():
        key = field.data_key or name
        properties[key] = _field_schema(field, defs)
        if field.required:
            required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    # every definition schema raises on unknown keys; the JSON Schema says the same
    out["additionalProperties"] = False
    return out


def _ref(schema: Schema, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    name = _def_name(schema)
    if name not in defs:
        # placeholder first: a schema that nests itself (repeat sub-fields) then finds its name
        defs[name] = {}
        defs[name] = _object_schema(schema, defs)
    return {"$ref": f"#/$defs/{name}"}


def _field_schema(field: ma.Field, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any]
    if isinstance(field, ma.Nested):
        out = _ref(field.schema, defs)
    elif isinstance(field, ma.List):
        out = {"type": "array", "items": _field_schema(field.inner, defs)}
    elif isinstance(field, ma.Dict):
        out = {"type": "object"}
        if field.value_field is not None:
            out["additionalProperties"] = _field_schema(field.value_field, defs)
    elif isinstance(field, StrictBoolean | ma.Boolean):
        out = {"type": "boolean"}
    elif isinstance(field, StrictInteger | ma.Integer):
        out = {"type": "integer"}
    elif isinstance(field, StrictNumber | ma.Number):
        out = {"type": "number"}
    elif isinstance(field, Bound):
        out = {"oneOf": [{"type": "number"}, {"type": "string", "pattern": DATE_PATTERN}]}
    elif isinstance(field, ma.String):
        out = {"type": "string"}
    else:  # pragma: no cover - a new field class must be mapped here explicitly
        raise TypeError(f"no JSON Schema mapping for {type(field).__name__}")
    for validator in field.validators:
        out.update(_validator_schema(validator, out))
    return out


def _validator_schema(validator: Any, current: dict[str, Any]) -> dict[str, Any]:
    kind = current.get("type")
    if isinstance(validator, validate.OneOf):
        return {"enum": list(validator.choices)}
    if isinstance(validator, validate.Regexp):
        return {"pattern": validator.regex.pattern}
    if isinstance(validator, validate.URL):
        return {"format": "uri"}
    if isinstance(validator, validate.Length):
        low, high = ("minItems", "maxItems") if kind == "array" else ("minLength", "maxLength")
        out: dict[str, Any] = {}
        if validator.equal is not None:
            out[low] = out[high] = validator.equal
        if validator.min is not None:
            out[low] = validator.min
        if validator.max is not None:
            out[high] = validator.max
        return out
    if isinstance(validator, validate.Range):
        out = {}
        if validator.min is not None:
            out["minimum" if validator.min_inclusive else "exclusiveMinimum"] = validator.min
        if validator.max is not None:
            out["maximum" if validator.max_inclusive else "exclusiveMaximum"] = validator.max
        return out
    raise TypeError(f"no JSON Schema mapping for validator {type(validator).__name__}")
