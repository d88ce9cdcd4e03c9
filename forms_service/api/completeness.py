"""JSON API of completeness: is a case sufficiently informed ("tilstrækkeligt oplyst")?

- ``POST /api/v1/forms/<form>/<version>/completeness``: an answers document in, the report out.
- ``GET /api/v1/cases/<id>/completeness``: the report for the case's latest answers against
  its pinned form version, and the report stored with its latest submission (what Seniorpension
  received). A municipal caseworker sees only the own municipality's cases; others are 404.

Thin adapter: the report is ``forms_service.completeness`` 's, in its ``to_dict`` shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from forms_service.api.forms import (
    ANSWERS_BODY_DOC,
    NOT_AN_OBJECT,
    definition_or_404,
    json_error,
    read_json_body,
)
from forms_service.cases.permissions import READ_CASES, SIGNED_IN
from forms_service.completeness import current_shape, evaluate_completeness
from forms_service.http.decorators import requires
from forms_service.http.services import case_service

blp = Blueprint(
    "completeness_api",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Fuldstændighed: er sagen tilstrækkeligt oplyst efter de fire kriterier i "
        "pensionslovens § 26 c, stk. 1, og betingelserne for seniorpension?"
    ),
)


class FieldRefSchema(Schema):
    id = fields.String(required=True, metadata={"example": "konkret_vurdering"})
    label = fields.String(required=True)
    section = fields.String(allow_none=True, required=True)
    section_title = fields.String(allow_none=True, required=True)
    group = fields.String(
        allow_none=True, required=True, metadata={"description": "den gentagne gruppe"}
    )
    group_label = fields.String(allow_none=True, required=True)
    anchor = fields.String(
        required=True, metadata={"description": "elementets id på skemasiden, fx field-cpr"}
    )


class CriterionSchema(Schema):
    id = fields.String(required=True, metadata={"example": "kriterie_1"})
    kind = fields.String(required=True, metadata={"description": "criterion eller eligibility"})
    title = fields.String(required=True)
    legal_ref = fields.String(allow_none=True, required=True)
    status = fields.String(
        required=True, metadata={"description": "complete, missing eller insufficient"}
    )
    status_label = fields.String(required=True)
    reasons = fields.List(fields.String(), required=True)
    missing_fields = fields.List(fields.Nested(FieldRefSchema), required=True)
    missing_documents = fields.List(fields.Nested(FieldRefSchema), required=True)
    review_fields = fields.List(
        fields.Nested(FieldRefSchema),
        required=True,
        metadata={"description": "udfyldte felter, som en fejlet kontrol peger på"},
    )
    attention = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "bemærkninger til Seniorpension; gør ikke sagen utilstrækkelig"},
    )
    guidance = fields.String(allow_none=True, required=True, metadata={"description": "markdown"})


class ConditionSchema(Schema):
    id = fields.String(required=True, metadata={"example": "pensionsalder"})
    kind = fields.String(required=True, metadata={"description": "altid eligibility"})
    title = fields.String(required=True)
    legal_ref = fields.String(allow_none=True, required=True)
    status = fields.String(
        required=True, metadata={"description": "met, not_met eller undetermined"}
    )
    status_label = fields.String(required=True)
    reasons = fields.List(fields.String(), required=True)
    fields_ = fields.List(
        fields.Nested(FieldRefSchema),
        data_key="fields",
        attribute="fields",
        required=True,
        metadata={"description": "de svar, vurderingen bygger på"},
    )
    criterion = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "kriteriet, som en udgivet version angiver betingelsen i"},
    )
    guidance = fields.String(allow_none=True, required=True, metadata={"description": "markdown"})


class ReportSchema(Schema):
    form = fields.String(required=True)
    version = fields.String(required=True)
    content_hash = fields.String(required=True)
    evaluated_on = fields.String(required=True, metadata={"example": "2025-06-01"})
    sufficient = fields.Boolean(required=True)
    summary = fields.String(required=True)
    guidance = fields.String(allow_none=True, required=True)
    criteria = fields.List(
        fields.Nested(CriterionSchema),
        required=True,
        metadata={"description": "oplysningskriterierne i § 26 c, stk. 1; de afgør sufficient"},
    )
    conditions = fields.List(
        fields.Nested(ConditionSchema),
        required=True,
        metadata={"description": "betingelserne for seniorpension; afgør ikke sufficient"},
    )
    stored_shape = fields.String(
        metadata={"description": "criteria-only: en gemt rapport fra før opdelingen"}
    )


class AnswerSetRefSchema(Schema):
    sequence = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "draft eller submission"})
    created_at = fields.DateTime(required=True)


class CaseCompletenessSchema(Schema):
    case_id = fields.Integer(required=True)
    revision = fields.Integer(required=True)
    answer_set = fields.Nested(
        AnswerSetRefSchema,
        allow_none=True,
        required=True,
        metadata={"description": "de svar, rapporten bygger på (null: endnu ingen svar)"},
    )
    report = fields.Nested(ReportSchema, required=True)
    submitted_report = fields.Nested(
        ReportSchema,
        allow_none=True,
        required=True,
        metadata={"description": "rapporten gemt ved seneste indsendelse"},
    )


class TodayQuerySchema(Schema):
    today = fields.Date(
        load_default=None,
        metadata={"description": "vurderingsdato (standard: dags dato)", "example": "2025-06-01"},
    )


@blp.route("/forms/<form>/<version>/completeness", methods=["POST"])
@requires(SIGNED_IN)
@blp.arguments(TodayQuerySchema, location="query", as_kwargs=True)
@blp.doc(**ANSWERS_BODY_DOC)
@blp.response(200, ReportSchema)
@blp.alt_response(422, description="Kroppen er ikke et JSON-objekt")
def form_completeness(form: str, version: str, today: dt.date | None = None) -> Any:
    """Fuldstændighedsrapporten for et svardokument mod en formularversion."""
    definition = definition_or_404(form, version)
    answers = read_json_body()
    if not isinstance(answers, dict):
        return json_error(422, NOT_AN_OBJECT)
    report = evaluate_completeness(definition, answers, today=today or dt.date.today())
    return report.to_dict()


@blp.route("/cases/<int:case_id>/completeness")
@requires(READ_CASES)
@blp.response(200, CaseCompletenessSchema)
def case_completeness(case_id: int) -> dict[str, Any]:
    """Fuldstændighed for sagens seneste svar (og rapporten fra seneste indsendelse)."""
    service = case_service()
    case = service.get_case(case_id)
    latest = service.answers_to_read(case)
    definition = service.definition_for(case)
    answers = latest.answers if latest is not None else {}
    report = evaluate_completeness(definition, answers, today=service.today())
    submissions = [a for a in case.answer_sets if a.kind == "submission"]
    return {
        "case_id": case.id,
        "revision": case.revision,
        "answer_set": (
            None
            if latest is None
            else {
                "sequence": latest.sequence,
                "kind": latest.kind,
                "created_at": latest.created_at,
            }
        ),
        "report": report.to_dict(),
        "submitted_report": (
            current_shape(submissions[-1].completeness)
            if submissions and submissions[-1].completeness
            else None
        ),
    }
