"""Effective dates: which release is in force on a day, and which a new case gets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forms_service.definitions.in_force import (
    CASE_CREATED,
    CURRENT,
    ENDED,
    PRERELEASE,
    SCHEDULED,
    Schedule,
    ScheduleError,
    choose,
    in_force_on,
    parse_manifest,
    read_manifest,
    status_of,
)
from forms_service.definitions.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ["1.0.0", "1.1.0", "1.2.0", "2.0.0-pilot.1"]
JULY = dt.date(2027, 7, 1)


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def test_without_schedules_the_newest_release_is_current_and_the_older_ended() -> None:
    day = _day("2027-01-01")
    assert in_force_on(VERSIONS, {}, day) == ["1.2.0"]
    assert [status_of(v, VERSIONS, {}, day) for v in VERSIONS] == [
        ENDED,
        ENDED,
        CURRENT,
        PRERELEASE,
    ]


def test_a_scheduled_version_becomes_current_on_its_date_without_anyone_acting() -> None:
    schedules = {"1.2.0": Schedule("1.2.0", JULY)}
    before, on = JULY - dt.timedelta(days=1), JULY
    assert status_of("1.2.0", VERSIONS, schedules, before) == SCHEDULED
    assert status_of("1.1.0", VERSIONS, schedules, before) == CURRENT
    assert status_of("1.2.0", VERSIONS, schedules, on) == CURRENT
    assert status_of("1.1.0", VERSIONS, schedules, on) == ENDED
    assert choose(VERSIONS, schedules, today=before, application_date=before).version == "1.1.0"
    assert choose(VERSIONS, schedules, today=on, application_date=on).version == "1.2.0"


def test_without_a_transition_every_new_case_gets_the_new_version() -> None:
    schedules = {"1.2.0": Schedule("1.2.0", JULY)}
    late = JULY + dt.timedelta(days=10)
    choice = choose(VERSIONS, schedules, today=late, application_date=JULY - dt.timedelta(days=40))
    assert choice.version == "1.2.0"


def test_a_transition_decided_by_the_application_date() -> None:
    schedules = {
        "1.1.0": Schedule("1.1.0", None, _day("2027-09-30")),
        "1.2.0": Schedule("1.2.0", JULY),
    }
    today = _day("2027-08-15")
    assert in_force_on(VERSIONS, schedules, today) == ["1.2.0", "1.1.0"]
    before = choose(VERSIONS, schedules, today=today, application_date=_day("2027-06-30"))
    after = choose(VERSIONS, schedules, today=today, application_date=JULY)
    assert (before.version, after.version) == ("1.1.0", "1.2.0")
    assert "30-06-2027 ligger før 01-07-2027" in before.note
    assert "ansøgningsdatoen 01-07-2027 afgør" in after.note
    # the transition ends: 1.1.0 has ended, every case gets 1.2.0
    end = _day("2027-10-01")
    assert status_of("1.1.0", VERSIONS, schedules, end) == ENDED
    assert choose(VERSIONS, schedules, today=end, application_date=_day("2027-06-01")).version == (
        "1.2.0"
    )


def test_a_transition_decided_by_the_day_the_case_is_created() -> None:
    schedules = {
        "1.1.0": Schedule("1.1.0", None, _day("2027-09-30")),
        "1.2.0": Schedule("1.2.0", JULY, decided_by=CASE_CREATED),
    }
    today = _day("2027-08-15")
    choice = choose(VERSIONS, schedules, today=today, application_date=_day("2027-06-30"))
    assert choice.version == "1.2.0"
    assert "oprettelsesdatoen 15-08-2027 afgør" in choice.note


def test_a_version_with_an_end_and_no_successor_leaves_the_newest_started() -> None:
    schedules = {"1.2.0": Schedule("1.2.0", None, _day("2027-01-31"))}
    day = _day("2027-02-01")
    assert status_of("1.2.0", VERSIONS, schedules, day) == ENDED
    assert choose(VERSIONS, schedules, today=day, application_date=day).version == "1.2.0"


def test_schedules_that_cannot_be() -> None:
    with pytest.raises(ScheduleError, match="ligger før"):
        Schedule("1.2.0", JULY, JULY - dt.timedelta(days=1))
    with pytest.raises(ScheduleError, match="ukendt regel"):
        Schedule("1.2.0", JULY, decided_by="måne")
    with pytest.raises(ScheduleError, match="ikke en dato"):
        parse_manifest({"versions": {"1.2.0": {"in_force_from": "1. juli"}}})
    with pytest.raises(ScheduleError, match="ukendt nøgle"):
        parse_manifest({"versions": {"1.2.0": {"in_force": "2027-07-01"}}})


def test_the_manifest_beside_the_versions(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "in-force.toml").write_text(
        '[versions."1.2.0"]\nin_force_from = 2027-07-01\ndecided_by = "case_created"\n',
        encoding="utf-8",
    )
    assert read_manifest(folder) == {"1.2.0": Schedule("1.2.0", JULY, None, CASE_CREATED)}
    assert Registry(tmp_path).schedules("x")["1.2.0"].in_force_from == JULY
    assert read_manifest(tmp_path / "nothing") == {}


def test_the_bundled_manifest_reads_and_is_no_version() -> None:
    registry = Registry(ROOT / "form_definitions")
    registry.schedules("sagsoplysningsskema")  # parses
    assert "in-force" not in registry.versions("sagsoplysningsskema")
