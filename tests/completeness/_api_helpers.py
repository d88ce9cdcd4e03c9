"""Helpers for the API and page tests: clients logged in as a test user, new cases."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

V1_COMPLETE = Path(__file__).parents[2] / "tests" / "fixtures" / "answers" / "v1_complete.json"

_numbers = itertools.count(1)


def v1_complete() -> dict:
    return json.loads(V1_COMPLETE.read_text(encoding="utf-8"))


def client_as(app, login, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, username)
    return client


def new_case(app, login, municipality_code: int = 101) -> dict:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    response = client_as(app, login, "sp").post(
        "/api/v1/cases/",
        json={
            "case_number": f"SP-KOMPL-{next(_numbers):05d}",
            "cpr": "150862-2402",
            "citizen_name": "Karin Holm Madsen",
            "application_date": (today - dt.timedelta(days=40)).isoformat(),
            "municipality_code": municipality_code,
            "request_date": (today - dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201, response.json
    return response.json
