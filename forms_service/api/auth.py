"""Who am I: lets an API client check its token (and its role and municipality)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from forms_service.cases.permissions import SIGNED_IN
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1/me", description="Den godkendte bruger")


class MeSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    municipality_code = fields.Integer(allow_none=True)


@blp.route("")
@requires(SIGNED_IN)
@blp.response(200, MeSchema)
def me() -> Any:
    actor = current_actor()
    assert actor is not None
    return {
        "username": actor.username,
        "display_name": actor.name,
        "role": actor.role.value,
        "municipality_code": actor.municipality_code,
    }
