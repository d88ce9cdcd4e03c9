"""A form editor edits v1 in a real browser and publishes it; a new case then uses it.

Its own live app with its own definition registry: the version published here must not reach
the other tests' apps. Screenshots go to test-artifacts/browser/<test>/.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from forms_service.cases import db as cases_db
from forms_service.cases.models import Case
from forms_service.cases.roles import Role
from forms_service.cases.users import create_user, hash_password
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.editor.models import PublishedVersion

pytestmark = pytest.mark.browser

PASSWORD = "editor-browser-adgang"
USERS = {"redaktoer": Role.FORM_EDITOR, "sp": Role.SENIORPENSION_CASEWORKER}
NEW_LABEL = "Seniorpensions sagsnummer (fra anmodningen)"
NEW_GUIDANCE = "Angiv **alle** perioder med beskæftigelse, også deltid og udland."


@pytest.fixture(scope="module")
def editor_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    from forms_service.app import create_app

    folder = tmp_path_factory.mktemp("editor-live")
    url = f"sqlite:///{folder / 'editor.sqlite3'}"
    engine = cases_db.make_engine(url)
    cases_db.upgrade(engine)
    with cases_db.make_session_factory(engine)() as session:
        password_hash = hash_password(PASSWORD)
        for name, role in USERS.items():
            create_user(
                session,
                name,
                role=role,
                password_hash=password_hash,
                display_name=f"Browser {name}",
            )
        session.commit()
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "editor-browser-secret",
            "INSTANCE_PATH": str(folder / "instance"),
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "REGISTRY": Registry(definitions_root()),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="editor-live", daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["forms_service.engine"].dispose()


@pytest.fixture
def tab(browser: Any, editor_live: tuple[Any, str]) -> Iterator[Any]:
    context = browser.new_context(
        base_url=editor_live[1], locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _log_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert "/login" not in page.url


def _shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def _field_index(page: Any, section: int, field_id: str) -> int:
    block = page.locator(f'#section-{section} .field-block[data-field-id="{field_id}"]')
    return int(block.get_attribute("id").rsplit("-", 1)[-1])


def test_editor_publishes_a_new_version_that_new_cases_use(
    tab: Any, editor_live: tuple[Any, str], artifacts: Path
) -> None:
    app, _url = editor_live
    page = tab
    _log_in(page, "redaktoer")
    page.goto("/editor/")
    _shot(page, artifacts, "01-editor-index")

    # a draft of a minor version from the current 1.2.0
    start = page.locator("form.start-draft").first
    start.get_by_label("Ud fra version").select_option("1.2.0")
    start.get_by_label("Slags ændring").select_option("minor")
    expect_placeholder = start.get_by_label("Versionsnummer (valgfrit)")
    page.wait_for_function(
        "el => el.placeholder === '1.3.0'", arg=expect_placeholder.element_handle()
    )
    start.get_by_role("button", name="Start kladde").click()
    page.wait_for_load_state()
    assert re.search(r"/editor/drafts/\d+$", page.url)
    # the draft is titled by the form's title, not its id
    assert page.locator("h1").inner_text() == "Kladde: Sagsoplysningsskema – seniorpension 1.3.0"

    # a label and a guidance text; the guidance preview follows the typing (sanitised server-side)
    page.locator("#field-0-0-label").fill(NEW_LABEL)
    index = _field_index(page, 2, "ansaettelser")
    guidance = page.locator(f"#field-2-{index}-guidance")
    guidance.fill(NEW_GUIDANCE)
    preview = page.locator(f"#preview-field-2-{index}")
    preview.locator("strong", has_text="alle").wait_for()

    # a new field with a condition, first with a broken expression
    section = page.locator("#section-2")
    section.locator("summary", has_text="Tilføj et felt").click()
    page.locator("#new-2-id").fill("arbejdsproevning")
    page.locator("#new-2-type").select_option("textarea")
    page.locator("#new-2-label").fill("Beskriv arbejdsprøvningen")
    page.locator("#new-2-visible_if").fill("atp_aar >>> 20")
    section.get_by_role("button", name="Tilføj feltet").click()
    page.wait_for_load_state()
    problems = page.locator("#definition-problems")
    problems.wait_for()
    new_index = _field_index(page, 2, "arbejdsproevning")
    path = f"sections[2].fields[{new_index}].visible_if"
    problem = problems.locator(".definition-problem", has_text=path)
    assert problem.count() == 1
    message = problem.locator(".problem-message").inner_text()
    assert message  # the CLI's message for the same path
    _shot(page, artifacts, "02-validation-error")

    # fix it
    page.locator(f"#field-2-{new_index}-visible_if").fill("atp_aar < 20.0")
    page.locator("#save-draft").click()
    page.wait_for_load_state()
    assert page.locator("#draft-valid").is_visible()
    assert page.locator("#field-0-0-label").input_value() == NEW_LABEL
    _shot(page, artifacts, "03-draft-valid")

    # preview as the caseworker will see it, with a test answer that shows the new question
    page.get_by_role("link", name="Forhåndsvis").first.click()
    page.wait_for_load_state()
    assert NEW_LABEL in page.content()
    # 30 full ATP years: the new question is hidden; 12: it is asked
    page.locator("#field-atp_aar").fill("30")
    page.get_by_role("button", name="Afprøv svarene").click()
    page.wait_for_load_state()
    assert page.locator('[name="arbejdsproevning"]').count() == 0
    page.locator("#field-atp_aar").fill("12")
    page.get_by_role("button", name="Afprøv svarene").click()
    page.wait_for_load_state()
    page.locator('[name="arbejdsproevning"]').wait_for()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#test-completeness").is_visible()
    _shot(page, artifacts, "04-preview-with-test-answers")

    # review and publish with a note
    page.get_by_role("link", name="Gennemse og udgiv").first.click()
    page.wait_for_load_state()
    diff = page.locator("#definition-diff")
    assert diff.locator("ins", has_text="(fra anmodningen)").count() >= 1
    assert diff.locator('[data-field="arbejdsproevning"]').count() == 1
    page.get_by_label("Ændringsnote").fill(
        "Tydeligere sagsnummer, vejledning om perioder, nyt felt"
    )
    _shot(page, artifacts, "05-review")
    page.locator("#publish-button").click()
    page.wait_for_load_state()
    assert "/editor/forms/sagsoplysningsskema/changelog" in page.url
    assert "Tydeligere sagsnummer, vejledning om perioder, nyt felt" in page.content()
    _shot(page, artifacts, "06-changelog")
    with app.extensions["forms_service.sessions"]() as session:
        row = session.scalars(select(PublishedVersion)).one()
        assert (row.version, row.published_by_name) == ("1.3.0", "Browser redaktoer")

    # a Seniorpension caseworker's new case uses the new version
    page.get_by_role("button", name="Log af").click()
    page.wait_for_load_state()
    _log_in(page, "sp")
    page.goto("/cases/new")
    page.get_by_label("Sagsnummer").fill("SP-2026-000777")
    page.get_by_label("CPR-nummer").fill("010160-1234")
    page.get_by_label("Borgerens navn").fill("Birte Browser")
    page.get_by_label("Ansøgningsdato").fill((dt.date.today() - dt.timedelta(days=3)).isoformat())
    page.get_by_label("Kommune", exact=True).select_option("851")
    page.get_by_label("Anmodning sendt til kommunen").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Opret sag").click()
    page.wait_for_load_state()
    assert "version 1.3.0" in page.content()
    _shot(page, artifacts, "07-new-case-uses-1.3.0")
    with app.extensions["forms_service.sessions"]() as session:
        case = session.scalars(select(Case).where(Case.case_number == "SP-2026-000777")).one()
        assert case.form_version == "1.3.0"
