"""/api/v1/status: the forum's status tables as JSON (same figures as the dashboard)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validates_schema

from forms_service.http.db import db_session
from forms_service.http.decorators import requires
from forms_service.reporting.permissions import READ_REPORTS
from forms_service.reporting.status import StatusFilter, status_report
from forms_service.seniorpension.municipalities import municipality_by_code, region_by_code

blp = Blueprint(
    "status_api", __name__, url_prefix="/api/v1/status", description="Status for forummet"
)


class StatusQuerySchema(Schema):
    start = fields.Date(load_default=None)
    end = fields.Date(load_default=None)
    as_of = fields.Date(load_default=None)
    region = fields.Integer(load_default=None)
    municipality = fields.Integer(load_default=None)
    version = fields.String(load_default=None)

    @validates_schema
    def _known(self, data: dict[str, Any], **_: Any) -> None:
        try:
            if data.get("region") is not None:
                region_by_code(data["region"])
            if data.get("municipality") is not None:
                municipality_by_code(data["municipality"])
        except (KeyError, ValueError):
            raise ValidationError("Ukendt region eller kommune.") from None


class StatusFilterSchema(Schema):
    start = fields.String(required=True, metadata={"description": "ISO-dato"})
    end = fields.String(required=True)
    as_of = fields.String(required=True)
    region = fields.Integer(required=True, allow_none=True)
    municipality = fields.Integer(required=True, allow_none=True)
    version = fields.String(required=True, allow_none=True)


class ColumnSchema(Schema):
    key = fields.String(required=True)
    heading = fields.String(required=True)
    kind = fields.String(required=True)


class StatusTableSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    columns = fields.List(fields.Nested(ColumnSchema), required=True)
    rows = fields.List(fields.Dict(), required=True, metadata={"description": "én pr. række"})
    note = fields.String(required=True, allow_none=True)


class StatusSchema(Schema):
    filter = fields.Nested(StatusFilterSchema, required=True)
    summary = fields.Dict(required=True, metadata={"description": "nøgletal"})
    tables = fields.List(fields.Nested(StatusTableSchema), required=True)


@blp.route("/")
@requires(READ_REPORTS)
@blp.arguments(StatusQuerySchema, location="query")
@blp.response(200, StatusSchema)
def status(args: dict[str, Any]) -> dict[str, Any]:
    """Nøgletal og alle tabeller for perioden (ansøgningsdato), standard: de seneste 12 måneder."""
    today = dt.date.today()
    end = args.get("end") or today
    f = StatusFilter(
        args.get("start") or end - dt.timedelta(days=365),
        end,
        args.get("as_of") or today,
        region_code=args.get("region"),
        municipality_code=args.get("municipality"),
        form_version=args.get("version"),
    )
    report = status_report(db_session(), f)
    return {
        "filter": {
            "start": f.start.isoformat(),
            "end": f.end.isoformat(),
            "as_of": f.as_of.isoformat(),
            "region": f.region_code,
            "municipality": f.municipality_code,
            "version": f.form_version,
        },
        "summary": report.summary,
        "tables": [t.to_dict() for t in report.tables],
    }
