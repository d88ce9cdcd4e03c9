"""The usability round (issue 15) in a real browser: every role's main pages at 1280 and 375 px.

Each page is checked for horizontal scroll of the page and with axe-core; the screenshots go to
test-artifacts/screens/<role>/<page>-<width>.png for a person to look at, and the full axe reports
beside them. One browser context per role keeps the run light on a shared machine.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from forms_service.cases.models import User
from forms_service.cases.roles import Role
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of, create_user, hash_password
from forms_service.definitions.registry import is_prerelease
from forms_service.documents.brochure import brochure_versions
from forms_service.pilots.service import PilotInput, create_pilot

from .conftest import PASSWORD, ROOT

pytestmark = pytest.mark.browser

SCREENS = ROOT / "test-artifacts" / "screens"
ANSWERS = ROOT / "tests" / "fixtures" / "answers"
WIDTHS = (1280, 375)
FORM = "sagsoplysningsskema"
NEWEST_BROCHURE = brochure_versions()[-1]
# every violation counts, whatever its impact: "0 axe violations on every page"
BLOCKING_IMPACTS = {"minor", "moderate", "serious", "critical"}
# roles the shared conftest does not create
EXTRA_USERS = {
    "analytiker15": Role.ANALYST,
    "admin15": Role.ADMIN,
    "kommunikation15": Role.COMMUNICATIONS,
}


@pytest.fixture(scope="module")
def extra_users(live_app: Any) -> None:
    session = live_app.extensions["forms_service.sessions"]()
    try:
        for name, role in EXTRA_USERS.items():
            if session.query(User).filter_by(username=name).one_or_none() is None:
                create_user(
                    session,
                    name,
                    role=role,
                    password_hash=hash_password(PASSWORD),
                    display_name=f"Browser {name}",
                )
        session.commit()
    finally:
        session.close()


@pytest.fixture
def as_role(
    browser: Any, live_url: str, log_in: Callable[[Any, str], None], extra_users: None
) -> Iterator[Callable[[str], Any]]:
    """as_role(username) -> a logged-in page in its own browser context (closed at the end)."""
    contexts: list[Any] = []

    def open_as(username: str) -> Any:
        context = browser.new_context(
            base_url=live_url, locale="da-DK", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        log_in(tab, username)
        return tab

    yield open_as
    for context in contexts:
        context.close()


def horizontal_overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def widest_elements(page: Any) -> list[str]:
    """The elements that stick out on the right, to name them when the check fails."""
    return list(
        page.evaluate(
            """() => {
              const limit = document.documentElement.clientWidth;
              const out = [];
              for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > limit + 1 && r.width > 0) {
                  out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                           (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
                           ' ' + Math.round(r.right));
                }
              }
              return out.slice(0, 8);
            }"""
        )
    )


def axe_blocking(page: Any, report_path: Path) -> list[str]:
    report = Axe().run(page).response
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in report["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def walk(page: Any, role: str, pages: dict[str, str]) -> list[str]:
    """Visit each page at each width: screenshot, overflow and axe. Returns the problems."""
    folder = SCREENS / role
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            response = page.goto(url)
            assert response is not None and response.ok, f"{url}: {response and response.status}"
            # the editor's draft page is long: a full-page picture takes a while on a busy machine
            page.screenshot(
                path=str(folder / f"{name}-{width}.png"), full_page=True, timeout=90_000
            )
            overflow = horizontal_overflow(page)
            if overflow > 0:
                problems.append(
                    f"{name} at {width}px: {overflow}px too wide {widest_elements(page)}"
                )
            for line in axe_blocking(page, folder / f"axe-{name}-{width}.json"):
                problems.append(f"{name} at {width}px: {line}")
    return problems


def return_case(live_app: Any, case_id: int, reason: str) -> None:
    """Seniorpension returns a submitted case to the municipality (test setup)."""
    session = live_app.extensions["forms_service.sessions"]()
    try:
        sp = session.query(User).filter_by(username="sp").one()
        service = CaseService(
            session, actor_of(sp), registry=live_app.extensions["forms_service.registry"]
        )
        service.transition(case_id, "returned", reason=reason)
    finally:
        session.close()


# --- the header ----------------------------------------------------------------------------


def test_menu_and_log_off_reachable_at_phone_width_and_menu_open_at_desktop(
    as_role: Callable[[str], Any],
) -> None:
    page = as_role("sp")
    page.goto("/cases")
    menu = page.locator("nav.navigation-menu")
    # 1280 px: every main-menu link in the bar, none behind DKFDS's "Mere"
    assert menu.get_by_role("link", name="Sager").is_visible()
    assert menu.get_by_role("link", name="Status").is_visible()
    assert not page.locator(".more-option").is_visible()
    assert page.get_by_role("button", name="Log af").first.is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert not menu.is_visible()
    open_menu = page.get_by_role("button", name="Menu")
    assert open_menu.is_visible()
    open_menu.click()
    drawer = page.get_by_role("dialog", name="Menu")
    assert drawer.is_visible()
    # the drawer takes the focus (its close button) and holds the links and "Log af"
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Luk"
    assert drawer.get_by_role("link", name="Status").is_visible()
    assert drawer.get_by_role("button", name="Log af").is_visible()
    page.keyboard.press("Escape")
    assert not drawer.is_visible()
    open_menu.click()
    drawer.get_by_role("link", name="Status").click()
    page.wait_for_url(re.compile(r"/status"))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("dialog", name="Menu").get_by_role("button", name="Log af").click()
    page.wait_for_url(re.compile(r"/login"))


# --- every role's main pages ---------------------------------------------------------------


def test_every_main_page_fits_375_px_and_has_no_axe_violations(
    as_role: Callable[[str], Any],
    make_case: Callable[..., int],
    submit_answers: Callable[[int, dict[str, Any]], None],
    live_app: Any,
    browser: Any,
    live_url: str,
) -> None:
    open_case = make_case(citizen_name="Åse Kjærsgaard-Østergaard Vestergaard")
    problems: list[str] = []

    anonymous = browser.new_context(base_url=live_url, locale="da-DK")
    try:
        problems += walk(anonymous.new_page(), "anonym", {"login": "/login"})
    finally:
        anonymous.close()

    problems += walk(
        as_role("kbh"),
        "kommune",
        {
            "forside": "/",
            "sager": "/cases",
            "sag": f"/cases/{open_case}",
            "skema": f"/cases/{open_case}/form",
        },
    )
    problems += walk(
        as_role("sp"),
        "seniorpension",
        {
            "sager": "/cases",
            "sag": f"/cases/{open_case}",
            "skema-laes": f"/cases/{open_case}/form",
            "ny-sag": "/cases/new",
        },
    )
    problems += walk(
        as_role("editor"),
        "redaktoer",
        {
            "skemaer": "/editor/",
            "forhaandsvisning": "/forms/sagsoplysningsskema/1.0.0/preview",
        },
    )
    problems += walk(
        as_role("analytiker15"),
        "analytiker",
        {"status": "/status/", "piloter": "/pilots/"},
    )
    problems += walk(as_role("admin15"), "administrator", {"brugere": "/admin/users"})
    problems += walk(
        as_role("kommunikation15"),
        "kommunikation",
        {
            "pjece": "/pjece/",
            "pjece-forhaandsvisning": f"/pjece/{NEWEST_BROCHURE}/",
            "pjece-aendringer": f"/pjece/{NEWEST_BROCHURE}/aendringer",
        },
    )
    assert problems == [], "\n".join(problems)


# --- a returned case -----------------------------------------------------------------------


def test_returned_case_opens_with_its_reason_at_the_top_of_the_form(
    as_role: Callable[[str], Any],
    make_case: Callable[..., int],
    submit_answers: Callable[[int, dict[str, Any]], None],
    case_status: Callable[[int], str],
) -> None:
    case_id = make_case()
    submit_answers(case_id, json.loads((ANSWERS / "v1_complete.json").read_text("utf-8")))
    folder = SCREENS / "returnering"
    folder.mkdir(parents=True, exist_ok=True)

    # Seniorpension: an empty reason is caught by the page's error summary, not a bubble
    sp = as_role("sp")
    sp.goto(f"/cases/{case_id}")
    sp.locator("summary", has_text="Returnér til kommunen").click()
    returning = sp.locator("details", has_text="Hvad skal kommunen supplere?")
    returning.get_by_role("button", name="Returnér til kommunen").click()
    sp.wait_for_load_state()
    summary = sp.locator(".alert-error", has_text="Der er problemer")
    assert summary.is_visible()
    summary.get_by_role(
        "link", name="Skriv, hvilke oplysninger kommunen skal supplere med."
    ).click()
    assert sp.evaluate("() => document.activeElement.id") == "reason"
    assert case_status(case_id) == "submitted"

    returning = sp.locator("details[open]", has_text="Hvad skal kommunen supplere?")
    returning.get_by_text("Vælg felter").or_(returning.get_by_text("Andre felter")).first.click()
    returning.get_by_label("Faglig forklaring på, hvorfor arbejdsevnen er varigt nedsat").check()
    returning.get_by_label("Beskæftigelsesperioder").check()
    sp.locator("#reason").fill("Uddyb den faglige forklaring, og tilføj perioden 2001-2003.")
    sp.screenshot(path=str(folder / "seniorpension-returnerer-1280.png"), full_page=True)
    returning.get_by_role("button", name="Returnér til kommunen").click()
    sp.wait_for_load_state()
    assert case_status(case_id) == "returned"

    # the municipality: the form opens with the reason and the requested items on top
    kbh = as_role("kbh")
    kbh.goto(f"/cases/{case_id}/form")
    notice = kbh.locator("#case-return")
    assert notice.is_visible()
    first_alert = kbh.locator("main .alert").first
    assert first_alert.get_attribute("id") == "case-return"
    assert notice.locator("h2").inner_text() == "Seniorpension har sendt sagen tilbage"
    assert "tilføj perioden 2001-2003" in notice.inner_text()
    links = notice.locator(".return-requested a")
    assert links.all_inner_texts() == [
        "Beskæftigelsesperioder",
        "Faglig forklaring på, hvorfor arbejdsevnen er varigt nedsat til højst 15 timer",
    ]
    # the sidebar agrees: no green "tilstrækkeligt oplyst" on a returned case
    checklist = kbh.locator("#completeness")
    assert checklist.locator(".alert-success").count() == 0
    assert "sendt sagen tilbage" in checklist.locator(".completeness-summary").inner_text()
    kbh.screenshot(path=str(folder / "kommune-skema-1280.png"))
    problems = axe_blocking(kbh, folder / "axe-kommune-skema.json")
    assert problems == [], problems

    # each item is linked to its field: the link moves the focus there
    links.nth(1).click()
    assert kbh.evaluate("() => document.activeElement.id") == "field-faglig_forklaring"
    assert kbh.locator("#field-faglig_forklaring").is_visible()

    # the case page says the same, at phone width too
    kbh.set_viewport_size({"width": 375, "height": 800})
    kbh.goto(f"/cases/{case_id}")
    assert kbh.locator("#case-return").is_visible()
    kbh.screenshot(path=str(folder / "kommune-sag-375.png"), full_page=True)
    assert horizontal_overflow(kbh) == 0


# --- the employment periods ----------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_adding_an_employment_row_keeps_the_place_and_focuses_the_new_row(
    javascript: bool,
    browser: Any,
    live_url: str,
    log_in: Callable[[Any, str], None],
    make_case: Callable[..., int],
) -> None:
    case_id = make_case()
    context = browser.new_context(
        base_url=live_url,
        locale="da-DK",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    folder = SCREENS / "ansaettelser"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page = context.new_page()
        log_in(page, "kbh")
        page.goto(f"/cases/{case_id}/form")
        add = page.get_by_role("button", name="Tilføj række til Beskæftigelsesperioder")
        for number in (1, 2):
            add.scroll_into_view_if_needed()
            add.click()
            page.wait_for_load_state()
            heading = page.locator(f"#field-ansaettelser-{number - 1}-row")
            assert heading.inner_text().startswith(f"Række {number}")
            # the new row is in view and its first input has the focus
            assert heading.evaluate(
                "el => { const r = el.getBoundingClientRect();"
                " return r.top >= 0 && r.bottom <= window.innerHeight; }"
            ), f"row {number} is not in view"
            focused = page.evaluate("() => document.activeElement.id")
            assert focused.startswith(f"field-ansaettelser-{number - 1}-"), focused
            assert page.evaluate("() => window.scrollY") > 1000
        # every field of a period is readable without scrolling sideways, at both widths
        row = page.locator("li.repeat-row").last
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for label in ("Stilling", "Jobtype", "Timer", "Ansættelsestype"):
                field = row.get_by_label(label, exact=False).first
                box = field.bounding_box()
                assert box is not None and box["x"] >= 0
                assert box["x"] + box["width"] <= width, (label, width, box)
            assert horizontal_overflow(page) == 0, widest_elements(page)
            row.screenshot(
                path=str(folder / f"periode-{'js' if javascript else 'nojs'}-{width}.png")
            )
    finally:
        context.close()


# --- answers as typed ----------------------------------------------------------------------


def test_impossible_date_is_kept_and_explained_and_the_form_helps_while_typing(
    as_role: Callable[[str], Any], make_case: Callable[..., int]
) -> None:
    case_id = make_case()
    page = as_role("kbh")
    page.goto(f"/cases/{case_id}/form")
    field = page.locator("#field-seneste_job_fra")
    field.fill("31.02.2019")
    field.dispatch_event("change")

    # a minimum length is shown before submit, with a counter that follows the typing
    box = page.locator("#field-faglig_forklaring")
    counter = page.locator("#faglig_forklaring-counter")
    assert counter.inner_text() == "Mindst 200 tegn. Du har skrevet 0."
    assert "faglig_forklaring-counter" in (box.get_attribute("aria-describedby") or "")
    box.fill("Borgeren kan ikke løfte.")
    assert counter.inner_text() == "Mindst 200 tegn. Du har skrevet 24."

    # leaving with unsaved changes asks first
    dialogs: list[str] = []

    def answer_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer_dialog)
    try:
        page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Sager").click()
        page.wait_for_timeout(500)
    except Exception:  # the navigation was cancelled by staying
        pass
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/cases/{case_id}/form")
    page.remove_listener("dialog", answer_dialog)

    page.get_by_role("button", name="Indsend til Seniorpension").click()
    page.wait_for_load_state()
    # kept as typed, and said why in Danish, in the summary and at the field
    assert page.locator("#field-seneste_job_fra").input_value() == "31.02.2019"
    message = "»Seneste job fra«: 31.02.2019 er ikke en gyldig dato, den dag findes ikke."
    summary = page.locator("#error-summary")
    assert message in summary.inner_text()
    assert message in page.locator("#seneste_job_fra-container .form-error-message").inner_text()
    summary.get_by_role("link", name=re.compile("31.02.2019")).click()
    assert page.evaluate("() => document.activeElement.id") == "field-seneste_job_fra"
    folder = SCREENS / "kommune"
    folder.mkdir(parents=True, exist_ok=True)
    page.locator("#seneste_job_fra-container").screenshot(path=str(folder / "ugyldig-dato.png"))


# --- the editor's condition builder --------------------------------------------------------


def test_condition_builder_writes_and_reads_back_an_expression(
    as_role: Callable[[str], Any], live_app: Any
) -> None:
    page = as_role("editor")
    page.goto("/editor/")
    start = page.locator("form.start-draft").first
    # the version new cases get is the default to start from, and marked in the table
    current = live_app.extensions["forms_service.registry"].latest(FORM).version
    assert start.get_by_label("Ud fra version").input_value() == current
    assert "Gældende" in page.locator("tr.current-version").inner_text()
    start.get_by_role("button", name="Start kladde").click()
    page.wait_for_url(re.compile(r"/editor/drafts/\d+$"))

    block = page.locator('.field-block[data-field-id="partshoering_dato"]')
    cel = block.locator("input.expression[id$='-visible_if']")
    assert cel.input_value() == "borger_partshoert == true"
    block.get_by_role("button", name="Byg betingelsen").click()
    panel = block.locator(".condition-panel")
    # read back: one condition, field, comparison and value
    rows = panel.locator("li.condition-row")
    assert rows.count() == 1
    assert rows.nth(0).locator(".condition-field").input_value() == "borger_partshoert"
    assert rows.nth(0).locator(".condition-op").input_value() == "=="
    assert rows.nth(0).locator(".condition-value").input_value() == "true"
    assert panel.locator(".condition-cel").inner_text() == "borger_partshoert == true"

    # written: "or" a number compared, which the builder guards against an empty answer
    panel.get_by_label("Vis feltet, når").select_option("any")
    panel.get_by_role("button", name="Tilføj betingelse").click()
    panel.get_by_label("Felt, betingelse 2").select_option("atp_aar")
    panel.get_by_label("Sammenligning, betingelse 2").select_option(">=")
    panel.get_by_label("Værdi, betingelse 2").fill("20")
    expected = "borger_partshoert == true || (atp_aar != null && atp_aar >= 20)"
    assert panel.locator(".condition-cel").inner_text() == expected
    folder = SCREENS / "redaktoer"
    folder.mkdir(parents=True, exist_ok=True)
    block.screenshot(path=str(folder / "betingelse-1280.png"))
    problems = axe_blocking(page, folder / "axe-kladde-med-betingelse.json")
    assert problems == [], problems
    panel.get_by_role("button", name="Brug betingelsen").click()
    assert cel.input_value() == expected

    # saved, and read back into the builder after the reload
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_load_state()
    block = page.locator('.field-block[data-field-id="partshoering_dato"]')
    assert block.locator("input.expression[id$='-visible_if']").input_value() == expected
    assert block.locator(".form-error-message").count() == 0
    block.get_by_role("button", name="Byg betingelsen").click()
    panel = block.locator(".condition-panel")
    assert panel.get_by_label("Vis feltet, når").input_value() == "any"
    assert panel.locator("li.condition-row").count() == 2
    assert panel.get_by_label("Værdi, betingelse 2").input_value() == "20"

    # an expression beyond the simple shapes stays CEL, and the builder says so
    other = page.locator('.field-block[data-field-id="selvstaendig_dokumentation"]')
    other.get_by_role("button", name="Byg betingelsen").click()
    assert "for sammensat" in other.locator(".condition-note").inner_text()
    assert (
        other.locator("input.expression[id$='-visible_if']")
        .input_value()
        .startswith("ansaettelser != null && size(")
    )

    # removing a field asks first
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    block.get_by_role("button", name=re.compile("^Fjern feltet")).click()
    assert dialogs and dialogs[0].startswith("Fjern feltet »")
    assert page.locator('.field-block[data-field-id="partshoering_dato"]').count() == 1


# --- the pages beyond the main ones --------------------------------------------------------


@pytest.fixture(scope="module")
def ended_pilot(live_app: Any, extra_users: None) -> int:
    """A pilot of København that has ended (so its owner may end it on the page), created by
    the editor; it ended well before the applications the other tests make."""
    registry = live_app.extensions["forms_service.registry"]
    candidate = [v for v in registry.versions(FORM) if is_prerelease(v)][-1]
    today = dt.date.today()
    session = live_app.extensions["forms_service.sessions"]()
    try:
        editor = session.query(User).filter_by(username="editor").one()
        pilot = create_pilot(
            session,
            actor_of(editor),
            PilotInput(
                name="Usability-pilot",
                form=FORM,
                candidate_version=candidate,
                comparison_version=registry.latest(FORM).version,
                pilot_codes=(101,),
                comparison_codes=(147,),
                start_date=today - dt.timedelta(days=300),
                end_date=today - dt.timedelta(days=90),
                description="Afsluttet pilot til gennemgangen af siderne.",
            ),
            registry,
        )
        return pilot.id
    finally:
        session.close()


def test_every_other_page_fits_375_px_and_has_no_axe_violations(
    as_role: Callable[[str], Any], live_app: Any, ended_pilot: int
) -> None:
    current = live_app.extensions["forms_service.registry"].latest(FORM).version
    problems: list[str] = []

    # the editor: a draft of the current version, with a preview link for København
    editor = as_role("editor")
    editor.goto("/editor/")
    editor.locator("form.start-draft").first.get_by_role("button", name="Start kladde").click()
    editor.wait_for_url(re.compile(r"/editor/drafts/\d+$"))
    draft = editor.url.rsplit("/", 1)[1]
    editor.locator("#pilot-101").check()
    editor.get_by_role("button", name="Opret link").click()
    editor.wait_for_load_state()
    token = re.search(r"/pilot-preview/([^\s<\"]+)", editor.content())
    assert token is not None, "no preview link"
    problems += walk(
        editor,
        "redaktoer",
        {
            "kladde": f"/editor/drafts/{draft}",
            "kladde-forhaandsvisning": f"/editor/drafts/{draft}/preview",
            "kladde-testsvar": f"/editor/drafts/{draft}/test-answers",
            "kladde-udgiv": f"/editor/drafts/{draft}/publish",
            "version": f"/editor/forms/{FORM}/{current}",
            "aendringslog": f"/editor/forms/{FORM}/changelog",
            "importer": "/editor/import",
            "ny-pilot": "/pilots/ny",
            "pilot": f"/pilots/{ended_pilot}",
            "pilot-afslut": f"/pilots/{ended_pilot}/afslut",
            "pjece": "/pjece/",
            "dokumenter": "/documents/",
        },
    )
    problems += walk(
        as_role("kbh"),
        "kommune",
        {
            "dokumenter": "/documents/",
            "notifikationer": "/notifications/preferences",
            "mine-piloter": "/pilots/mine",
            "pilot-tilbagemelding": f"/pilots/{ended_pilot}/tilbagemelding",
            "pilot-forhaandsvisning": f"/pilot-preview/{token.group(1)}",
        },
    )
    problems += walk(
        as_role("sp"),
        "seniorpension",
        {"status": "/status/", "pilot": f"/pilots/{ended_pilot}", "dokumenter": "/documents/"},
    )
    problems += walk(
        as_role("analytiker15"),
        "analytiker",
        {"pilot": f"/pilots/{ended_pilot}", "dokumenter": "/documents/"},
    )
    problems += walk(
        as_role("admin15"),
        "administrator",
        {
            "postkasser": "/admin/notifications/mailboxes",
            "webhooks": "/admin/notifications/webhooks",
            "leveringer": "/admin/notifications/deliveries",
            "pilot-afslut": f"/pilots/{ended_pilot}/afslut",
            "pjece": "/pjece/",
        },
    )
    oldest = brochure_versions()[0]
    problems += walk(
        as_role("kommunikation15"),
        "kommunikation",
        {
            "pjece-aeldste": f"/pjece/{oldest}/",
            "dokumenter": "/documents/",
            "notifikationer": "/notifications/preferences",
        },
    )
    assert problems == [], "\n".join(problems)


def test_bulk_job_page_and_error_pages_fit_375_px_and_have_no_axe_violations(
    as_role: Callable[[str], Any],
) -> None:
    """The pages the two walks above cannot reach by a plain link: a bulk job started from the
    documents page, and the error pages (404, 403) a user meets."""
    sp = as_role("sp")
    sp.goto("/documents/")
    sp.locator("#municipality_code").select_option("101")
    sp.locator("#bulk-form").get_by_role("button", name="Lav dokumenterne").click()
    sp.wait_for_url(re.compile(r"/documents/jobs/[0-9a-f]+$"))
    problems = walk(sp, "seniorpension", {"dokumentjob": sp.url})

    folder = SCREENS / "fejlsider"
    folder.mkdir(parents=True, exist_ok=True)
    errors = {"ikke-fundet": ("/cases/999999", 404), "ingen-adgang": ("/admin/users", 403)}
    for width in WIDTHS:
        sp.set_viewport_size({"width": width, "height": 900})
        for name, (url, status) in errors.items():
            response = sp.goto(url)
            assert response is not None and response.status == status, url
            sp.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            overflow = horizontal_overflow(sp)
            if overflow > 0:
                problems.append(f"{name} at {width}px: {overflow}px too wide")
            for line in axe_blocking(sp, folder / f"axe-{name}-{width}.json"):
                problems.append(f"{name} at {width}px: {line}")
    assert problems == [], "\n".join(problems)


def test_bulk_job_page_follows_the_job_in_place_without_a_timed_refresh(
    as_role: Callable[[str], Any],
    make_case: Callable[..., int],
    submit_answers: Callable[[int, dict[str, Any]], None],
) -> None:
    """A timed refresh (meta refresh) fails WCAG 2.2.1; the page polls the job's status and puts
    the finished content in place, on the same document (no navigation)."""
    submitted = make_case()
    submit_answers(submitted, json.loads((ANSWERS / "v1_complete.json").read_text("utf-8")))
    sp = as_role("sp")
    sp.goto("/documents/")
    sp.locator("#municipality_code").select_option("101")
    sp.locator("#bulk-form").get_by_role("button", name="Lav dokumenterne").click()
    sp.wait_for_url(re.compile(r"/documents/jobs/[0-9a-f]+$"))
    assert sp.locator('meta[http-equiv="refresh"]').count() == 0
    sp.evaluate("window.__samePage = true")
    sp.locator("#job-download").wait_for(timeout=120_000)
    assert sp.evaluate("window.__samePage === true"), "the page navigated instead of updating"
    assert sp.locator("#job-state .tag").inner_text() == "Færdig"
    assert sp.locator("#job-refresh").count() == 0
