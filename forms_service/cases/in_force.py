"""Effective dates in the database: schedules of versions published in the editor.

The rules are ``forms_service.definitions.in_force``; this module reads and changes the rows and
merges them with the bundled manifest, so the case service, the editor and the CLI see one
schedule per form. A schedule changes only while its version is not yet in force; each change
is audited (``definitions.schedule``).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases import audit
from forms_service.cases.models import VersionSchedule, utcnow
from forms_service.cases.roles import Actor
from forms_service.definitions.in_force import (
    APPLICATION_DATE,
    Schedule,
    ScheduleError,
    in_force_on,
    status_of,
)
from forms_service.definitions.registry import is_prerelease


class ScheduleSource(Protocol):
    """What reading schedules needs of the definitions registry."""

    def versions(self, form: str) -> list[str]: ...

    def schedules(self, form: str) -> dict[str, Schedule]: ...


def stored_schedules(session: Session, form: str) -> dict[str, Schedule]:
    rows = session.scalars(select(VersionSchedule).where(VersionSchedule.form == form))
    return {
        row.version: Schedule(
            row.version, row.in_force_from, row.in_force_until, row.decided_by, "database"
        )
        for row in rows
    }


def all_stored_schedules(session: Session) -> dict[str, dict[str, Schedule]]:
    out: dict[str, dict[str, Schedule]] = {}
    for row in session.scalars(select(VersionSchedule)):
        out.setdefault(row.form, {})[row.version] = Schedule(
            row.version, row.in_force_from, row.in_force_until, row.decided_by, "database"
        )
    return out


def schedules_for(session: Session, registry: ScheduleSource, form: str) -> dict[str, Schedule]:
    """The manifest's schedules and the database's, read now (the registry's copy of the
    database's may be seconds old); a bundled version's manifest entry wins."""
    merged = dict(registry.schedules(form))
    for version, schedule in stored_schedules(session, form).items():
        known = merged.get(version)
        if known is None or known.source == "database":
            merged[version] = schedule
    return merged


def set_schedule(
    session: Session,
    actor: Actor,
    registry: ScheduleSource,
    form: str,
    version: str,
    *,
    in_force_from: dt.date | None,
    in_force_until: dt.date | None = None,
    decided_by: str = APPLICATION_DATE,
    today: dt.date,
    publishing: bool = False,
) -> Schedule:
    """Set (or change) when ``version`` is in force; the caller commits.

    Refused (``ScheduleError``, Danish) for a pilot pre-release, a bundled version (its schedule
    is in the manifest), a start in the past, and a version already in force — except while it
    is being published (``publishing``), when it has had no schedule yet.
    """
    if is_prerelease(version):
        raise ScheduleError(
            f"{form}@{version} er en pilotversion; den gives til pilotkommunerne af piloten, "
            "ikke fra en dato."
        )
    in_manifest = registry.schedules(form).get(version)
    if (in_manifest is not None and in_manifest.source != "database") or (
        not publishing and _bundled(registry, form, version)
    ):
        raise ScheduleError(
            f"{form}@{version} følger med programmet; dens ikrafttræden står i "
            f"form_definitions/{form}/in-force.toml."
        )
    if in_force_from is not None and in_force_from < today:
        raise ScheduleError(
            f"Ikrafttrædelsesdatoen {in_force_from:%d-%m-%Y} ligger før i dag; en version kan "
            "ikke træde i kraft bagud."
        )
    if in_force_until is not None and in_force_until < today:
        raise ScheduleError(f"Slutdatoen {in_force_until:%d-%m-%Y} ligger før i dag.")
    schedule = Schedule(version, in_force_from, in_force_until, decided_by, "database")
    row = session.scalar(
        select(VersionSchedule).where(
            VersionSchedule.form == form, VersionSchedule.version == version
        )
    )
    if not publishing:
        current = stored_schedules(session, form).get(version)
        start = current.in_force_from if current else None
        if start is None or start <= today:
            raise ScheduleError(
                f"{form}@{version} er allerede trådt i kraft; datoen kan ikke ændres. "
                "Udgiv en ny version med sin egen dato."
            )
    previous = None
    if row is None:
        row = VersionSchedule(form=form, version=version)
        session.add(row)
    else:
        previous = Schedule(
            version, row.in_force_from, row.in_force_until, row.decided_by, "database"
        ).to_dict()
    row.in_force_from = in_force_from
    row.in_force_until = in_force_until
    row.decided_by = decided_by
    row.set_by_name = actor.name
    row.set_at = utcnow()
    audit.record(
        session,
        actor,
        "definitions.schedule",
        details={
            "form": form,
            "version": version,
            "schedule": schedule.to_dict(),
            "previous": previous,
        },
    )
    return schedule


def _bundled(registry: ScheduleSource, form: str, version: str) -> bool:
    path_of = getattr(registry, "path_of", None)
    return bool(path_of is not None and path_of(form, version).is_file())


def statuses(
    session: Session, registry: ScheduleSource, form: str, today: dt.date
) -> dict[str, tuple[str, Schedule | None]]:
    """{version: (status, schedule)} of every known version of ``form`` on ``today``."""
    schedules = schedules_for(session, registry, form)
    versions = list(registry.versions(form))
    return {v: (status_of(v, versions, schedules, today), schedules.get(v)) for v in versions}


def current_versions(
    session: Session, registry: ScheduleSource, form: str, today: dt.date
) -> list[str]:
    """The releases in force on ``today``, newest first (two during a transition)."""
    return in_force_on(registry.versions(form), schedules_for(session, registry, form), today)
