"""Login sessions that end: the Flask side of ``forms_service.cases.login_sessions``.

The signed cookie holds Flask-Login's user id and a random session id (``_sid``). Before every
request the session id is checked against its row: logged out, password changed, deactivated,
idle longer than ``SESSION_IDLE_MINUTES`` or older than ``SESSION_ABSOLUTE_HOURS`` → the cookie's
session is emptied and the user is anonymous again, so a captured cookie stops working.

``begin`` starts a fresh session at login: everything from before the login (its CSRF token
included) is dropped, so a session fixed by an attacker before login is worth nothing.
Every identity provider ends in ``forms_service.web.auth.login_actor``, which calls it.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, flash, g
from flask import session as cookie_session
from flask_login import login_user, logout_user

from forms_service.cases import login_sessions
from forms_service.cases.login_sessions import SessionPolicy

SESSION_ID = "_sid"
_ENDED_MESSAGES = {
    "idle": "Du har været inaktiv for længe og er logget ud. Log ind igen.",
    "expired": "Din session er udløbet. Log ind igen.",
}


def init_sessions(app: Flask) -> None:
    idle = dt.timedelta(minutes=float(app.config.setdefault("SESSION_IDLE_MINUTES", 60)))
    absolute = dt.timedelta(hours=float(app.config.setdefault("SESSION_ABSOLUTE_HOURS", 12)))
    app.extensions["forms_service.session_policy"] = SessionPolicy(idle=idle, absolute=absolute)
    # The cookie and the CSRF tokens last no longer than the server-side session.
    app.config["PERMANENT_SESSION_LIFETIME"] = absolute
    app.config["WTF_CSRF_TIME_LIMIT"] = int(absolute.total_seconds())


def begin(user: object, user_id: int, *, provider: str = "local") -> None:
    """Log ``user`` (Flask-Login's user object) in with a fresh server-side session."""
    from forms_service.http.db import db_session

    cookie_session.clear()
    session = db_session()
    session_id = login_sessions.start(session, user_id, provider=provider)
    session.commit()
    login_user(user)
    cookie_session[SESSION_ID] = session_id


def finish(reason: str = "logout") -> None:
    """End the current session on the server and in the cookie."""
    from forms_service.http.db import db_session

    session_id = cookie_session.get(SESSION_ID)
    if session_id:
        session = db_session()
        login_sessions.end(session, session_id, reason)
        session.commit()
    logout_user()
    cookie_session.clear()


def enforce() -> None:
    """Before each request: a cookie session counts only while its server-side row does."""
    if g.get("token_authenticated") is not None:
        return  # the API's bearer token decides, not the cookie
    user_id = cookie_session.get("_user_id")
    if user_id is None:
        return
    from forms_service.http.db import db_session

    session_id = cookie_session.get(SESSION_ID)
    reason = "unknown"
    if isinstance(session_id, str) and str(user_id).isdigit():
        policy = current_app.extensions["forms_service.session_policy"]
        reason = login_sessions.check(db_session(), session_id, int(user_id), policy) or ""
    if reason:
        cookie_session.clear()
        g.pop("_login_user", None)
        if reason in _ENDED_MESSAGES:
            flash(_ENDED_MESSAGES[reason], "info")
