"""Login, logout, the rate limit (database and Redis), CSRF and the session cookie."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select

from forms_service.app import create_app
from forms_service.cases.models import AuditEntry, LoginAttempt
from forms_service.http.ratelimit import MAX_FAILURES, MAX_WAIT, backoff

REDIS_URL = "redis://127.0.0.1:6379/13"  # issue 13's database on the shared Redis


def _app(db_url: str, tmp_path: Path, **config: object) -> Flask:
    return create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
        | config
    )


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, html
    return match.group(1)


def test_login_and_logout(app, client, login) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/cases/").status_code == 302  # not logged in: to the login page
    response = login(client, "kbh")
    assert response.headers["Location"] == "/"
    assert client.get("/", follow_redirects=False).headers["Location"] == "/cases/"
    page = client.get("/cases/").get_data(as_text=True)
    assert "Test kbh" in page and "København Kommune" in page

    response = client.post("/logout", follow_redirects=True)
    assert "Du er logget ud." in response.get_data(as_text=True)
    assert client.get("/cases/").status_code == 302
    with app.extensions["forms_service.sessions"]() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == ["auth.login", "auth.logout"]


def test_wrong_password_is_refused_in_danish(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/login", data={"username": "kbh", "password": "forkert"})
    assert response.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in response.get_data(as_text=True)
    response = client.post("/login", data={"username": "findes-ikke", "password": "forkert"})
    assert response.status_code == 401


def test_next_parameter_stays_on_site(client, login) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "sp", "password": "korrekt-hest-batteri"},
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/cases/%3Fstatus%3Dsubmitted",
        data={"username": "sp", "password": "korrekt-hest-batteri"},
    )
    assert response.headers["Location"] == "/cases/?status=submitted"


def _hammer(client, username: str, ip: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(MAX_FAILURES):
        response = client.post(
            "/login",
            data={"username": username, "password": "forkert"},
            environ_base={"REMOTE_ADDR": ip},
        )
        assert response.status_code == 401


def _attempt(client, username: str, ip: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"username": username, "password": "korrekt-hest-batteri"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_account_backoff_in_database(app, client) -> None:  # type: ignore[no-untyped-def]
    _hammer(client, "kbh", "10.0.0.1")
    response = _attempt(client, "KBH", "10.0.0.2")  # the right password, another address
    assert response.status_code == 429  # per account: the address does not matter
    assert "For mange mislykkede loginforsøg. Vent 1 sekunder" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "1"
    # another user from the same address is not slowed (5 failures are under its limit)
    assert _attempt(client, "sp", "10.0.0.1").status_code == 302
    client.post("/logout")
    with app.extensions["forms_service.sessions"]() as session:
        stored = session.scalar(select(func.count()).select_from(LoginAttempt))
        # the backoff doubles per failure and is no lockout: after the wait, the owner logs in
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at -= dt.timedelta(seconds=2)
        session.commit()
    assert stored == MAX_FAILURES
    assert _attempt(client, "kbh", "10.0.0.3").status_code == 302


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in range(4, 9)] == [0, 1, 2, 4, 8]
    assert backoff(40) == MAX_WAIT


def test_password_spraying_from_one_address_is_slowed(app, client) -> None:  # type: ignore[no-untyped-def]
    for index in range(10):  # ten usernames, one failure each: no account is near its limit
        response = client.post(
            "/login",
            data={"username": f"bruger{index}", "password": "forkert"},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        )
        assert response.status_code == 401
    assert _attempt(client, "sp", "10.9.9.9").status_code == 429
    assert _attempt(client, "sp", "10.9.9.10").status_code == 302


def test_account_backoff_in_redis(db_url, db_engine, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = _app(db_url, tmp_path, REDIS_URL=REDIS_URL, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    server = redis.Redis.from_url(REDIS_URL)
    key = "forms_service:login:ringsted"
    server.delete(key)
    try:
        _hammer(client, "ringsted", ip)
        assert int(server.hget(key, "failures") or 0) == MAX_FAILURES
        assert 0 < server.ttl(key) <= 15 * 60
        assert _attempt(client, "ringsted", ip).status_code == 429
        # nothing went to the database table
        with app.extensions["forms_service.sessions"]() as session:
            assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
        server.delete(key)
        assert _attempt(client, "ringsted", ip).status_code == 302
    finally:
        server.delete(key)
        app.extensions["forms_service.engine"].dispose()


def test_csrf_enforced_on_forms(db_url, db_engine, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = _app(db_url, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"username": "sp", "password": "korrekt-hest-batteri"})
    assert response.status_code == 400
    assert "sikkerhedsnøglen" in response.get_data(as_text=True)

    token = _csrf(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"username": "sp", "password": "korrekt-hest-batteri", "csrf_token": token},
    )
    assert response.status_code == 302
    # logged in, a form post without the token is still refused
    assert client.post("/logout").status_code == 400
    page = client.get("/cases/new").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": _csrf(page)}).status_code == 302
    app.extensions["forms_service.engine"].dispose()


def test_session_cookie_flags(db_url, db_engine, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = _app(db_url, tmp_path, TESTING=False, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post("/login", data={"username": "sp", "password": "korrekt-hest-batteri"})
    cookie = response.headers["Set-Cookie"]
    assert "forms_service_session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.extensions["forms_service.engine"].dispose()


def test_secret_key_is_generated_once_and_kept(db_url, db_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = {"DATABASE_URL": db_url, "INSTANCE_PATH": str(tmp_path / "inst"), "TESTING": True}
    first = create_app(dict(config))
    second = create_app(dict(config))
    assert first.secret_key and first.secret_key == second.secret_key
    key_file = tmp_path / "inst" / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0
    for application in (first, second):
        application.extensions["forms_service.engine"].dispose()


def test_unmigrated_database_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forms_service.cases.db import DatabaseNotMigratedError

    with pytest.raises(DatabaseNotMigratedError, match="forms-service db upgrade"):
        create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                "INSTANCE_PATH": str(tmp_path),
            }
        )


def test_health_is_public(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/health").get_json() == {"status": "ok"}


def test_layout_uses_bundled_dkfds(client, login) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="da">' in page
    assert "/static/dkfds/css/dkfds.min.css" in page and "/static/dkfds/js/dkfds.min.js" in page
    assert 'class="header"' in page and 'class="button button-primary"' in page
    css = client.get("/static/dkfds/css/dkfds.min.css")
    assert css.status_code == 200 and b".button-primary" in css.data
    font = client.get("/static/dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2")
    assert font.status_code == 200
    static = Path(client.application.static_folder or "")
    assert "MIT" in (static / "dkfds" / "LICENSE.md").read_text("utf-8")
    # a failed login shows the DKFDS error pattern
    response = client.post("/login", data={"username": "", "password": ""})
    assert 'class="alert alert-error"' in response.get_data(as_text=True)


def test_login_with_redis_gone_is_a_clear_503(db_url, db_engine, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as probe:  # a port nothing listens on: Redis is gone
        probe.bind(("127.0.0.1", 0))
        gone = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    app = _app(db_url, tmp_path, REDIS_URL=gone, WTF_CSRF_ENABLED=False)
    try:
        response = _attempt(app.test_client(), "sp", "10.1.2.3")
        assert response.status_code == 503
        assert "En baggrundstjeneste kan ikke nås lige nu" in response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "5"
    finally:
        app.extensions["forms_service.engine"].dispose()
