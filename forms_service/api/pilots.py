"""/api/v1/pilots: the pilots and their comparison (same figures as the pilot page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from forms_service.http.db import db_session
from forms_service.http.decorators import requires
from forms_service.pilots.comparison import compare_pilot
from forms_service.pilots.models import Pilot
from forms_service.pilots.permissions import READ_PILOTS
from forms_service.pilots.service import PilotError, get_pilot, list_pilots

blp = Blueprint(
    "pilots_api", __name__, url_prefix="/api/v1/pilots", description="Piloter og sammenligning"
)


class PilotSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    form = fields.String()
    candidate_version = fields.String()
    comparison_version = fields.String()
    comparison_scope = fields.String()
    pilot_codes = fields.List(fields.Integer(), data_key="pilot_municipalities")
    comparison_codes = fields.List(fields.Integer(), data_key="comparison_municipalities")
    start_date = fields.Date()
    end_date = fields.Date()
    description = fields.String(allow_none=True)


class AsOfSchema(Schema):
    as_of = fields.Date(load_default=None)


class MeasureComparisonSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "proportion eller duration"})
    unit = fields.String(required=True)
    candidate = fields.Float(required=True, allow_none=True)
    comparison = fields.Float(required=True, allow_none=True)
    n_candidate = fields.Integer(required=True)
    n_comparison = fields.Integer(required=True)
    difference = fields.Float(required=True, allow_none=True)
    ci_low = fields.Float(required=True, allow_none=True)
    ci_high = fields.Float(required=True, allow_none=True)
    p_value = fields.Float(required=True, allow_none=True)
    test = fields.String(required=True)
    small = fields.Boolean(required=True)
    sentence = fields.String(required=True)
    candidate_median = fields.Float(required=True, allow_none=True)
    comparison_median = fields.Float(required=True, allow_none=True)


class PilotComparisonSchema(Schema):
    pilot_id = fields.Integer(required=True)
    as_of = fields.String(required=True, metadata={"description": "ISO-dato"})
    candidate = fields.Dict(required=True, metadata={"description": "pilotversionens mål"})
    comparison = fields.Dict(required=True, metadata={"description": "sammenligningens mål"})
    rows = fields.List(fields.Nested(MeasureComparisonSchema), required=True)
    others = fields.Dict(
        metadata={
            "description": "sager i gruppernes kommuner og periode på andre versioner end de "
            "registrerede (candidate/comparison → {version: antal}); ikke med i målene"
        }
    )


def _pilot(pilot_id: int) -> Pilot:
    try:
        return get_pilot(db_session(), pilot_id)
    except PilotError:
        abort(404, description="Piloten findes ikke.")


@blp.route("/")
@requires(READ_PILOTS)
@blp.response(200, PilotSchema(many=True))
def pilots() -> list[Pilot]:
    """Alle piloter, nyeste først."""
    return list_pilots(db_session())


@blp.route("/<int:pilot_id>")
@requires(READ_PILOTS)
@blp.response(200, PilotSchema)
def pilot(pilot_id: int) -> Pilot:
    return _pilot(pilot_id)


@blp.route("/<int:pilot_id>/comparison")
@requires(READ_PILOTS)
@blp.arguments(AsOfSchema, location="query")
@blp.response(200, PilotComparisonSchema)
def comparison(args: dict[str, Any], pilot_id: int) -> dict[str, Any]:
    """Pilotversionen mod sammenligningsversionen: hvert mål med forskel, interval, test."""
    as_of = args.get("as_of") or dt.date.today()
    return compare_pilot(db_session(), _pilot(pilot_id), as_of=as_of).to_dict()
