"""Fixtures for pilot tests: a registry with a current and a pilot version, services, a pilot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry
from forms_service.pilots.models import Pilot
from forms_service.pilots.service import PilotInput, create_pilot

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
