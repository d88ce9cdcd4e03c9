"""What a case lost when it moved to another form version (e.g. when a pilot ended).

A case's answers are stored with the version they were given under; when the case's pinned
version (``cases.form_version``) is newer than its latest answers, the answers are carried
over by ``forms_service.answers.migration.migrate_answers`` and what could not be carried is
listed for the caseworker.
"""

from __future__ import annotations

from typing import Any, Protocol

from forms_service.answers.migration import MigrationResult, migrate_answers
from forms_service.definitions.model import FormDefinition


class _CaseReader(Protocol):
    def latest_answers(self, case_id: int) -> Any: ...

    def definition_for(self, case: Any) -> FormDefinition: ...


def answer_migration(service: _CaseReader, case: Any, registry: Any) -> MigrationResult | None:
    """The answer migration of the case's latest answers to its current version, if they
    differ (after a version move: the one recorded then)."""
    latest = service.latest_answers(case.id)
    if latest is None:
        return None
    if latest.version == case.form_version:
        # moved by Seniorpension or a pilot's end: the list recorded then, until the next save
        from forms_service.cases.version_move import recorded_answer_migration

        return recorded_answer_migration(case, latest)
    try:
        old = registry.get(latest.form, latest.version)
        new = service.definition_for(case)
    except LookupError:
        return None
    return migrate_answers(old, new, dict(latest.answers))
