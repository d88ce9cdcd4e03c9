"""The database's published versions as a store of the definition registry.

Versions published in the editor (or imported) live in ``definition_versions``; the registry
reads them through ``published_store`` beside its files, so the app, the CLI and the workers
see the same versions (``forms_service.definitions.registry.Registry.attach``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.in_force import all_stored_schedules
from forms_service.definitions.in_force import Schedule
from forms_service.definitions.loader import DefinitionError, load_definition_data
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import UnknownFormError
from forms_service.editor.models import PublishedVersion

log = logging.getLogger(__name__)


class EditableRegistry(Protocol):
    """What the editor needs of ``forms_service.definitions.registry.Registry``."""

    def forms(self) -> dict[str, list[str]]: ...

    def versions(self, form: str) -> list[str]: ...

    def get(self, form: str, version: str) -> FormDefinition: ...

    def add(self, definition: FormDefinition) -> None: ...

    def schedules(self, form: str) -> dict[str, Schedule]: ...


def load_published(session: Session, registry: EditableRegistry) -> int:
    """Add the versions stored in the database to ``registry``; returns how many were added.

    Reads form, version and hash of every row, and the content only of those the registry
    does not hold yet, so reading again is cheap.
    """
    added = 0
    rows = session.execute(
        select(PublishedVersion.id, PublishedVersion.form, PublishedVersion.version)
        .add_columns(PublishedVersion.content_hash)
        .order_by(PublishedVersion.id)
    )
    for row_id, form, version, stored_hash in rows.all():
        ref = f"{form}@{version}"
        try:
            known = registry.get(form, version).content_hash
        except UnknownFormError:
            known = None
        if known == stored_hash:
            continue
        if known is not None:
            log.error("Published version %s differs from the file of the same number", ref)
            continue
        content = session.scalar(
            select(PublishedVersion.content).where(PublishedVersion.id == row_id)
        )
        try:
            definition = load_definition_data(content, f"{form}/{version}.json (database)")
        except DefinitionError as error:  # a version that no longer loads (a newer checker)
            log.error("Published version %s does not load: %s", ref, error)
            continue
        if definition.content_hash != stored_hash:
            log.error("Published version %s does not match its stored hash", ref)
            continue
        try:
            registry.add(definition)
            added += 1
        except ValueError as error:
            log.error("Published version %s conflicts: %s", ref, error)
    return added


def published_store(sessions: Callable[[], Session]) -> Callable[[EditableRegistry], int]:
    """A registry store reading the published versions with a fresh session each time."""

    def refresh(registry: EditableRegistry) -> int:
        with sessions() as session:
            added = load_published(session, registry)
            # their effective dates too, so 'definitions list' and the pages show them
            set_schedules = getattr(registry, "set_stored_schedules", None)
            if set_schedules is not None:
                set_schedules(all_stored_schedules(session))
            return added

    return refresh
