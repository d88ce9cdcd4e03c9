"""Fixtures for pilot tests: a registry with a current and a pilot version, services, a pilot."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry
from forms_service.pilots.models import Pilot
from forms_service.pilots.service import PilotInput, create_pilot
from forms_service.reporting.bulk import SimCase, bulk_insert

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 6, 30)
FORUM = (101, 329, 766, 561, 810)


@pytest.fixture
def pilot_registry() -> Registry:
    return Registry(FIXTURES / "definitions")


@pytest.fixture
def service_as(
    db_session: Session, users: dict[str, User], pilot_registry: Registry
) -> Callable[[str], CaseService]:
    def make(username: str) -> CaseService:
        user = db_session.get(User, users[username].id)
        assert user is not None
        return CaseService(db_session, actor_of(user), registry=pilot_registry, today=lambda: TODAY)

    return make


@pytest.fixture
def forum_pilot(db_session: Session, users: dict[str, User], pilot_registry: Registry) -> Pilot:
    editor = db_session.get(User, users["editor"].id)
    assert editor is not None
    return create_pilot(
        db_session,
        actor_of(editor),
        PilotInput(
            name="Forum-pilot 2026",
            form="sagsoplysningsskema",
            candidate_version="2.0.0-pilot.1",
            comparison_version="1.0.0",
            pilot_codes=FORUM,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        ),
        pilot_registry,
    )


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text("utf-8"))


@pytest.fixture
def small_history(db_engine: Engine) -> dict[str, Any]:
    """The hand-made data set of measures_small.json, loaded with the bulk loader."""
    data = load_fixture("measures_small.json")
    with db_engine.begin() as connection:
        bulk_insert(connection, [SimCase.from_dict(c) for c in data["cases"]])
    return data
