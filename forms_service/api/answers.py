"""JSON API of a case's answers: read, save a draft, submit, history.

Thin adapter over ``CaseService``: scope (a municipal caseworker sees only the own
municipality's cases; others are 404), optimistic locking (``base_revision``) and the rules of
the case's pinned form version all live there and in ``forms_service.answers``. A draft is
stored as sent — nothing is lost — and its non-required problems are returned beside it.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from forms_service.answers.marshmallow_schema import validate_with_schema
from forms_service.answers.masking import mask_cpr_answers
from forms_service.api.forms import ProblemSchema, json_error, validation_body
from forms_service.cases import audit
from forms_service.cases.errors import AnswersInvalidError, StaleRevisionError
from forms_service.cases.models import AnswerSet, Case
from forms_service.cases.permissions import READ_CASES, READ_FULL_CPR, WRITE_ANSWERS
from forms_service.cases.service import SavedAnswers
from forms_service.definitions.model import FormDefinition
from forms_service.http.attachments import attachment_service
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service

blp = Blueprint(
    "answers_api",
    __name__,
    url_prefix="/api/v1/cases",
    description=(
        "Svar på en sags sagsoplysningsskema: læs, gem kladde, indsend og se historik. "
        "Sagen er låst til den formularversion, den blev tildelt."
    ),
)

_INT = {"invalid": "Skal være et helt tal."}
# who may read whole CPR numbers in answers: those who fill in and decide on the case


class DraftBodySchema(Schema):
    base_revision = fields.Integer(
        required=True,
        strict=True,
        error_messages={
            "required": "Angiv base_revision: sagens revision, da svarene blev hentet.",
            **_INT,
        },
        metadata={"description": "sagens revision, som ændringen bygger på"},
    )
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        error_messages={
            "required": "Angiv answers: svardokumentet.",
            "invalid": "answers skal være et JSON-objekt med et svar pr. felt.",
        },
        metadata={"description": "svardokumentet (se formularens answers-schema)"},
    )

    class Meta:
        ordered = True


class CprQuerySchema(Schema):
    cpr = fields.String(
        load_default="masked",
        validate=validate.OneOf(["masked", "full"]),
        metadata={
            "description": "masked (standard): CPR-numre som DDMMYY-****; full: hele numre "
            "(kun sagsbehandlere; hver læsning skrives i revisionsloggen)"
        },
    )


class AnswerSetSchema(Schema):
    sequence = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "draft eller submission"})
    form = fields.String(required=True)
    version = fields.String(required=True)
    content_hash = fields.String(required=True)
    revision = fields.Integer(
        required=True, metadata={"description": "sagens revision efter denne gemning"}
    )
    created_at = fields.DateTime(required=True)
    created_by = fields.String(required=True)
    answers = fields.Dict(required=True)


class CaseAnswersSchema(Schema):
    case_id = fields.Integer(required=True)
    revision = fields.Integer(
        required=True, metadata={"description": "send den som base_revision ved næste gem"}
    )
    status = fields.String(required=True)
    form = fields.String(required=True)
    version = fields.String(required=True, metadata={"description": "sagens faste version"})
    latest = fields.Nested(AnswerSetSchema, allow_none=True, required=True)
    computed = fields.Dict(required=True)


class SavedSchema(Schema):
    case_id = fields.Integer(required=True)
    revision = fields.Integer(required=True)
    status = fields.String(required=True)
    saved = fields.Nested(AnswerSetSchema, required=True)
    valid = fields.Boolean(required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)
    computed = fields.Dict(required=True)


class HistorySchema(Schema):
    case_id = fields.Integer(required=True)
    revision = fields.Integer(required=True)
    answer_sets = fields.List(fields.Nested(AnswerSetSchema), required=True)


class StaleSchema(Schema):
    code = fields.Integer()
    message = fields.String()
    base_revision = fields.Integer(allow_none=True)
    current_revision = fields.Integer()
    current_answers = fields.Dict(allow_none=True)
    current_answers_by = fields.String(allow_none=True)


class InvalidSchema(Schema):
    code = fields.Integer()
    message = fields.String()
    problems = fields.List(fields.Nested(ProblemSchema))


def answer_set_json(
    answer_set: AnswerSet, definition: FormDefinition | None = None
) -> dict[str, Any]:
    """``definition`` given: its CPR fields are masked."""
    answers = answer_set.answers
    if definition is not None:
        answers = mask_cpr_answers(definition, answers)
    return {
        "sequence": answer_set.sequence,
        "kind": answer_set.kind,
        "form": answer_set.form,
        "version": answer_set.version,
        "content_hash": answer_set.content_hash,
        "revision": answer_set.case_revision,
        "created_at": answer_set.created_at,
        "created_by": answer_set.created_by_name,
        "answers": answers,
    }


def _masking_for(service: Any, case: Case, cpr: str) -> FormDefinition | None:
    """The definition to mask with, or None when the full numbers are asked for (audited)."""
    definition = service.definition_for(case)
    if cpr != "full":
        return definition
    if not READ_FULL_CPR.allows(current_actor()):
        abort(403, message="Kun sagsbehandlere kan se hele CPR-numre.")
    audit.record(service.session, service.actor, "answers.cpr_read", case_id=case.id)
    service.session.commit()
    return None


def _stale(error: StaleRevisionError) -> Any:
    return json_error(
        409,
        error.message,
        base_revision=error.base_revision,
        current_revision=error.current_revision,
        current_answers=error.current_answers,
        current_answers_by=error.current_answers_by,
    )


def _saved(case_id: int, saved: SavedAnswers) -> dict[str, Any]:
    """The stored answer set and the service's verdict on it (its one evaluation)."""
    case: Case = saved.answer_set.case
    return {
        "case_id": case_id,
        "revision": case.revision,
        "status": case.status,
        "saved": answer_set_json(saved.answer_set),
        **validation_body(saved.result),
    }


