"""Which form version a case is answered with, and the fixed hash of every version used.

The rule choosing a new case's version is installed from above (``set_version_rule``; the
pilots package provides it), so this package does not depend on the pilots built on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.errors import FormVersionConflictError
from forms_service.cases.models import FormVersion
from forms_service.definitions.in_force import Schedule, choose
from forms_service.definitions.model import FormDefinition

DEFAULT_FORM = "sagsoplysningsskema"


class VersionChoice(Protocol):
    @property
    def version(self) -> str: ...

    @property
    def note(self) -> str: ...


class VersionRule(Protocol):
    """``(session, form, current version, municipality code, application date) -> choice``."""

    def __call__(
        self, session: Session, form: str, version: str, municipality_code: int, on: dt.date, /
    ) -> VersionChoice: ...


_version_rule: VersionRule | None = None


def set_version_rule(rule: VersionRule | None) -> None:
    """Install the rule choosing a new case's version (the app factory and the CLI do)."""
    global _version_rule
    _version_rule = rule


class DefinitionSource(Protocol):
    """What the service needs of ``forms_service.definitions.registry.Registry``."""

    def get(self, form: str, version: str) -> FormDefinition: ...

    def latest(self, form: str) -> FormDefinition: ...

    def versions(self, form: str) -> list[str]: ...

    def schedules(self, form: str) -> dict[str, Schedule]: ...


def default_registry() -> DefinitionSource:
    from forms_service.definitions.registry import default_registry

    return default_registry()


# --- form versions --------------------------------------------------------------------------


def register_form_version(session: Session, definition: FormDefinition) -> FormVersion:
    """Record ``definition``'s version and hash the first time it is used; never change it."""
    row = session.scalar(
        select(FormVersion).where(
            FormVersion.form == definition.form, FormVersion.version == definition.version
        )
    )
    if row is None:
        row = FormVersion(
            form=definition.form,
            version=definition.version,
            content_hash=definition.content_hash,
        )
        session.add(row)
        session.flush()
    elif row.content_hash != definition.content_hash:
        raise FormVersionConflictError(
            f"{definition.ref} er allerede registreret med et andet indhold "
            f"(hash {row.content_hash[:12]}…, nu {definition.content_hash[:12]}…). En udgivet "
            "version må ikke ændres; udgiv en ny version."
        )
    return row


def assign_form_version(
    session: Session,
    municipality_code: int,
    application_date: dt.date,
    *,
    registry: DefinitionSource | None = None,
    today: dt.date | None = None,
) -> tuple[str, str, str | None]:
    """The form and version a new case must be answered with, and a note on why.

    Without a rule: the version of the case-information form in force ``today`` for the
    application date (``definitions.in_force``: effective dates, transitions). The app factory
    and the CLI install the pilots' rule (``forms_service.wiring``): a municipality in a pilot
    gets the pilot version, with a note naming the pilot.
    """
    from forms_service.cases.in_force import schedules_for

    source = registry or default_registry()
    today = today or dt.date.today()
    schedules = schedules_for(session, source, DEFAULT_FORM)
    choice = choose(
        source.versions(DEFAULT_FORM), schedules, today=today, application_date=application_date
    )
    if _version_rule is None:
        return DEFAULT_FORM, choice.version, choice.note if len(schedules) else None
    rule = _version_rule(session, DEFAULT_FORM, choice.version, municipality_code, application_date)
    note = rule.note
    if rule.version == choice.version and not choice.note.startswith("Gældende version"):
        note = f"{note} {choice.note}"  # a transition or a date explains the version too
    return DEFAULT_FORM, rule.version, note
