"""The forum's dashboard and a pilot page in a real browser (Chromium via Playwright).

An analyst opens the status dashboard, filters it, and opens the pilot page; the page's
figures are checked and screenshots (and axe-core reports) go to
test-artifacts/browser/<test>/. The data: the hand-made history of the pilot tests, moved to
Aarhus (751) and Frederiksberg (147) so the other browser tests' København cases are untouched.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from forms_service.cases.models import User
from forms_service.cases.roles import Role
from forms_service.cases.users import actor_of, create_user, hash_password
from forms_service.pilots.service import PilotInput, create_pilot
from forms_service.reporting.bulk import SimCase, bulk_insert

pytestmark = pytest.mark.browser

HISTORY = Path(__file__).resolve().parents[1] / "pilots" / "fixtures" / "measures_small.json"
PASSWORD = "dashboard-browser-adgang"
MOVE = {101: 751, 329: 851}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def pilot_id(live_app: Any) -> int:
    data = json.loads(HISTORY.read_text("utf-8"))
    cases = []
    for raw in data["cases"]:
        case = SimCase.from_dict(raw)
        case.municipality_code = MOVE.get(case.municipality_code, case.municipality_code)
        case.case_number = f"BROWSER-{case.case_number}"
        cases.append(case)
    engine = live_app.extensions["forms_service.engine"]
    with engine.begin() as connection:
        bulk_insert(connection, cases)
    session = live_app.extensions["forms_service.sessions"]()
    try:
        for name, role in (("analytiker", Role.ANALYST), ("redaktoer", Role.FORM_EDITOR)):
            create_user(session, name, role=role, password_hash=hash_password(PASSWORD))
        session.commit()
        editor = session.query(User).filter_by(username="redaktoer").one()
        pilot = create_pilot(
            session,
            actor_of(editor),
            PilotInput(
                name="Browser-pilot",
                form="sagsoplysningsskema",
                candidate_version="2.0.0-pilot.1",
                comparison_version="1.0.0",
                pilot_codes=(751,),
                comparison_codes=(147,),
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2026, 12, 31),
            ),
            live_app.extensions["forms_service.registry"],
        )
        return pilot.id
    finally:
        session.close()


def _log_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert "/login" not in page.url


def _axe(page: Any, artifacts: Path, name: str) -> list[dict[str, Any]]:
    report = Axe().run(page).response
    (artifacts / f"axe-{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return [v for v in report["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def test_dashboard_and_pilot_page(page: Any, pilot_id: int, artifacts: Path) -> None:
    _log_in(page, "analytiker")
    page.goto("/status/?start=2026-01-01&slut=2026-12-31&opgjort=2026-08-31&region=1082")
    summary = page.locator("#summary")
    assert (
        summary.locator("tr", has_text="Ansøgninger i perioden").locator("td").inner_text() == "4"
    )
    assert page.locator("img.report-chart").count() == 3
    for image in page.locator("img.report-chart").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator('table[data-table="kommuner"] th', has_text="Aarhus").count() == 1
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    blocking = _axe(page, artifacts, "dashboard")
    assert not blocking, [v["id"] for v in blocking]

    # Midtjylland holds only Aarhus's cases here; now Frederiksberg through the filter form
    page.get_by_label("Region", exact=True).select_option("")
    page.get_by_label("Kommune", exact=True).select_option("147")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state()
    assert "kommune=147" in page.url
    assert (
        summary.locator("tr", has_text="Ansøgninger i perioden").locator("td").inner_text() == "4"
    )
    page.screenshot(path=str(artifacts / "dashboard-frederiksberg.png"), full_page=True)

    page.goto(f"/pilots/{pilot_id}?as_of=2026-08-31")
    row = page.locator('tr[data-measure="sufficient"] td')
    assert row.nth(0).inner_text() == "50,0 %" and row.nth(1).inner_text() == "66,7 %"
    assert page.get_by_text("Forskellen er endnu ikke tydelig").count() >= 1
    assert page.locator("img.report-chart").count() == 2
    page.screenshot(path=str(artifacts / "pilot.png"), full_page=True)
    blocking = _axe(page, artifacts, "pilot")
    assert not blocking, [v["id"] for v in blocking]

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent pilotrapport (Word)").click()
    target = artifacts / "pilotrapport.docx"
    download.value.save_as(str(target))
    import docx

    # on paper a no-break space keeps "50,0 %" together; the page has a plain space
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs).replace("\xa0", " ")
    assert "Pilotversion: 50,0 % (n = 2)" in text
