"""Effective dates through the case service: the version a new case gets on a given day."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.in_force import schedules_for, set_schedule, statuses
from forms_service.cases.models import AuditEntry, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.in_force import ScheduleError
from forms_service.definitions.loader import load_definition_file
from forms_service.definitions.registry import Registry
from tests.cases.conftest import FIXTURES

FORM = "sagsoplysningsskema"
START = dt.date(2026, 7, 1)


@pytest.fixture
def dated_registry(tmp_path: Path) -> Registry:
    """1.0.0 and 1.1.0; 1.1.0 in force from 1 July 2026, 1.0.0 beside it until 30 September."""
    root = tmp_path / "definitions"
    shutil.copytree(FIXTURES / "definitions", root)
    (root / FORM / "in-force.toml").write_text(
        '[versions."1.0.0"]\nin_force_until = 2026-09-30\n'
        '[versions."1.1.0"]\nin_force_from = 2026-07-01\n',
        encoding="utf-8",
    )
    return Registry(root)


def _case(
    session: Session, users: dict[str, User], registry: Registry, today: dt.date, applied: dt.date
) -> tuple[str, str | None]:
    user = session.get(User, users["sp"].id)
    assert user is not None
    service = CaseService(session, actor_of(user), registry=registry, today=lambda: today)
    case = service.create_case(
        case_number=f"SP-{today:%Y%m%d}-{applied:%Y%m%d}",
        cpr="010160-1234",
        citizen_name="Karen Testesen",
        application_date=applied,
        municipality_code=101,
    )
    session.commit()
    return case.form_version, case.assignment_note


def test_a_scheduled_version_becomes_current_on_its_date(
    db_session: Session, users: dict[str, User], dated_registry: Registry
) -> None:
    eve = START - dt.timedelta(days=1)
    assert _case(db_session, users, dated_registry, eve, eve)[0] == "1.0.0"
    assert statuses(db_session, dated_registry, FORM, eve)["1.1.0"][0] == "scheduled"
    # nobody acts: the next day's case gets 1.1.0
    version, note = _case(db_session, users, dated_registry, START, START)
    assert version == "1.1.0"
    assert note is not None and "ansøgningsdatoen 01-07-2026 afgør" in note
    assert statuses(db_session, dated_registry, FORM, START)["1.1.0"][0] == "current"


def test_cases_applied_for_before_and_after_the_date_during_the_transition(
    db_session: Session, users: dict[str, User], dated_registry: Registry
) -> None:
    today = dt.date(2026, 8, 20)
    before = _case(db_session, users, dated_registry, today, dt.date(2026, 6, 20))
    after = _case(db_session, users, dated_registry, today, dt.date(2026, 7, 2))
    assert (before[0], after[0]) == ("1.0.0", "1.1.0")
    assert before[1] is not None and "20-06-2026 ligger før 01-07-2026" in before[1]
    # after the transition, a late case applied for in June gets 1.1.0
    late = _case(db_session, users, dated_registry, dt.date(2026, 10, 1), dt.date(2026, 6, 20))
    assert late[0] == "1.1.0"


def test_a_schedule_in_the_database_changes_only_while_not_in_force(
    db_session: Session, users: dict[str, User], tmp_path: Path
) -> None:
    root = tmp_path / "definitions"
    shutil.copytree(FIXTURES / "definitions", root)
    # 1.1.0 as if published in the editor: not bundled in this registry's folder
    published = root / FORM / "1.1.0.json"
    definition = load_definition_file(published)
    published.unlink()
    registry = Registry(root)
    registry.add(definition)
    editor = actor_of(db_session.get(User, users["editor"].id))  # type: ignore[arg-type]
    today = dt.date(2026, 6, 1)
    set_schedule(
        db_session, editor, registry, FORM, "1.1.0",
        in_force_from=START, today=today, publishing=True,
    )  # fmt: skip
    db_session.commit()
    assert schedules_for(db_session, registry, FORM)["1.1.0"].in_force_from == START
    assert _case(db_session, users, registry, today, today)[0] == "1.0.0"
    # moved later while still scheduled: audited with the previous date
    later = dt.date(2026, 8, 1)
    set_schedule(db_session, editor, registry, FORM, "1.1.0", in_force_from=later, today=today)
    db_session.commit()
    entry = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "definitions.schedule")
    ).all()[-1]
    assert entry.details["previous"]["in_force_from"] == "2026-07-01"
    assert entry.details["schedule"]["in_force_from"] == "2026-08-01"
    assert _case(db_session, users, registry, START, START)[0] == "1.0.0"
    assert _case(db_session, users, registry, later, later)[0] == "1.1.0"
    with pytest.raises(ScheduleError, match="allerede trådt i kraft"):
        set_schedule(
            db_session, editor, registry, FORM, "1.1.0",
            in_force_from=dt.date(2026, 9, 1), today=later,
        )  # fmt: skip
    with pytest.raises(ScheduleError, match="bagud"):
        set_schedule(
            db_session, editor, registry, FORM, "1.1.0",
            in_force_from=dt.date(2026, 5, 1), today=today,
        )  # fmt: skip
    with pytest.raises(ScheduleError, match=r"in-force\.toml"):
        set_schedule(db_session, editor, registry, FORM, "1.0.0", in_force_from=later, today=today)
