"""The JSON API under /api/v1 (flask-smorest), described at /api/v1/openapi.json.

Add your endpoints (a ``flask_smorest.Blueprint`` with ``url_prefix="/api/v1/..."``) with an
import and a line in ``register_api``, which registers them on the app's ``Api``.
Each app gets its own ``Api`` (tests create many apps); ``api`` is the current app's one.

Authentication: ``Authorization: Bearer <token>`` (``forms-service users token USERNAME``) or
the browser's session cookie (then with the CSRF token in ``X-CSRFToken`` for writes). Every
view is guarded by ``forms_service.http.decorators.requires`` (a permission of a domain). Errors are JSON:
``{"code": 404, "message": "Sagen findes ikke."}`` (+ ``"errors"`` for invalid input).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import Flask, current_app
from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from flask_smorest import Api

API_PREFIX = "/api/v1"

api = cast("Api", LocalProxy(lambda: current_app.extensions["forms_service.api"]))


def register_api(app: Flask) -> Api:
    from flask_smorest import Api

    app.config.setdefault("API_TITLE", "forms-service")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "Sager, svar og fuldstændighed for seniorpension. "
                "Godkendelse: Authorization: Bearer <token>.",
            },
            "security": [{"bearerAuth": []}],
        },
    )
    instance = Api(app)
    instance.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    app.extensions["forms_service.api"] = instance
    from forms_service.api.answers import blp as answers
    from forms_service.api.attachments import blp as attachments
    from forms_service.api.auth import blp as auth
    from forms_service.api.cases import blp as cases
    from forms_service.api.completeness import blp as completeness
    from forms_service.api.documents import blp as documents
    from forms_service.api.forms import blp as forms
    from forms_service.api.pilots import blp as pilots
    from forms_service.api.reporting import blp as reporting

    for blueprint in (
        auth,
        cases,
        forms,
        answers,
        documents,
        completeness,
        pilots,
        reporting,
        attachments,
    ):
        instance.register_blueprint(blueprint)
    return instance
