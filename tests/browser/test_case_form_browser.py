"""A municipal caseworker fills in the v1 form in a real browser (Chromium via Playwright).

Screenshots and the full axe-core reports go to test-artifacts/browser/<test>/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANSWERS = Path(__file__).resolve().parents[1] / "fixtures" / "answers"

BLOCKING_IMPACTS = {"serious", "critical"}


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def check_accessibility(page: Any, artifacts: Path, name: str) -> None:
    """axe-core on the page as it is now; the full report is kept as an artefact."""
    result = Axe().run(page)
    report = result.response
    (artifacts / f"axe-{name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), "utf-8"
    )
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in report["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert blocking == [], "\n".join(blocking)


def answer(page: Any, steps: list[dict[str, Any]]) -> None:
    today = dt.date.today().isoformat()
    for step in steps:
        name = step["field"]
        if "fill" in step:
            page.locator(f"#field-{name}").fill(step["fill"].replace("{today}", today))
        elif "radio" in step:
            page.locator(f'input[name="{name}"][value="{step["radio"]}"]').check()
        elif "check" in step:
            for value in step["check"]:
                page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_caseworker_fills_in_corrects_saves_resumes_and_submits(
    page: Any,
    log_in: Callable[[Any, str], None],
    make_case: Callable[..., int],
    case_status: Callable[[int], str],
    artifacts: Path,
) -> None:
    case_id = make_case()
    log_in(page, "kbh")

    # from the case page to the form
    page.goto(f"/cases/{case_id}")
    page.locator("#open-case-form").click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}/form$"))
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").inner_text().startswith("Sagsoplysningsskema")
    shot(page, artifacts, "01-form-opened")
    check_accessibility(page, artifacts, "01-form-opened")

    # fill in part of it and submit: the error summary appears at the top
    answer(page, load_fixture("v1_first_answers.json"))
    page.get_by_role("button", name="Indsend til Seniorpension").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert "fejl, der skal rettes" in summary.locator("h2").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    link = summary.locator('a[href="#field-kontakt_navn"]')
    assert link.inner_text() == "Angiv »Sagsbehandlerens navn«."
    # what was typed before the submit is still there
    assert page.locator("#field-atp_aar").input_value() == "26,8"
    shot(page, artifacts, "02-error-summary")
    check_accessibility(page, artifacts, "02-error-summary")

    # follow the link: the field gets the focus, the URL names it
    link.click()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'field-kontakt_navn'"
    )
    assert page.url.endswith("#field-kontakt_navn")
    field = page.locator("#field-kontakt_navn")
    assert field.get_attribute("aria-invalid") == "true"
    assert "kontakt_navn-error" in (field.get_attribute("aria-describedby") or "")
    shot(page, artifacts, "03-followed-link")

    # correct it and save a draft
    field.fill("Mette Sagsbehandler")
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}/form$"))
    assert "Kladden er gemt." in page.content()
    assert case_status(case_id) == "draft_in_progress"
    shot(page, artifacts, "04-draft-saved")

    # come back later: the answers are still there
    page.reload()
    assert page.locator("#field-kontakt_navn").input_value() == "Mette Sagsbehandler"
    assert page.locator("#field-atp_aar").input_value() == "26,8"
    assert page.locator('input[name="kendt_i_kommunen"][value="ja"]').is_checked()
    shot(page, artifacts, "05-reloaded")

    # complete it (partshoering_dato appears once "ja" is chosen) and submit
    answer(page, load_fixture("v1_remaining_answers.json"))
    page.get_by_role("button", name="Indsend til Seniorpension").click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}$"))
    assert "Skemaet er indsendt til Seniorpension." in page.content()
    assert case_status(case_id) == "submitted"
    shot(page, artifacts, "06-submitted")


def test_conditional_question_appears_without_a_page_reload(
    page: Any,
    log_in: Callable[[Any, str], None],
    make_case: Callable[..., int],
    artifacts: Path,
) -> None:
    case_id = make_case()
    log_in(page, "kbh")
    page.goto(f"/cases/{case_id}/form")
    assert page.locator('[name="konkret_vurdering"]').count() == 0

    # adding a row is a plain form submit (works without JavaScript too)
    page.get_by_role("button", name="Tilføj række til Beskæftigelsesperioder").click()
    page.locator("#field-ansaettelser-0-fra").wait_for()

    # from here on nothing reloads the page: a marker on window would not survive a reload
    page.evaluate("window.__noReload = true")
    row = load_fixture("v1_employment_20_25_years.json")
    for key, value in row.items():
        locator = page.locator(f"#field-ansaettelser-0-{key}")
        if key == "ansaettelsestype":
            locator.select_option(value)
        else:
            locator.fill(value)
            locator.dispatch_event("change")
    question = page.locator("#field-konkret_vurdering")
    question.wait_for(state="visible")
    assert page.evaluate("window.__noReload") is True
    years = page.locator("#computed-fuldtidsaar").inner_text()
    number = float(years.removesuffix(" år").replace(",", "."))
    assert 20.0 <= number < 25.0
    # the caseworker's row answers are still in place after the section was replaced
    assert page.locator("#field-ansaettelser-0-arbejdsgiver").input_value() == row["arbejdsgiver"]
    assert page.locator("#form-live").inner_text() == "Skemaet er opdateret efter dit svar."
    shot(page, artifacts, "01-assessment-appeared")
    check_accessibility(page, artifacts, "01-assessment-appeared")

    # and it disappears again when the periods no longer add up to 20-25 years
    page.locator("#field-ansaettelser-0-fra").fill("2015-01-01")
    page.locator("#field-ansaettelser-0-fra").dispatch_event("change")
    question.wait_for(state="detached")
    assert page.evaluate("window.__noReload") is True
    shot(page, artifacts, "02-assessment-gone")


def test_read_only_view_and_preview_are_accessible(
    page: Any,
    log_in: Callable[[Any, str], None],
    make_case: Callable[..., int],
    submit_answers: Callable[[int, dict[str, Any]], None],
    artifacts: Path,
) -> None:
    case_id = make_case()
    answers = json.loads((ANSWERS / "v1_complete.json").read_text("utf-8"))
    submit_answers(case_id, answers)

    log_in(page, "sp")
    page.goto(f"/cases/{case_id}/form")
    assert page.locator("form#skema").count() == 0
    assert page.locator("#field-navn").inner_text() == answers["navn"]
    assert page.get_by_text(answers["ansaettelser"][2]["arbejdsgiver"]).count() >= 1
    shot(page, artifacts, "01-read-only")
    check_accessibility(page, artifacts, "01-read-only")

    page.goto("/forms/sagsoplysningsskema/2.0.0-pilot.1/preview")
    page.get_by_role("button", name="Afprøv svarene").click()
    page.locator("#error-summary").wait_for()
    shot(page, artifacts, "02-preview-tested")
    check_accessibility(page, artifacts, "02-preview-tested")
