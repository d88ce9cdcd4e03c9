"""Sessions that end: a captured cookie after logout, password change and deactivation;
idle and absolute timeouts; a fresh session at login; CSRF tokens with a time limit."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from forms_service.cases.models import LoginSession, User
from forms_service.cases.users import deactivate, set_password

COOKIE = "forms_service_session"


def _captured(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of ``client``'s session cookie (as an attacker would)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/cases/", follow_redirects=False).status_code == 200


def test_a_cookie_captured_before_logout_does_not_work_after_it(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "kbh")
    thief = _captured(app, client)
    assert _logged_in(thief)  # the copy works while the session lasts
    assert thief.get("/api/v1/me").status_code == 200

    client.post("/logout")
    assert not _logged_in(client)
    response = thief.get("/cases/", follow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert thief.get("/api/v1/me").status_code == 401


def test_login_starts_a_fresh_session(app, client, login) -> None:  # type: ignore[no-untyped-def]
    with client.session_transaction() as before:
        before["csrf_token"] = "planted-before-login"
        before["planted"] = "by an attacker"
    login(client, "kbh")
    with client.session_transaction() as after:
        assert "planted" not in after and after.get("csrf_token") != "planted-before-login"
        first_id = after["_sid"]
    client.post("/logout")
    login(client, "kbh")
    with client.session_transaction() as again:
        assert again["_sid"] != first_id


def test_a_password_change_ends_every_session_of_the_user(app, client, login, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "kbh")
    other = app.test_client()
    login(other, "kbh")
    bystander = app.test_client()
    login(bystander, "ringsted")
    session = app.extensions["forms_service.sessions"]()
    try:
        user = session.get(User, users["kbh"].id)
        assert set_password(session, user, "et-helt-nyt-kodeord") == 2
        session.commit()
    finally:
        session.close()
    assert not _logged_in(client) and not _logged_in(other)
    assert _logged_in(bystander)


def test_deactivation_ends_the_users_sessions(app, client, login, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "kbh")
    session = app.extensions["forms_service.sessions"]()
    try:
        assert deactivate(session, session.get(User, users["kbh"].id)) == 1
        session.commit()
        ended = session.scalars(select(LoginSession.end_reason)).all()
    finally:
        session.close()
    assert ended == ["deactivated"]
    assert not _logged_in(client)


def _age_sessions(app: Flask, **ages: dt.timedelta) -> None:
    session = app.extensions["forms_service.sessions"]()
    try:
        now = dt.datetime.now(dt.UTC)
        values = {column: now - age for column, age in ages.items()}
        session.execute(update(LoginSession).values(**values))
        session.commit()
    finally:
        session.close()


@pytest.mark.parametrize(
    ("last_seen", "created", "message"),
    [
        (dt.timedelta(minutes=61), dt.timedelta(hours=2), "Du har været inaktiv for længe"),
        # however busy: the absolute lifetime ends it
        (dt.timedelta(seconds=5), dt.timedelta(hours=13), "Din session er udløbet"),
    ],
    ids=["idle", "absolute"],
)
def test_sessions_end_after_the_idle_and_the_absolute_timeout(  # type: ignore[no-untyped-def]
    app, client, login, last_seen: dt.timedelta, created: dt.timedelta, message: str
) -> None:
    login(client, "kbh")
    _age_sessions(app, last_seen_at=last_seen, created_at=created)
    response = client.get("/cases/", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_an_active_session_is_kept_and_marked_seen(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "kbh")
    _age_sessions(app, last_seen_at=dt.timedelta(minutes=59), created_at=dt.timedelta(hours=11))
    assert _logged_in(client)
    session = app.extensions["forms_service.sessions"]()
    try:
        seen = session.scalar(select(LoginSession.last_seen_at))
    finally:
        session.close()
    assert dt.datetime.now(dt.UTC) - seen < dt.timedelta(minutes=1)


def test_csrf_tokens_and_the_cookie_last_no_longer_than_the_session(app) -> None:  # type: ignore[no-untyped-def]
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 12 * 3600
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(hours=12)
