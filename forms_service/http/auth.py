"""Authentication and authorisation for the web pages and the API.

Public interface (the decorators ``requires`` and ``public`` are in ``decorators``):

    current_actor()          the logged-in ``Actor`` (role, municipality) or None
    Role                     the role names
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, request
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user

from forms_service.cases.roles import Actor, Role
from forms_service.http import ratelimit, sessions
from forms_service.http.db import db_session
from forms_service.http.identity import LocalIdentityProvider
from forms_service.sso.config import LocalLogin

__all__ = [
    "AuthUser",
    "Role",
    "current_actor",
    "init_auth",
    "login_actor",
    "safe_next",
]


class AuthUser(UserMixin):
    """Flask-Login's view of an ``Actor``."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def get_id(self) -> str:
        return str(self.actor.id)


def current_actor() -> Actor | None:
    return current_user.actor if current_user.is_authenticated else None


def login_actor(actor: Actor, *, provider: str = "local") -> None:
    """Start a fresh server-side session for ``actor`` (whatever provider vouched for it)."""
    sessions.begin(AuthUser(actor), actor.id, provider=provider)


def init_auth(app: Flask) -> None:
    # the SSO configuration (read by the factory before this) says who may use a password
    sso = app.extensions.get("forms_service.sso")
    app.extensions["forms_service.identity"] = LocalIdentityProvider(
        sso.local_login if sso is not None else LocalLogin.ALL
    )
    sessions.init_sessions(app)
    redis_url = app.config.get("REDIS_URL")
    app.extensions["forms_service.account_throttle"] = (
        ratelimit.RedisAccountThrottle(redis_url)
        if redis_url
        else ratelimit.DatabaseAccountThrottle()
    )
    app.extensions["forms_service.address_throttle"] = ratelimit.AddressThrottle(
        ratelimit.address_storage_uri(redis_url),
        app.config.get("LOGIN_LIMITS_PER_ADDRESS", ratelimit.ADDRESS_LIMITS),
    )

    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = "Log ind for at se siden."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.anonymous_user = AnonymousUserMixin
    manager.init_app(app)

    @manager.user_loader
    def load_user(user_id: str) -> AuthUser | None:
        if g.get("token_authenticated") is False:
            return None  # a bearer header was sent but was wrong: never fall back to cookies
        try:
            actor = app.extensions["forms_service.identity"].load(db_session(), int(user_id))
        except ValueError:
            return None
        return AuthUser(actor) if actor is not None else None

    @app.before_request
    def bearer_token() -> None:
        # An API call with a bearer token is authenticated by the token alone.
        header = request.headers.get("Authorization", "")
        if not request.path.startswith("/api/") or not header.lower().startswith("bearer "):
            return
        from forms_service.cases.users import actor_of, user_for_token

        session = db_session()
        user = user_for_token(session, header[7:].strip())
        session.commit()  # last_used_at
        if user is None:
            g.token_authenticated = False
            g._login_user = AnonymousUserMixin()
            return
        g.token_authenticated = True
        g._login_user = AuthUser(actor_of(user))  # Flask-Login reads the user from here

    # The bearer check must run before CSRF, which skips token-authenticated calls.
    app.before_request_funcs.setdefault(None, [])
    funcs = app.before_request_funcs[None]
    funcs.insert(0, funcs.pop(funcs.index(bearer_token)))
    # then the cookie's server-side session, before CSRF (an ended session is a login page)
    funcs.insert(1, sessions.enforce)

    @app.context_processor
    def inject_actor() -> dict[str, object]:
        return {"actor": current_actor(), "Role": Role}


def safe_next(target: str | None) -> str | None:
    """Only redirect back inside this site after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
