"""The JSON API of pilots and status: roles, the same figures as the pages, no CPR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from forms_service.reporting.bulk import SimCase, bulk_insert

HISTORY = Path(__file__).resolve().parents[1] / "pilots" / "fixtures" / "measures_small.json"
Q = "start=2026-01-01&end=2026-12-31&as_of=2026-08-31"


@pytest.fixture
def history(db_engine: Engine) -> list[SimCase]:
    data = json.loads(HISTORY.read_text("utf-8"))
    cases = [SimCase.from_dict(c) for c in data["cases"]]
    with db_engine.begin() as connection:
        bulk_insert(connection, cases)
    return cases


def test_status_api(client: Any, login: Any, history: list[SimCase]) -> None:
    assert client.get(f"/api/v1/status/?{Q}").status_code == 401
    login(client, "kbh")
    assert client.get(f"/api/v1/status/?{Q}").status_code == 403
    client.post("/logout")
    login(client, "analyst")
    response = client.get(f"/api/v1/status/?{Q}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["summary"]["received"] == 9
    tables = {t["id"]: t for t in body["tables"]}
    assert {r["version"]: r["received"] for r in tables["versioner"]["rows"]} == {
        "1.0.0": 5,
        "2.0.0-pilot.1": 4,
    }
    assert all(c.cpr not in response.get_data(as_text=True) for c in history)
    assert client.get(f"/api/v1/status/?{Q}&municipality=999").status_code == 422
    assert client.get(f"/api/v1/status/?{Q}&region=1085").get_json()["summary"]["received"] == 1


def test_pilots_api(client: Any, login: Any, history: list[SimCase]) -> None:
    login(client, "editor")
    created = client.post(
        "/pilots/ny",
        data={
            "name": "API-pilot",
            "candidate_version": "2.0.0-pilot.1",
            "comparison_version": "1.0.0",
            "pilot_municipalities": ["101"],
            "comparison_scope": "named",
            "comparison_municipalities": ["147"],
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )
    assert created.status_code == 302
    pilots = client.get("/api/v1/pilots/").get_json()
    assert [p["name"] for p in pilots] == ["API-pilot"]
    assert pilots[0]["pilot_municipalities"] == [101]
    pilot_id = pilots[0]["id"]
    body = client.get(f"/api/v1/pilots/{pilot_id}/comparison?as_of=2026-08-31").get_json()
    rows = {r["key"]: r for r in body["rows"]}
    assert rows["sufficient"]["candidate"] == pytest.approx(0.5)
    assert rows["sufficient"]["n_comparison"] == 3 and rows["sufficient"]["small"] is True
    assert client.get("/api/v1/pilots/999").status_code == 404
    client.post("/logout")
    login(client, "kbh")
    assert client.get("/api/v1/pilots/").status_code == 403
