"""The live app for the browser tests, and Playwright driving Debian's Chromium.

live_app        (session) the real app (CSRF on, no TESTING) on a migrated SQLite file,
                with the test users; served from a thread on 127.0.0.1
live_url        its base URL
browser         (session) Chromium at /usr/bin/chromium (installed by scripts/test.sh);
                missing Chromium fails the test with a message, it is never skipped
page            a fresh browser context and page per test
make_case       make_case(**fields) -> case id: a case of København (101) sent to the
                municipality and answered with sagsoplysningsskema 1.0.0
log_in          log_in(page, username) through the login page
artifacts       test-artifacts/browser/<test name>/ for screenshots and axe reports
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from forms_service.cases import db as cases_db
from forms_service.cases.models import Case, User
from forms_service.cases.roles import Role
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of, create_user, hash_password

CHROMIUM = os.environ.get("FORMS_SERVICE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-test-adgang"
USERS: dict[str, tuple[Role, int | None]] = {
    "kbh": (Role.MUNICIPAL_CASEWORKER, 101),
    "sp": (Role.SENIORPENSION_CASEWORKER, None),
    "editor": (Role.FORM_EDITOR, None),
}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
_CASE_NUMBERS = itertools.count(1)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from forms_service.app import create_app

    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'browser.sqlite3'}"
    engine = cases_db.make_engine(url)
    cases_db.upgrade(engine)
    session = cases_db.make_session_factory(engine)()
    password_hash = hash_password(PASSWORD)
    for name, (role, code) in USERS.items():
        create_user(
            session,
            name,
            role=role,
            password_hash=password_hash,
            display_name=f"Browser {name}",
            municipality_code=code,
        )
    session.commit()
    session.close()
    engine.dispose()

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-test-secret",
            "INSTANCE_PATH": str(folder / "instance"),
            # plain http on loopback: the cookies must not demand https here
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        }
    )
    yield app
    app.extensions["forms_service.engine"].dispose()


@pytest.fixture(scope="session")
def live_url(live_app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's Chromium "
            "(`apt-get install -y chromium`, which scripts/test.sh does when run as root).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_url: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def make_case(live_app: Any) -> Callable[..., int]:
    def make(**fields: Any) -> int:
        values: dict[str, Any] = json.loads((FIXTURES / "case.json").read_text("utf-8")) | fields
        values["application_date"] = dt.date.today() - dt.timedelta(days=30)
        values.setdefault("case_number", f"SP-2026-{next(_CASE_NUMBERS):06d}")
        session = live_app.extensions["forms_service.sessions"]()
        try:
            sp = session.query(User).filter_by(username="sp").one()
            service = CaseService(
                session, actor_of(sp), registry=live_app.extensions["forms_service.registry"]
            )
            case = service.create_case(**values, send_to_municipality=True)
            # the form version these tests were written for, whatever the pilot rules assign
            case.form_version = "1.0.0"
            session.commit()
            return case.id
        finally:
            session.close()

    return make


@pytest.fixture
def submit_answers(live_app: Any) -> Callable[[int, dict[str, Any]], None]:
    """Submit ``answers`` on a case as kbh, through the case service (test setup)."""

    def submit(case_id: int, answers: dict[str, Any]) -> None:
        session = live_app.extensions["forms_service.sessions"]()
        try:
            kbh = session.query(User).filter_by(username="kbh").one()
            service = CaseService(
                session, actor_of(kbh), registry=live_app.extensions["forms_service.registry"]
            )
            case = service.get_case(case_id, audit_read=False)
            service.submit(case_id, answers, base_revision=case.revision)
        finally:
            session.close()

    return submit


@pytest.fixture
def case_status(live_app: Any) -> Callable[[int], str]:
    def status(case_id: int) -> str:
        with live_app.extensions["forms_service.sessions"]() as session:
            case = session.get(Case, case_id)
            assert case is not None
            return case.status

    return status


@pytest.fixture
def log_in() -> Callable[[Any, str], None]:
    def _log_in(page: Any, username: str) -> None:
        page.goto("/login")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, page.content()[:2000]

    return _log_in
