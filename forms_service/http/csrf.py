"""CSRF on every form and every cookie-authenticated API write."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _csrf_protect() -> None:
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


def init_csrf(app: Flask) -> None:
    csrf.init_app(app)
    app.before_request(_csrf_protect)
