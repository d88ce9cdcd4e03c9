"""Editor fixtures: a service on the migrated test database with its own registry."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.editor.service import EditorService


@pytest.fixture
def registry() -> Registry:
    # never the process-wide registry: a version published in one test must not leak out
    return Registry(definitions_root())


@pytest.fixture
def editor_service(
    db_session: Session, users: dict[str, User], registry: Registry
) -> Callable[..., EditorService]:
    def make(username: str = "editor", reg: Registry | None = None) -> EditorService:
        user = db_session.get(User, users[username].id)
        assert user is not None
        return EditorService(db_session, actor_of(user), reg or registry)

    return make
