"""Single sign-on pages: the provider redirects, the callbacks, SAML metadata, provider logout.

``init_sso(app)`` reads the configuration (``SSO`` dict or ``SSO_CONFIG`` file) into
``app.extensions["forms_service.sso"]``; the views are in ``views``.
"""

from __future__ import annotations

from flask import Flask, current_app

from forms_service.sso.config import LocalLogin, SsoConfig, load_config
from forms_service.sso.oidc import Discovery


def init_sso(app: Flask) -> None:
    config = load_config(app.config.get("SSO") or app.config.get("SSO_CONFIG"))
    local = app.config.get("LOCAL_LOGIN")
    if local:  # the environment (FORMS_SERVICE_LOCAL_LOGIN) overrides the file
        config = SsoConfig(
            providers=config.providers,
            local_login=LocalLogin(local),
            public_url=config.public_url,
            by_name=config.by_name,
        )
    app.extensions["forms_service.sso"] = config
    app.extensions["forms_service.oidc_discovery"] = Discovery()


def sso_config() -> SsoConfig:
    return current_app.extensions["forms_service.sso"]  # type: ignore[no-any-return]