@blp.route("/<int:case_id>/answers")
@requires(READ_CASES)
@blp.arguments(CprQuerySchema, location="query")
@blp.response(200, CaseAnswersSchema)
def get_answers(query: dict[str, Any], case_id: int) -> dict[str, Any]:
    """Sagens svar og revisionen at gemme oven på: kommunen får sine nyeste (kladde eller
    indsendelse), andre læsere seneste indsendelse (før den første: nyeste kladde).

    CPR-numre er maskerede, medmindre ``cpr=full`` (revisionslogges)."""
    service = case_service()
    case = service.get_case(case_id)
    masking = _masking_for(service, case, query["cpr"])
    latest = service.answers_to_read(case)
    computed: dict[str, Any] = {}
    if latest is not None:
        definition = service.definition_for(case)
        result = validate_with_schema(
            definition, latest.answers, today=service.today(), complete=False
        )
        computed = validation_body(result)["computed"]
    return {
        "case_id": case.id,
        "revision": case.revision,
        "status": case.status,
        "form": case.form,
        "version": case.form_version,
        "latest": answer_set_json(latest, masking) if latest is not None else None,
        "computed": computed,
    }


@blp.route("/<int:case_id>/answers/draft", methods=["PUT"])
@requires(WRITE_ANSWERS)
@blp.arguments(DraftBodySchema)
@blp.response(200, SavedSchema)
@blp.alt_response(409, schema=StaleSchema, description="Sagen er ændret siden base_revision")
def save_draft(body: dict[str, Any], case_id: int) -> Any:
    """Gem svarene som kladde (påkrævede felter kontrolleres ikke; intet går tabt)."""
    service = case_service()
    answers = attachment_service(service).titled_answers(case_id, body["answers"])
    try:
        saved = service.save_answers(case_id, answers, base_revision=body["base_revision"])
    except StaleRevisionError as error:
        return _stale(error)
    return _saved(case_id, saved)


@blp.route("/<int:case_id>/answers/submit", methods=["POST"])
@requires(WRITE_ANSWERS)
@blp.arguments(DraftBodySchema)
@blp.response(200, SavedSchema)
@blp.alt_response(409, schema=StaleSchema, description="Sagen er ændret siden base_revision")
@blp.alt_response(422, schema=InvalidSchema, description="Svarene er ikke fuldstændige")
def submit(body: dict[str, Any], case_id: int) -> Any:
    """Indsend svarene med fuld validering mod sagens faste formularversion."""
    service = case_service()
    # an uploaded document answers its field (issue 16): an empty title takes the file's name
    answers = attachment_service(service).titled_answers(case_id, body["answers"])
    try:
        saved = service.save_answers(
            case_id, answers, base_revision=body["base_revision"], submit=True
        )
    except StaleRevisionError as error:
        return _stale(error)
    except AnswersInvalidError as error:
        return json_error(422, error.message, problems=[p.to_dict() for p in error.problems])
    return _saved(case_id, saved)


@blp.route("/<int:case_id>/answers/history")
@requires(READ_CASES)
@blp.arguments(CprQuerySchema, location="query")
@blp.response(200, HistorySchema)
def history(query: dict[str, Any], case_id: int) -> dict[str, Any]:
    """Alle gemte svar på sagen, ældste først (kladder og indsendelser).

    CPR-numre er maskerede, medmindre ``cpr=full`` (revisionslogges)."""
    service = case_service()
    case = service.get_case(case_id)
    masking = _masking_for(service, case, query["cpr"])
    return {
        "case_id": case.id,
        "revision": case.revision,
        "answer_sets": [answer_set_json(a, masking) for a in case.answer_sets],
    }
