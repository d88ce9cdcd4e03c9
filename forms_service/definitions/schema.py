"""The marshmallow schema of the definition format: structure, types and unknown keys.

Semantic checks that need the whole document (duplicate ids, expression references, cycles)
live in ``checks.py``; this module only says what a well-formed file looks like.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, validate
from marshmallow import fields as ma

from forms_service.definitions.model import ComputedType, FieldType, Severity

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SEMVER_PATTERN = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$"
)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATE = re.compile(DATE_PATTERN)


class StrictBoolean(ma.Boolean):
    """Only JSON true/false: a definition saying "yes" or 1 is a mistake worth reporting."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("skal være true eller false")
        return value


class StrictNumber(ma.Field):
    """A JSON number (not a string holding one)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("skal være et tal")
        return value


class StrictInteger(ma.Field):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("skal være et heltal")
        return value


class Bound(ma.Field):
    """min/max: a number, or a date as YYYY-MM-DD for date fields."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool):
            raise ValidationError("skal være et tal eller en dato (ÅÅÅÅ-MM-DD)")
        if isinstance(value, int | float):
            return value
        if isinstance(value, str) and _DATE.match(value):
            return value
        raise ValidationError("skal være et tal eller en dato (ÅÅÅÅ-MM-DD)")


def _id(**kwargs: Any) -> ma.String:
    return ma.String(
        validate=validate.Regexp(ID_PATTERN, error="skal matche ^[a-z][a-z0-9_]*$"), **kwargs
    )


def _text(**kwargs: Any) -> ma.String:
    return ma.String(validate=validate.Length(min=1, error="må ikke være tom"), **kwargs)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class LegalReferenceSchema(_Strict):
    ref = _text(required=True)
    title = ma.String()
    url = ma.String(validate=validate.URL(error="skal være en URL"))


class OptionSchema(_Strict):
    value = ma.String(
        required=True, validate=validate.Length(min=1, max=100, error="skal være 1-100 tegn")
    )
    label = _text(required=True)
    hint = ma.String()


class MessagesSchema(_Strict):
    """Field-specific Danish messages that replace the generated ones, per problem code."""

    required = ma.String()
    min = ma.String()
    max = ma.String()
    min_length = ma.String()
    max_length = ma.String()
    pattern = ma.String()
    type = ma.String()
    choice = ma.String()


class FieldSchema(_Strict):
    id = _id(required=True)
    type = ma.String(
        required=True,
        validate=validate.OneOf(
            [t.value for t in FieldType], error="ukendt felttype; gyldige: {choices}"
        ),
    )
    label = _text(required=True)
    hint = ma.String()
    guidance = ma.String()
    required = StrictBoolean()
    visible_if = _text()
    required_if = _text()
    min = Bound()
    max = Bound()
    min_length = StrictInteger(validate=validate.Range(min=0, error="må ikke være negativ"))
    max_length = StrictInteger(validate=validate.Range(min=1, error="skal være mindst 1"))
    pattern = _text()
    options = ma.List(ma.Nested(OptionSchema))
    fields = ma.List(ma.Nested(lambda: FieldSchema()))
    min_rows = StrictInteger(validate=validate.Range(min=0, error="må ikke være negativ"))
    max_rows = StrictInteger(validate=validate.Range(min=1, error="skal være mindst 1"))
    row_label = _text()
    sources = ma.List(ma.Nested(OptionSchema))
    unit = ma.String()
    legal_refs = ma.List(ma.Nested(LegalReferenceSchema))
    messages = ma.Nested(MessagesSchema)


class SectionSchema(_Strict):
    id = _id(required=True)
    title = _text(required=True)
    guidance = ma.String()
    visible_if = _text()
    legal_refs = ma.List(ma.Nested(LegalReferenceSchema))
    fields = ma.List(
        ma.Nested(FieldSchema),
        required=True,
        validate=validate.Length(min=1, error="en sektion skal have mindst ét felt"),
    )


