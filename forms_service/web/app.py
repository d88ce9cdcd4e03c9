"""The Flask application factory.

Configuration comes from ``FORMS_SERVICE_*`` environment variables, overridden by the dict
given to ``create_app`` (tests pass ``{"DATABASE_URL": ..., "TESTING": True, ...}``):

    DATABASE_URL   SQLAlchemy URL (default: SQLite in the instance folder)
    SECRET_KEY     signs the session cookie (default: generated once, kept in the instance folder)
    REDIS_URL      login rate limit in Redis instead of the database
    SSO_CONFIG     JSON file of identity providers (OpenID Connect, SAML); ``SSO`` (dict only)
                   gives the same as a dict
    LOCAL_LOGIN    who may sign in with a local password: all (default), admins, off
    TRUSTED_PROXIES  how many proxies in front set X-Forwarded-For/-Proto (default 0)
    INSTANCE_PATH  the instance folder (default: ./instance)
    REGISTRY       (dict only) a form-definition Registry instead of the bundled one

The app keeps no state of its own: the session is a signed cookie naming a server-side login
session (``login_sessions``), everything else is in the database (or Redis), so several
instances can run behind a load balancer.
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from forms_service.cases import db as cases_db
from forms_service.cases.errors import CaseError
from forms_service.seniorpension.cpr import CprRedactingFilter
from forms_service.web.security import init_security

ENV_PREFIX = "FORMS_SERVICE_"
ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "REDIS_URL",
    "INSTANCE_PATH",
    "SSO_CONFIG",
    "LOCAL_LOGIN",
    "TRUSTED_PROXIES",
)

# Blueprints of the web pages, "module:attribute". Add yours with one line.
BLUEPRINTS: list[str] = [
    "forms_service.web.auth.views:bp",
    "forms_service.web.cases.views:bp",
    "forms_service.web.forms.views:bp",
    "forms_service.web.documents.views:bp",
    "forms_service.web.completeness.views:bp",
    "forms_service.web.editor.views:bp",
    "forms_service.web.pilots.views:bp",
    "forms_service.web.reporting.views:bp",
    "forms_service.web.notifications.views:bp",
    "forms_service.web.sso.views:bp",
    "forms_service.web.attachments.views:bp",
    "forms_service.web.admin.views:bp",
]

csrf = CSRFProtect()
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def create_app(config: dict[str, Any] | None = None) -> Flask:
    settings = _settings(config or {})
    instance = cases_db.instance_path(settings.get("INSTANCE_PATH"))
    instance.mkdir(parents=True, exist_ok=True)

    app = Flask(__name__, instance_path=str(instance))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="forms_service_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # CSRF is checked in _csrf_protect below, so token-authenticated API calls can skip it.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session's life; the session cookie expires
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update({k: v for k, v in settings.items() if k != "REGISTRY"})
    secure = not (app.debug or app.testing)
    app.config.setdefault("SESSION_COOKIE_SECURE", secure)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    app.config["SESSION_COOKIE_SECURE"] = settings.get("SESSION_COOKIE_SECURE", secure)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _persistent_secret(instance)

    install_cpr_log_filter(app)
    init_security(app)
    _init_database(app, settings)
    from forms_service.notifications.wiring import install_wakeup

    install_wakeup(app.extensions["forms_service.sessions"], settings.get("REDIS_URL"))
    _init_registry(app, settings)

    csrf.init_app(app)
    app.before_request(_csrf_protect)

    from forms_service.web.auth import init_auth

    init_auth(app)
    for spec in BLUEPRINTS:
        module_name, _, attribute = spec.partition(":")
        app.register_blueprint(getattr(importlib.import_module(module_name), attribute))

    from forms_service.api import register_api

    register_api(app)
    _register_error_handlers(app)
    app.teardown_appcontext(_close_session)

    from forms_service.web.cases.panels import init_panels

    init_panels(app)
    return app


# --- configuration --------------------------------------------------------------------------


def _settings(overrides: dict[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key in ENV_KEYS:
        value = os.environ.get(ENV_PREFIX + key)
        if value:
            settings[key] = value
    settings.update(overrides)
    return settings


def _persistent_secret(instance: Path) -> str:
    """A random key made once and kept in the instance folder, shared by all workers."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def install_cpr_log_filter(app: Flask | None = None) -> None:
    """Mask CPR numbers in every log record, whatever handler later writes it.

    The filter sits on the handlers present now (root, the app's, werkzeug's) and, because
    handlers added later (gunicorn's, a test's) would miss it, also in the log-record factory.
    """
    redact = CprRedactingFilter()
    loggers = [logging.getLogger(), logging.getLogger("werkzeug")]
    if app is not None:
        loggers.append(app.logger)
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, CprRedactingFilter) for f in handler.filters):
                handler.addFilter(redact)

    factory = logging.getLogRecordFactory()
    if getattr(factory, "_redacts_cpr", False):
        return

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        redact.filter(record)
        return record

    redacting_factory._redacts_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)


