"""Pilot pages through Flask's test client: roles on every route, creating, the comparison
page and its Word report holding the same figures, and caseworkers' feedback."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import Engine, select

from forms_service.pilots.models import Pilot, PilotFeedback
from forms_service.reporting.bulk import SimCase, bulk_insert

HISTORY = Path(__file__).resolve().parents[1] / "pilots" / "fixtures" / "measures_small.json"
PILOT_FORM = {
    "name": "Forum-pilot",
    "candidate_version": "2.0.0-pilot.1",
    "comparison_version": "1.0.0",
    "pilot_municipalities": ["101"],
    "comparison_scope": "named",
    "comparison_municipalities": ["147"],
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "description": "Ny opdeling efter de fire kriterier.",
}


@pytest.fixture
def history(db_engine: Engine) -> None:
    data = json.loads(HISTORY.read_text("utf-8"))
    with db_engine.begin() as connection:
        bulk_insert(connection, [SimCase.from_dict(c) for c in data["cases"]])


@pytest.fixture
def pilot_id(client: Any, login: Any, db_engine: Engine) -> int:
    login(client, "editor")
    response = client.post("/pilots/ny", data=PILOT_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/logout")
    with db_engine.connect() as connection:
        return int(connection.scalar(select(Pilot.id).where(Pilot.name == "Forum-pilot")))


def test_roles_on_every_pilot_route(client: Any, login: Any, pilot_id: int) -> None:
    routes = {
        "index": ("GET", "/pilots/"),
        "new": ("GET", "/pilots/ny"),
        "show": ("GET", f"/pilots/{pilot_id}?as_of=2026-08-31"),
        "report": ("GET", f"/pilots/{pilot_id}/rapport.docx?as_of=2026-08-31"),
        "feedback": ("GET", f"/pilots/{pilot_id}/tilbagemelding"),
        "mine": ("GET", "/pilots/mine"),
    }
    allowed = {
        "editor": {"index", "new", "show", "report"},
        "analyst": {"index", "show", "report"},
        "sp": {"index", "show", "report"},
        "admin": {"index", "show", "report"},
        "kbh": {"feedback", "mine"},  # København is a pilot municipality
        "ringsted": {"mine"},  # not in this pilot: the feedback page does not exist for them
    }
    for route, (method, url) in routes.items():
        assert client.open(url, method=method).status_code == 302, route  # to the login page
    for user, ok in allowed.items():
        login(client, user)
        for route, (method, url) in routes.items():
            status = client.open(url, method=method).status_code
            if route in ok:
                assert status == 200, (user, route, status)
            else:
                assert status in (403, 404), (user, route, status)
        client.post("/logout")


def test_invalid_pilot_is_refused_on_the_page(client: Any, login: Any) -> None:
    login(client, "editor")
    response = client.post("/pilots/ny", data=PILOT_FORM | {"end_date": "2025-01-01"})
    assert response.status_code == 200
    assert "Slutdatoen ligger før startdatoen." in response.get_data(as_text=True)


def _page_figures(html: str) -> dict[str, list[str]]:
    rows = re.findall(r'<tr data-measure="([a-z_]+)">(.*?)</tr>', html, re.S)
    return {key: re.findall(r"<td>(.*?)</td>", body) for key, body in rows}


def test_pilot_page_and_word_report_show_the_same_figures(
    client: Any, login: Any, pilot_id: int, history: None
) -> None:
    login(client, "analyst")
    html = client.get(f"/pilots/{pilot_id}?as_of=2026-08-31").get_data(as_text=True)
    figures = _page_figures(html)
    assert figures["sufficient"][:2] == ["50,0 %", "66,7 %"]
    assert figures["sufficient"][2] == "−16,7 procentpoint"
    assert "4 sager med pilotversionen og 4 sager med sammenligningsversionen" in html
    assert html.count("data:image/png;base64,") == 2
    assert "Forskellen er endnu ikke tydelig" in html and "Få sager" in html

    response = client.get(f"/pilots/{pilot_id}/rapport.docx?as_of=2026-08-31")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    # on paper a no-break space keeps "50,0 %" together; the page has a plain space
    text = "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")
    assert len(document.inline_shapes) == 2
    for key, cells in figures.items():
        candidate, comparison, difference, ci, p_value, counts = cells
        n_candidate, n_comparison = counts.split(" / ")
        assert f"Pilotversion: {candidate} (n = {n_candidate})" in text, key
        assert f"Sammenligning: {comparison} (n = {n_comparison})" in text, key
        assert f"Forskel: {difference}, 95 %-konfidensinterval {ci}" in text, key
        p_text = f"p {p_value}" if p_value.startswith("<") else f"p = {p_value}"
        assert p_text in text, key
    tables = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Pilot (2.0.0-pilot.1)", "4", "2", "1", "2", "1"] in tables


def test_feedback_from_a_pilot_caseworker_reaches_the_editors(
    client: Any, login: Any, pilot_id: int, db_engine: Engine
) -> None:
    login(client, "kbh")
    page = client.get(f"/pilots/{pilot_id}/tilbagemelding").get_data(as_text=True)
    assert "field:kendt_i_kommunen" in page
    response = client.post(
        f"/pilots/{pilot_id}/tilbagemelding",
        data={"target": "field:kendt_i_kommunen", "kind": "uklar", "text": "Hvornår er man kendt?"},
    )
    assert response.status_code == 302
    refused = client.post(
        f"/pilots/{pilot_id}/tilbagemelding",
        data={"target": "field:findes_ikke", "kind": "uklar", "text": "x"},
    )
    assert refused.status_code == 200
    client.post("/logout")
    with db_engine.connect() as connection:
        rows = connection.execute(select(PilotFeedback.field_id, PilotFeedback.section_id)).all()
    assert rows == [("kendt_i_kommunen", "borgeren")]

    login(client, "editor")
    html = client.get(f"/pilots/{pilot_id}").get_data(as_text=True)
    # the section's title and the field's label, not their ids
    assert "Hvornår er man kendt?" in html
    assert "Borgeren / Er borgeren kendt i kommunen?" in html
