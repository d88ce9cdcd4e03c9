"""Fixtures for the case service tests: a registry of small test definitions and services."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def case_registry() -> Registry:
    return Registry(FIXTURES / "definitions")


@pytest.fixture
def service_for(
    db_session: Session, users: dict[str, User], case_registry: Registry
) -> Callable[[str], CaseService]:
    """``service_for("kbh")``: a CaseService acting as that test user, on a fixed date."""

    def make(username: str) -> CaseService:
        user = db_session.get(User, users[username].id)
        assert user is not None
        return CaseService(db_session, actor_of(user), registry=case_registry, today=lambda: TODAY)

    return make


@pytest.fixture
def new_case() -> dict[str, object]:
    return json.loads((FIXTURES / "new_case.json").read_text("utf-8"), object_hook=_dates)


def _dates(obj: dict[str, object]) -> dict[str, object]:
    for key, value in obj.items():
        if key.endswith("_date") and isinstance(value, str):
            obj[key] = dt.date.fromisoformat(value)
    return obj
