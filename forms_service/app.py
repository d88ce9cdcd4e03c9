"""The Flask application factory.

Configuration comes from ``FORMS_SERVICE_*`` environment variables (Flask's
``from_prefixed_env``: ``FORMS_SERVICE_<NAME>`` is the setting ``<NAME>``, kept as the string it is, an
empty variable unset), overridden by the dict given to ``create_app`` (tests pass
``{"DATABASE_URL": ..., "TESTING": True, ...}``). The settings the factory reads
(``APP_SETTINGS``; every variable the code reads is in the README's configuration table):

    DATABASE_URL   SQLAlchemy URL (default: SQLite in the instance folder)
    SECRET_KEY     signs the session cookie (default: generated once, kept in the instance folder)
    REDIS_URL      login rate limit in Redis instead of the database
    SSO_CONFIG     JSON file of identity providers (OpenID Connect, SAML); ``SSO`` (dict only)
                   gives the same as a dict
    LOCAL_LOGIN    who may sign in with a local password: all (default), admins, off
    TRUSTED_PROXIES  how many proxies in front set X-Forwarded-For/-Proto (default 0)
    INSTANCE_PATH  the instance folder (default: ./instance)
    ENCRYPTION_KEYS  the key ring of personal data at rest, ``k2:<base64>,k1:<base64>``
    BLIND_INDEX_KEY  the key of the CPR search index (both: ``cases.keys``; without them a
                   development pair in the instance folder, for the embedded SQLite only)
    AUTO_MIGRATE   migrate the database at start (``1``/``true``); else a start on an older
                   schema is refused, naming ``forms-service db upgrade``
    REGISTRY       (dict only) a form-definition Registry instead of the bundled one

The app keeps no state of its own: the session is a signed cookie naming a server-side login
session (``login_sessions``), everything else is in the database (or Redis), so several
instances can run behind a load balancer.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Config, Flask

from forms_service import wiring
from forms_service.cases import crypto, keys
from forms_service.cases import db as cases_db
from forms_service.http.auth import init_auth
from forms_service.http.csrf import init_csrf
from forms_service.http.db import init_db_session
from forms_service.http.errors import register_error_handlers
from forms_service.seniorpension.cpr import CprRedactingFilter
from forms_service.web.security import init_security

ENV_PREFIX = "FORMS_SERVICE"
APP_SETTINGS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "REDIS_URL",
    "INSTANCE_PATH",
    "SSO_CONFIG",
    "LOCAL_LOGIN",
    "TRUSTED_PROXIES",
    "ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "AUTO_MIGRATE",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    settings = _settings(config or {})
    instance = cases_db.instance_path(settings.get("INSTANCE_PATH"))
    instance.mkdir(parents=True, exist_ok=True)

    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="forms_service_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # CSRF is checked in http.csrf, so token-authenticated API calls can skip it.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session's life; the session cookie expires
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update({k: v for k, v in settings.items() if k != "REGISTRY"})
    secure = not (app.debug or app.testing)
    app.config.setdefault("SESSION_COOKIE_SECURE", secure)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    app.config["SESSION_COOKIE_SECURE"] = flag(settings.get("SESSION_COOKIE_SECURE", secure))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _persistent_secret(instance)

    install_cpr_log_filter(app)
    init_security(app)
    _init_database(app, settings)
    from forms_service.notifications.wiring import install_wakeup

    install_wakeup(app.extensions["forms_service.sessions"], settings.get("REDIS_URL"))
    _init_registry(app, settings)

    init_csrf(app)
    from forms_service.web.sso import init_sso

    init_sso(app)
    init_auth(app)
    init_db_session(app)

    from forms_service.api import register_api
    from forms_service.web import register_web

    register_web(app)
    register_api(app)
    register_error_handlers(app)
    return app


# --- configuration --------------------------------------------------------------------------


def _settings(overrides: dict[str, Any]) -> dict[str, Any]:
    """Every ``FORMS_SERVICE_<NAME>`` variable as ``<NAME>``, then ``overrides``.

    Read with Flask's ``from_prefixed_env`` into a config of its own, because the instance
    folder must be known before the app exists. Values stay strings (``loads=str``): a secret
    key of digits must not become a number; the code that reads a setting parses it.
    """
    environment = Config(os.getcwd())
    environment.from_prefixed_env(ENV_PREFIX, loads=str)
    settings: dict[str, Any] = {k: v for k, v in environment.items() if v != ""}
    settings.update(overrides)
    return settings


def flag(value: Any) -> bool:
    """A yes/no setting: a bool from the dict, or ``1``/``true``/``yes``/``on`` as text."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


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
    # the keys before the first read or write (a migration encrypts too); refused in
    # production without FORMS_SERVICE_ENCRYPTION_KEYS, checked against the database
    given = {
        keys.ENV_KEYS: settings.get("ENCRYPTION_KEYS") or "",
        keys.ENV_INDEX_KEY: settings.get("BLIND_INDEX_KEY") or "",
    }
    key_ring = keys.load_ring(instance=Path(app.instance_path), database_url=url, environ=given)
    crypto.configure(key_ring)
    engine = cases_db.make_engine(url)
    if flag(settings.get("AUTO_MIGRATE", False)):
        cases_db.upgrade(engine)
    cases_db.check_migrated(engine)  # refuses an unmigrated database, naming the fix
    keys.verify(engine, key_ring)  # a wrong or missing key stops the start, naming the key
    app.config["DATABASE_URL"] = url
    app.extensions["forms_service.engine"] = engine
    app.extensions["forms_service.sessions"] = wiring.session_factory(engine)


def _init_registry(app: Flask, settings: dict[str, Any]) -> None:
    """The one definition source: the files plus the versions published in the app's database
    (read again when a listing is older than a few seconds or a version is missing, so a
    version another instance published shows up here)."""
    app.extensions["forms_service.registry"] = wiring.definition_source(
        app.extensions["forms_service.sessions"], settings.get("REGISTRY")
    )
