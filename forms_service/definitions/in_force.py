"""Versions in force: effective dates of published versions, and the version a new case gets.

A published version never changes, so its schedule lives beside it: for a bundled version in
the form's manifest ``form_definitions/<form>/in-force.toml``, for a version published in the
editor in the database. Everything here is computed from a date ("today"), never by a job: a
version scheduled for 1 July is current on 1 July because the date says so.

The rules:

- A release without ``in_force_from`` has been in force since it was published; a pilot
  pre-release is never "in force" (pilots give it out to their municipalities).
- On day D a release is in force when ``in_force_from <= D`` and, if it has one,
  ``D <= in_force_until``; a release without ``in_force_until`` ends the day a newer release
  comes into force. An older release with an explicit ``in_force_until`` after that day stays in
  force beside the newer one: the transition.
- During a transition the newer release's ``decided_by`` says which cases it takes:
  ``application_date`` (default): cases whose application date is on or after its
  ``in_force_from``; ``case_created``: every case created from that day. A case the newest does
  not take goes to the next older release in force.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms_service.definitions.versioning import is_prerelease, version_key

MANIFEST_NAME = "in-force.toml"
APPLICATION_DATE = "application_date"
CASE_CREATED = "case_created"
RULES: dict[str, str] = {
    APPLICATION_DATE: "ansøgningsdatoen afgør",
    CASE_CREATED: "datoen sagen oprettes afgør",
}

CURRENT = "current"
SCHEDULED = "scheduled"
ENDED = "ended"
PRERELEASE = "prerelease"
STATUS_TEXT: dict[str, str] = {
    CURRENT: "gældende",
    SCHEDULED: "planlagt",
    ENDED: "udløbet",
    PRERELEASE: "forhåndsversion",
}


class ScheduleError(ValueError):
    """A schedule that cannot be: the message is Danish and names the version."""


@dataclass(frozen=True, slots=True)
class Schedule:
    version: str
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    decided_by: str = APPLICATION_DATE
    source: str = "file"  # "file" (the manifest) or "database" (set in the editor)

    def __post_init__(self) -> None:
        if self.decided_by not in RULES:
            raise ScheduleError(
                f"{self.version}: ukendt regel '{self.decided_by}' (brug {', '.join(RULES)})"
            )
        if (
            self.in_force_from is not None
            and self.in_force_until is not None
            and self.in_force_until < self.in_force_from
        ):
            raise ScheduleError(f"{self.version}: i kraft til ligger før i kraft fra")

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "in_force_until": self.in_force_until.isoformat() if self.in_force_until else None,
            "decided_by": self.decided_by,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Choice:
    version: str
    note: str


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ScheduleError(f"{where}: '{value}' er ikke en dato (ÅÅÅÅ-MM-DD)")


def parse_manifest(data: Mapping[str, Any], where: str = MANIFEST_NAME) -> dict[str, Schedule]:
    """``{"versions": {"1.2.0": {"in_force_from": date, ...}}}`` into schedules by version."""
    versions = data.get("versions", {})
    if not isinstance(versions, Mapping):
        raise ScheduleError(f"{where}: 'versions' skal være en tabel")
    out: dict[str, Schedule] = {}
    for version, entry in versions.items():
        if not isinstance(entry, Mapping):
            raise ScheduleError(f"{where}: versions.{version} skal være en tabel")
        unknown = set(entry) - {"in_force_from", "in_force_until", "decided_by"}
        if unknown:
            raise ScheduleError(f"{where}: versions.{version}: ukendt nøgle {sorted(unknown)[0]}")
        out[version] = Schedule(
            version,
            _date(entry.get("in_force_from"), f"{where}: versions.{version}.in_force_from"),
            _date(entry.get("in_force_until"), f"{where}: versions.{version}.in_force_until"),
            str(entry.get("decided_by", APPLICATION_DATE)),
        )
    return out


def read_manifest(folder: Path) -> dict[str, Schedule]:
    """The schedules in ``folder/in-force.toml``; none when the file is absent."""
    path = folder / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScheduleError(f"{path}: {error}") from None
    return parse_manifest(data, str(path))


def _starts(schedule: Schedule | None) -> dt.date | None:
    return schedule.in_force_from if schedule else None


def _started(schedule: Schedule | None, day: dt.date) -> bool:
    start = _starts(schedule)
    return start is None or start <= day


def in_force_on(
    versions: Iterable[str], schedules: Mapping[str, Schedule], day: dt.date
) -> list[str]:
    """The releases in force on ``day``, newest first."""
    releases = sorted((v for v in versions if not is_prerelease(v)), key=version_key, reverse=True)
    out: list[str] = []
    newer_started = False
    for version in releases:
        schedule = schedules.get(version)
        until = schedule.in_force_until if schedule else None
        # superseded by a newer release in force, unless its own end date keeps it beside it
        in_window = _started(schedule, day) and (until is None or day <= until)
        if in_window and (not newer_started or until is not None):
            out.append(version)
        if _started(schedule, day):
            newer_started = True
    return out


def status_of(
    version: str, versions: Iterable[str], schedules: Mapping[str, Schedule], day: dt.date
) -> str:
    """``current``, ``scheduled``, ``ended`` or ``prerelease`` on ``day``."""
    if is_prerelease(version):
        return PRERELEASE
    if version in in_force_on(versions, schedules, day):
        return CURRENT
    if not _started(schedules.get(version), day):
        return SCHEDULED
    return ENDED


def _long(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def choose(
    versions: Iterable[str],
    schedules: Mapping[str, Schedule],
    *,
    today: dt.date,
    application_date: dt.date,
) -> Choice:
    """The release a case created ``today`` with ``application_date`` gets, and why (Danish)."""
    versions = list(versions)
    current = in_force_on(versions, schedules, today)
    if not current:
        releases = sorted(
            (v for v in versions if not is_prerelease(v)), key=version_key, reverse=True
        )
        if not releases:
            raise ScheduleError("ingen udgivet version")
        # nothing in force (every release scheduled later or ended): the newest started one
        started = [v for v in releases if _started(schedules.get(v), today)]
        version = started[0] if started else releases[-1]
        return Choice(version, f"Version {version}: ingen version er i kraft {_long(today)}.")
    newest = current[0]
    for version in current:
        schedule = schedules.get(version)
        start = _starts(schedule)
        rule = schedule.decided_by if schedule else APPLICATION_DATE
        day = application_date if rule == APPLICATION_DATE else today
        if start is not None and day < start:
            continue
        if len(current) == 1:
            return Choice(version, f"Gældende version {version}.")
        if version == newest:
            basis = (
                f"ansøgningsdatoen {_long(application_date)}"
                if rule == APPLICATION_DATE
                else f"oprettelsesdatoen {_long(today)}"
            )
            when = f" fra {_long(start)}" if start else ""
            return Choice(
                version, f"Version {version} (i kraft{when}; {basis} afgør i overgangsperioden)."
            )
        return Choice(version, _older_note(version, newest, schedules, application_date))
    return Choice(current[-1], _older_note(current[-1], newest, schedules, application_date))


def _older_note(
    version: str, newest: str, schedules: Mapping[str, Schedule], application_date: dt.date
) -> str:
    start = _starts(schedules.get(newest))
    assert start is not None  # a release without a start takes every case
    until = schedules[version].in_force_until if version in schedules else None
    end = f" (overgangsperiode til {_long(until)})" if until else ""
    return (
        f"Version {version}: ansøgningsdatoen {_long(application_date)} ligger før "
        f"{_long(start)}, hvor version {newest} trådte i kraft{end}."
    )
