"""/api/v1/cases: create (Seniorpension), list, read and move cases through the lifecycle.

The CPR number goes in when a case is created and never comes out: responses carry it masked.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from forms_service.cases.lifecycle import OUTCOME_LABELS, STATUS_LABELS, Outcome, Status
from forms_service.cases.models import Case
from forms_service.cases.permissions import CREATE_CASES, READ_CASES, TRANSITION_CASES
from forms_service.cases.service import DEADLINE_FILTERS, MAX_PAGE, MAX_PER_PAGE, CaseFilter
from forms_service.http.decorators import requires
from forms_service.http.services import case_service
from forms_service.seniorpension.cpr import mask_cpr
from forms_service.seniorpension.municipalities import municipality_by_code

blp = Blueprint(
    "cases_api",
    __name__,
    url_prefix="/api/v1/cases",
    description="Sager: oprettelse, liste, opslag og statusskift",
)


class EventSchema(Schema):
    from_status = fields.String(allow_none=True, data_key="from")
    to_status = fields.String(data_key="to")
    outcome = fields.String(allow_none=True)
    actor_name = fields.String(data_key="by")
    at = fields.DateTime()
    reason = fields.String(allow_none=True)


class AnswerSetSummarySchema(Schema):
    sequence = fields.Integer()
    kind = fields.String(metadata={"description": "draft | submission"})
    form = fields.String()
    version = fields.String()
    content_hash = fields.String()
    case_revision = fields.Integer()
    created_by_name = fields.String(data_key="created_by")
    created_at = fields.DateTime()


class CaseSchema(Schema):
    id = fields.Integer()
    case_number = fields.String()
    cpr_masked = fields.Function(lambda case: mask_cpr(case.cpr))
    citizen_name = fields.String()
    application_date = fields.Date()
    municipality_code = fields.Integer()
    municipality_name = fields.Function(
        lambda case: municipality_by_code(case.municipality_code).name
    )
    request_date = fields.Date(allow_none=True)
    form = fields.String()
    form_version = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda case: STATUS_LABELS[Status(case.status)])
    decision_outcome = fields.String(allow_none=True)
    municipality_deadline = fields.Date(allow_none=True)
    decision_deadline = fields.Date()
    revision = fields.Integer()
    assignment_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CaseDetailSchema(CaseSchema):
    events = fields.List(fields.Nested(EventSchema))
    answer_sets = fields.List(fields.Nested(AnswerSetSummarySchema))


class CasePageSchema(Schema):
    items = fields.List(fields.Nested(CaseSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()


class CaseQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    deadline = fields.String(validate=validate.OneOf(DEADLINE_FILTERS))
    municipality = fields.Integer(
        validate=validate.Range(min=1, max=999), metadata={"description": "kun for Seniorpension"}
    )
    search = fields.String(
        validate=validate.Length(max=40),
        metadata={"description": "sagsnummerets begyndelse eller et helt CPR-nummer"},
    )
    open_only = fields.Boolean(
        load_default=False, metadata={"description": "udelad afgjorte sager"}
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class CaseCreateSchema(Schema):
    case_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    cpr = fields.String(
        required=True, load_only=True, metadata={"description": "DDMMÅÅ-XXXX eller DDMMÅÅXXXX"}
    )
    citizen_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    application_date = fields.Date(required=True)
    municipality_code = fields.Integer(required=True)
    request_date = fields.Date(
        load_default=None,
        metadata={"description": "Sæt for at sende sagen til kommunen med det samme"},
    )


class TransitionSchema(Schema):
    to = fields.String(required=True, validate=validate.OneOf([s.value for s in Status]))
    reason = fields.String(load_default=None, validate=validate.Length(max=4000))
    outcome = fields.String(
        load_default=None,
        validate=validate.OneOf([o.value for o in Outcome]),
        metadata={
            "description": ", ".join(f"{o.value} ({label})" for o, label in OUTCOME_LABELS.items())
        },
    )
    revision = fields.Integer(
        load_default=None, metadata={"description": "den revision handlingen bygger på"}
    )


@blp.route("/")
@requires(READ_CASES)
@blp.arguments(CaseQuerySchema, location="query")
@blp.response(200, CasePageSchema)
def list_cases(args: dict[str, Any]) -> Any:
    """Sager, som brugeren må se (en kommunal sagsbehandler: kun egen kommune)."""
    page = case_service().list_cases(
        CaseFilter(
            status=args.get("status"),
            deadline=args.get("deadline"),
            municipality_code=args.get("municipality"),
            search=args.get("search"),
            open_only=args["open_only"],
            page=args["page"],
            per_page=args["per_page"],
        )
    )
    return {
        "items": page.items,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
    }


@blp.route("/", methods=["POST"])
@requires(CREATE_CASES)
@blp.arguments(CaseCreateSchema)
@blp.response(201, CaseDetailSchema)
def create_case(data: dict[str, Any]) -> Case:
    """Opret en sag (Seniorpension). Med ``request_date`` sendes den straks til kommunen."""
    return case_service().create_case(
        case_number=data["case_number"],
        cpr=data["cpr"],
        citizen_name=data["citizen_name"],
        application_date=data["application_date"],
        municipality_code=data["municipality_code"],
        send_to_municipality=data["request_date"] is not None,
        request_date=data["request_date"],
    )


@blp.route("/<int:case_id>")
@requires(READ_CASES)
@blp.response(200, CaseDetailSchema)
def get_case(case_id: int) -> Case:
    """Én sag med status- og svarhistorik. Opslaget logges i revisionssporet."""
    return case_service().get_case(case_id)


@blp.route("/<int:case_id>/transitions", methods=["POST"])
@requires(TRANSITION_CASES)
@blp.arguments(TransitionSchema)
@blp.response(200, CaseDetailSchema)
def transition(data: dict[str, Any], case_id: int) -> Case:
    """Skift status: send, returnér (med begrundelse), tilstrækkeligt oplyst, afgør."""
    return case_service().transition(
        case_id,
        data["to"],
        reason=data["reason"],
        outcome=data["outcome"],
        base_revision=data["revision"],
    )