class ComputedSchema(_Strict):
    id = _id(required=True)
    expr = _text(required=True)
    label = ma.String()
    type = ma.String(validate=validate.OneOf([t.value for t in ComputedType]))
    decimals = StrictInteger(validate=validate.Range(min=0, max=6))
    unit = ma.String()
    section = _id()


class CrossCheckSchema(_Strict):
    id = _id(required=True)
    expr = _text(required=True)
    message = _text(required=True)
    fields = ma.List(ma.String())
    repeat = _id()


class CriterionCheckSchema(_Strict):
    expr = _text(required=True)
    message = _text(required=True)
    severity = ma.String(validate=validate.OneOf([s.value for s in Severity]))
    fields = ma.List(ma.String())
    when = _text()


class CriterionSchema(_Strict):
    id = _id(required=True)
    kind = ma.String(validate=validate.OneOf(["criterion", "eligibility"]))
    title = _text(required=True)
    legal_ref = ma.String()
    guidance = ma.String()
    requires = ma.List(ma.String())
    checks = ma.List(ma.Nested(CriterionCheckSchema))


class MigrationSchema(_Strict):
    field = _id(required=True)
    renamed_from = _id()
    option_map = ma.Dict(keys=ma.String(), values=ma.String())
    type_change = ma.String(
        validate=validate.Regexp(r"^[a-z]+->[a-z]+$", error="skal have formen 'fra->til'")
    )


class GuidanceSchema(_Strict):
    intro = ma.String()
    sufficient = ma.String()
    missing_information = ma.String()


class DefinitionSchema(_Strict):
    schema_ref = ma.String(data_key="$schema")
    form = _id(required=True)
    version = ma.String(
        required=True,
        validate=validate.Regexp(SEMVER_PATTERN, error="skal være en semantisk version (1.0.0)"),
    )
    title = _text(required=True)
    description = ma.String()
    based_on = ma.String(
        validate=validate.Regexp(SEMVER_PATTERN, error="skal være en semantisk version")
    )
    legal_basis = ma.List(ma.Nested(LegalReferenceSchema))
    guidance = ma.Nested(GuidanceSchema)
    sections = ma.List(
        ma.Nested(SectionSchema),
        required=True,
        validate=validate.Length(min=1, error="en formular skal have mindst én sektion"),
    )
    computed = ma.List(ma.Nested(ComputedSchema))
    checks = ma.List(ma.Nested(CrossCheckSchema))
    completeness = ma.List(ma.Nested(CriterionSchema))
    migrations = ma.List(ma.Nested(MigrationSchema))


# marshmallow's own messages, said in Danish so editors get one language.
_MESSAGES = {
    "Missing data for required field.": "mangler (skal angives)",
    "Unknown field.": "ukendt nøgle",
    "Not a valid string.": "skal være en tekst",
    "Not a valid list.": "skal være en liste",
    "Not a valid mapping type.": "skal være et objekt",
    "Invalid input type.": "skal være et objekt",
    "Field may not be null.": "må ikke være null",
    "Not a valid URL.": "skal være en URL",
}


def structural_problems(data: Any) -> list[tuple[str, str]]:
    """Every structural problem as (JSON path, Danish message)."""
    if not isinstance(data, dict):
        return [("", "en formulardefinition skal være et JSON-objekt")]
    try:
        DefinitionSchema().load(data)
    except ValidationError as exc:
        return sorted(_flatten(exc.messages, ""))
    return []


def _flatten(messages: Any, path: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                sub = f"{path}[{key}]"
            elif key == "_schema":
                sub = path
            else:
                sub = f"{path}.{key}" if path else str(key)
            out.extend(_flatten(value, sub))
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, dict | list):
                out.extend(_flatten(message, path))
            else:
                out.append((path, _MESSAGES.get(str(message), str(message))))
    else:
        out.append((path, _MESSAGES.get(str(messages), str(messages))))
    return out
