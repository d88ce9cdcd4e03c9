"""Fixtures for reporting tests: the small hand-made history shared with the pilot tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from forms_service.reporting.bulk import SimCase, bulk_insert

HERE = Path(__file__).parent
HISTORY = HERE.parent / "pilots" / "fixtures" / "measures_small.json"


@pytest.fixture
def expected_status() -> dict[str, Any]:
    return json.loads((HERE / "fixtures" / "status_expected.json").read_text("utf-8"))


@pytest.fixture
def small_history(db_engine: Engine) -> list[SimCase]:
    data = json.loads(HISTORY.read_text("utf-8"))
    cases = [SimCase.from_dict(c) for c in data["cases"]]
    with db_engine.begin() as connection:
        bulk_insert(connection, cases)
    return cases
