"""JSON API of the form definitions: list, read, answers JSON Schema, validate.

Thin adapter: the definitions come from the app's registry, the JSON Schema from
``forms_service.answers.jsonschema`` and validation goes through the generated marshmallow
schema, which hands the document to the one validator in ``forms_service.answers``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, jsonify, make_response, request
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields

from forms_service.answers.coerce import to_json_value
from forms_service.answers.jsonschema import answers_json_schema
from forms_service.answers.marshmallow_schema import validate_with_schema
from forms_service.answers.validate import ValidationResult
from forms_service.cases.permissions import SIGNED_IN
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import UnknownFormError, is_prerelease
from forms_service.http.decorators import requires

blp = Blueprint(
    "forms_api",
    __name__,
    url_prefix="/api/v1/forms",
    description="Formulardefinitioner, JSON Schema for svardokumenter og validering af svar.",
)

NOT_JSON = "Kroppen skal være JSON (Content-Type: application/json)."
NOT_AN_OBJECT = "Svarene skal være et JSON-objekt med et svar pr. felt."


# --- schemas (for the OpenAPI description and the response shape) ---------------------------


class FormVersionSchema(Schema):
    version = fields.String(required=True, metadata={"example": "1.0.0"})
    title = fields.String(required=True)
    content_hash = fields.String(
        required=True, metadata={"description": "sha256 af definitionens kanoniske JSON"}
    )
    prerelease = fields.Boolean(
        required=True, metadata={"description": "en pilotversion (fx 2.0.0-pilot.1)"}
    )


class FormSchema(Schema):
    form = fields.String(required=True, metadata={"example": "sagsoplysningsskema"})
    title = fields.String(required=True)
    latest = fields.String(
        allow_none=True, metadata={"description": "nyeste udgivne version (ikke pilot)"}
    )
    versions = fields.List(fields.Nested(FormVersionSchema), required=True)


class FormListSchema(Schema):
    forms = fields.List(fields.Nested(FormSchema), required=True)


class ProblemSchema(Schema):
    path = fields.String(
        required=True,
        metadata={"description": "feltets sti i svardokumentet", "example": "ansaettelser[0].til"},
    )
    code = fields.String(
        required=True, metadata={"example": "required", "description": "fx required, min, cpr"}
    )
    message = fields.String(required=True, metadata={"description": "dansk fejltekst"})


class ValidationResponseSchema(Schema):
    valid = fields.Boolean(required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)
    computed = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "beregnede værdier (fx fuldtidsaar) ud fra svarene"},
    )


class ValidateQuerySchema(Schema):
    draft = fields.Boolean(
        load_default=False,
        metadata={"description": "true: kladde – påkrævede felter kontrolleres ikke"},
    )


class AnswersSchemaQuerySchema(Schema):
    draft = fields.Boolean(
        load_default=False,
        metadata={"description": "true: skemaet for en kladde (intet er påkrævet)"},
    )


ANSWERS_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": (
            "Et svardokument: et JSON-objekt med et svar pr. felt-id (se "
            "GET /api/v1/forms/{form}/{version}/answers-schema)."
        ),
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


# --- helpers ----------------------------------------------------------------------------------


def registry() -> Any:
    return current_app.extensions["forms_service.registry"]


def definition_or_404(form: str, version: str) -> FormDefinition:
    try:
        if version == "latest":
            return registry().latest(form)  # type: ignore[no-any-return]
        return registry().get(form, version)  # type: ignore[no-any-return]
    except UnknownFormError as error:
        abort(404, message=f"Formularen findes ikke: {error}.")
    raise AssertionError("abort() raises")  # pragma: no cover


def validation_body(result: ValidationResult) -> dict[str, Any]:
    return {
        "valid": result.valid,
        "problems": [p.to_dict() for p in result.problems],
        "computed": {k: to_json_value(v) for k, v in result.evaluation.computed.items()},
    }


def json_error(status: int, message: str, **extra: Any) -> Any:
    """An error answer in the app's JSON error shape, with extra keys kept."""
    return make_response(jsonify({"code": status, "message": message, **extra}), status)


def read_json_body() -> Any:
    """The request's JSON body, or a 400 with a Danish message when there is none."""
    body = request.get_json(silent=True)
    if body is None:
        abort(400, message=NOT_JSON)
    return body


# --- views ------------------------------------------------------------------------------------


@blp.route("")
@requires(SIGNED_IN)
@blp.response(200, FormListSchema)
def list_forms() -> dict[str, Any]:
    """Formularer og deres versioner (med indholds-hash)."""
    forms = []
    for form, versions in registry().forms().items():
        entries = []
        for version in versions:
            definition = registry().get(form, version)
            entries.append(
                {
                    "version": version,
                    "title": definition.title,
                    "content_hash": definition.content_hash,
                    "prerelease": is_prerelease(version),
                }
            )
        released = [v for v in versions if not is_prerelease(v)]
        latest = released[-1] if released else None
        title = next((e["title"] for e in entries if e["version"] == latest), None)
        forms.append(
            {
                "form": form,
                "title": title or entries[-1]["title"],
                "latest": latest,
                "versions": entries,
            }
        )
    return {"forms": forms}


@blp.route("/<form>/<version>")
@requires(SIGNED_IN)
@blp.response(
    200,
    description="Definitionen som JSON, præcis som den er udgivet (docs/definition-language.md)",
)
def get_definition(form: str, version: str) -> Any:
    """En formularversions definition (JSON); ``latest`` giver den nyeste udgivne."""
    definition = definition_or_404(form, version)
    response = make_response(jsonify(_plain(definition.raw)))
    response.headers["X-Content-Hash"] = definition.content_hash
    return response


@blp.route("/<form>/<version>/answers-schema")
@requires(SIGNED_IN)
@blp.arguments(AnswersSchemaQuerySchema, location="query", as_kwargs=True)
@blp.response(200, description="JSON Schema (draft 2020-12) for et svardokument")
def get_answers_schema(form: str, version: str, draft: bool = False) -> Any:
    """JSON Schema for et gyldigt svardokument til versionen."""
    definition = definition_or_404(form, version)
    response = make_response(jsonify(answers_json_schema(definition, draft=draft)))
    response.mimetype = "application/schema+json"
    return response


@blp.route("/<form>/<version>/validate", methods=["POST"])
@requires(SIGNED_IN)
@blp.arguments(ValidateQuerySchema, location="query", as_kwargs=True)
@blp.doc(**ANSWERS_BODY_DOC)
@blp.response(200, ValidationResponseSchema)
@blp.alt_response(422, description="Kroppen er ikke et JSON-objekt")
def validate_answers(form: str, version: str, draft: bool = False) -> Any:
    """Valider et svardokument (?draft=true springer påkrævede felter over)."""
    definition = definition_or_404(form, version)
    answers = read_json_body()
    try:
        result = validate_with_schema(
            definition, answers, today=dt.date.today(), complete=not draft
        )
    except ValidationError:
        return json_error(422, NOT_AN_OBJECT)
    return validation_body(result)


def _plain(value: Any) -> Any:
    """The definition's raw JSON as plain dicts and lists (it is kept read-only)."""
    if isinstance(value, dict) or hasattr(value, "keys"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
