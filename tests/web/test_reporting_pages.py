"""The status dashboard through Flask's test client: roles, filters, CSV of every table, the
quarterly Word report holding the page's figures, and no CPR number anywhere."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import Engine

from forms_service.reporting.bulk import SimCase, bulk_insert

HISTORY = Path(__file__).resolve().parents[1] / "pilots" / "fixtures" / "measures_small.json"
Q1 = "start=2026-01-01&slut=2026-03-31&opgjort=2026-03-31"
TABLES = ("uger", "regioner", "kommuner", "moenstre", "kriterier", "afgoerelser", "versioner")


@pytest.fixture
def history(db_engine: Engine) -> list[SimCase]:
    data = json.loads(HISTORY.read_text("utf-8"))
    cases = [SimCase.from_dict(c) for c in data["cases"]]
    with db_engine.begin() as connection:
        bulk_insert(connection, cases)
    return cases


def test_dashboard_roles(client: Any, login: Any) -> None:
    urls = [
        "/status/",
        "/status/kommuner.csv",
        "/status/kvartalsrapport.docx?aar=2026&kvartal=1",
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    for user, allowed in {
        "analyst": True,
        "sp": True,
        "editor": True,
        "kbh": False,
        "admin": False,
    }.items():
        login(client, user)
        for url in urls:
            status = client.get(url).status_code
            assert status == (200 if allowed else 403), (user, url, status)
        client.post("/logout")


def _summary(html: str) -> dict[str, str]:
    table = re.search(r'<table class="table table--compact" id="summary">(.*?)</table>', html, re.S)
    assert table is not None
    return dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table.group(1)))


def test_dashboard_filters_csv_and_no_cpr(client: Any, login: Any, history: list[SimCase]) -> None:
    login(client, "analyst")
    html = client.get(f"/status/?{Q1}").get_data(as_text=True)
    summary = _summary(html)
    assert summary["Ansøgninger i perioden"] == "9"
    assert html.count("data:image/png;base64,") == 3
    for table_id in TABLES:
        assert f'data-table="{table_id}"' in html, table_id

    region = _summary(client.get(f"/status/?{Q1}&region=1085").get_data(as_text=True))
    assert region["Ansøgninger i perioden"] == "1"
    version = _summary(client.get(f"/status/?{Q1}&version=1.0.0").get_data(as_text=True))
    assert version["Ansøgninger i perioden"] == "5"
    assert client.get(f"/status/?{Q1}&kommune=999").status_code == 400

    texts = [html]
    for table_id in TABLES:
        response = client.get(f"/status/{table_id}.csv?{Q1}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        text = response.data.decode("utf-8-sig")
        texts.append(text)
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0], table_id
    municipalities = list(csv.reader(io.StringIO(texts[3]), delimiter=";"))
    assert municipalities[1][:3] == ["København", "Region Hovedstaden", "4"]
    assert client.get(f"/status/findes_ikke.csv?{Q1}").status_code == 404

    everything = "\n".join(texts)
    for case in history:
        assert case.cpr not in everything
        assert f"{case.cpr[:6]}-{case.cpr[6:]}" not in everything


def test_quarterly_report_holds_the_dashboard_figures(
    client: Any, login: Any, history: list[SimCase]
) -> None:
    login(client, "sp")
    summary = _summary(client.get(f"/status/?{Q1}").get_data(as_text=True))
    response = client.get("/status/kvartalsrapport.docx?aar=2026&kvartal=1")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    assert document.paragraphs[0].text.startswith("Status for seniorpension, 1. kvartal 2026")
    # on paper a no-break space keeps "100,0 %" together; the page has a plain space
    overview = {
        row.cells[0].text: row.cells[1].text.replace("\xa0", " ")
        for row in document.tables[0].rows[1:]
    }
    # The report is counted on the quarter's last day, as the dashboard with opgjort=31-03-2026.
    assert overview == summary
    assert len(document.inline_shapes) == 3
    all_cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "København" in all_cells
    assert client.get("/status/kvartalsrapport.docx?aar=2026&kvartal=7").status_code == 400


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table [^>]*data-table="{table_id}">(.*?)</table>', html, re.S)
    assert table is not None, table_id
    body = table.group(1).split("<tbody>")[1]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_dashboard_names_criteria_and_writes_weeks_dates_and_days_in_danish(
    client: Any, login: Any, history: list[SimCase]
) -> None:
    login(client, "analyst")
    html = client.get(f"/status/?{Q1}").get_data(as_text=True)
    weeks = _table_rows(html, "uger")
    assert weeks, "no weeks"
    for label, monday, days, _received in weeks:
        assert re.fullmatch(r"uge \d{1,2} 20\d\d( \(delvis uge\))?", label), label
        assert re.fullmatch(r"\d\d\.\d\d\.20\d\d", monday), monday
        # a week the quarter covers only partly says so, and how many of its days count
        assert ("delvis uge" in label) == (days != "7"), (label, days)
    # 1 January 2026 is a Thursday: the quarter's first week counts 4 days, its last (Monday
    # 30 March) 2
    everything = {w[1]: (w[0], w[2]) for w in weeks}
    if "29.12.2025" in everything:
        assert everything["29.12.2025"] == ("uge 1 2026 (delvis uge)", "4")
    if "30.03.2026" in everything:
        assert everything["30.03.2026"] == ("uge 14 2026 (delvis uge)", "2")
    assert not re.search(r"20\d\d-U\d", html)
    criteria = [row[0] for row in _table_rows(html, "kriterier")]
    assert criteria, "no criteria"
    assert not [c for c in criteria if c.startswith("kriterie_")], criteria
    assert _summary(html)["Tid til afgørelse (median)"].endswith((" dage", " dag", "–"))
    # the CSV keeps the ids, which stay comparable across form versions
    csv_text = client.get(f"/status/kriterier.csv?{Q1}").data.decode("utf-8-sig")
    assert "kriterie_" in csv_text