# --- database -------------------------------------------------------------------------------


def _init_database(app: Flask, settings: dict[str, Any]) -> None:
    url = cases_db.database_url(settings.get("DATABASE_URL"), instance=Path(app.instance_path))
    engine = cases_db.make_engine(url)
    if settings.get("AUTO_MIGRATE"):
        cases_db.upgrade(engine)
    cases_db.check_migrated(engine)  # refuses an unmigrated database, naming the fix
    app.config["DATABASE_URL"] = url
    app.extensions["forms_service.engine"] = engine
    app.extensions["forms_service.sessions"] = cases_db.make_session_factory(engine)


def _init_registry(app: Flask, settings: dict[str, Any]) -> None:
    registry = settings.get("REGISTRY")
    if registry is None:
        from forms_service.definitions.registry import default_registry

        registry = default_registry()
    app.extensions["forms_service.registry"] = registry


def db_session() -> Session:
    """The request's database session (closed when the request ends)."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["forms_service.sessions"]()
    return g.db_session  # type: ignore[no-any-return]


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


# --- CSRF and errors ------------------------------------------------------------------------


def _csrf_protect() -> None:
    from flask import current_app

    if not current_app.config.get("WTF_CSRF_ENABLED", True) or request.method in _SAFE_METHODS:
        return
    # A bearer token is not sent by browsers on their own, so a token-authenticated API call
    # cannot be forged cross-site; the session cookie can, so cookie calls need the token.
    if g.get("token_authenticated"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "_csrf_exempt", False):
        return
    from flask_login import current_user

    if request.path.startswith("/api/") and not current_user.is_authenticated:
        return  # no session to forge: the view answers 401, which says what is wrong
    csrf.protect()


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def _register_error_handlers(app: Flask) -> None:
    messages = {
        400: "Forespørgslen kunne ikke forstås.",
        401: "Du skal logge ind.",
        403: "Du har ikke adgang til denne side.",
        404: "Siden eller sagen findes ikke.",
        405: "Metoden er ikke tilladt her.",
        409: "Der er en konflikt med den gemte version.",
        413: "Forespørgslen er for stor.",
        422: "Oplysningerne kunne ikke behandles.",
        429: "For mange forsøg. Vent lidt, og prøv igen.",
        500: "Der opstod en fejl. Prøv igen senere.",
    }

    def render(status: int, message: str, extra: dict[str, Any] | None = None) -> Any:
        if wants_json():
            body = {"code": status, "message": message} | (extra or {})
            return jsonify(body), status
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return render(400, "Formularen er udløbet eller mangler sikkerhedsnøglen. Prøv igen.")

    @app.errorhandler(CaseError)
    def case_error(error: CaseError) -> Any:
        return render(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        # flask-smorest's abort(..., message=...) and its validation errors travel in .data
        data = getattr(error, "data", None) or {}
        # a description given with abort(...) is ours and Danish; werkzeug's defaults are not
        own = error.description if error.description != type(error).description else None
        message = data.get("message") or own or messages.get(status, error.description or "")
        extra = {"errors": data["messages"]} if "messages" in data else None
        if status == 422 and extra:
            message = "Oplysningerne er ikke gyldige."
        body, code = render(status, message, extra)
        response = app.make_response((body, code))
        # keep what the error says besides its body: Allow on 405, WWW-Authenticate on 401
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    if not app.testing:  # in tests, let errors surface instead of a friendly page

        @app.errorhandler(Exception)
        def server_error(error: Exception) -> Any:
            app.logger.exception("Unhandled error on %s %s", request.method, request.path)
            return render(500, messages[500])
