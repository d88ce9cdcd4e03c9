"""The JSON API under /api/v1 (flask-smorest), described at /api/v1/openapi.json.

Add your endpoints with one line in ``API_BLUEPRINTS`` (a ``flask_smorest.Blueprint`` with
``url_prefix="/api/v1/..."``); ``register_api(app)`` registers them on the app's ``Api``.
Each app gets its own ``Api`` (tests create many apps); ``api`` is the current app's one.

Authentication: ``Authorization: Bearer <token>`` (``forms-service users token USERNAME``) or
the browser's session cookie (then with the CSRF token in ``X-CSRFToken`` for writes). Every
view is guarded by ``forms_service.web.auth.roles_required``. Errors are JSON:
``{"code": 404, "message": "Sagen findes ikke."}`` (+ ``"errors"`` for invalid input).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from flask import Flask, current_app
from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from flask_smorest import Api

API_PREFIX = "/api/v1"

# "module:attribute" of each flask_smorest.Blueprint. Add yours with one line.
API_BLUEPRINTS: list[str] = [
    "forms_service.api.auth:blp",
    "forms_service.api.cases:blp",
    "forms_service.api.forms:blp",
    "forms_service.api.answers:blp",
    "forms_service.api.documents:blp",
    "forms_service.api.completeness:blp",
    "forms_service.api.pilots:blp",
    "forms_service.api.reporting:blp",
    "forms_service.api.attachments:blp",
]

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
    for spec in API_BLUEPRINTS:
        module_name, _, attribute = spec.partition(":")
        instance.register_blueprint(getattr(importlib.import_module(module_name), attribute))
    return instance
