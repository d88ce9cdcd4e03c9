"""The db, users and demo commands on a real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from forms_service.cases import db as cases_db
from forms_service.cases.lifecycle import Status
from forms_service.cases.models import AnswerSet, Case, CaseEvent, User
from forms_service.cases.roles import Role
from forms_service.cases.users import user_for_token, verify_password
from forms_service.cli import main
from forms_service.demo.cases import DEMO_USERS, seed_demo


def test_db_upgrade_users_and_token(db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["users", "list", "--database-url", db_url])
    assert result.exit_code != 0 and "forms-service db upgrade" in result.output

    result = runner.invoke(main, ["db", "upgrade", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    assert f"revision {cases_db.head_revision()}" in result.output

    result = runner.invoke(
        main,
        [
            "users",
            "create",
            "mette",
            "--role",
            "municipal_caseworker",
            "--municipality",
            "329",
            "--database-url",
            db_url,
        ],
        input="lang-nok-kode\nlang-nok-kode\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main,
        [
            "users",
            "create",
            "x",
            "--role",
            "municipal_caseworker",
            "--password",
            "lang-nok-kode",
            "--database-url",
            db_url,
        ],
    )
    assert result.exit_code != 0 and "knyttes til en kommune" in result.output

    result = runner.invoke(main, ["users", "token", "mette", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    token = result.output.strip()

    engine = cases_db.make_engine(db_url)
    with cases_db.make_session_factory(engine)() as session:
        assert verify_password(session, "mette", "lang-nok-kode") is not None
        user = user_for_token(session, token)
        assert user is not None and user.municipality_code == 329
    engine.dispose()


def test_demo_seeds_every_role_and_state_deterministically(db_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    factory = cases_db.make_session_factory(db_engine)
    today = dt.date(2026, 6, 1)
    with factory() as session:
        result = seed_demo(session, today=today)  # the shipped defaults
        statuses = dict(
            session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
        )
        roles = set(session.scalars(select(User.role)))
        kbh = session.scalar(select(User).where(User.username == "kbh"))
        first_events = session.scalars(select(CaseEvent.at).order_by(CaseEvent.id).limit(3)).all()
        submissions = session.scalar(
            select(func.count()).select_from(AnswerSet).where(AnswerSet.kind == "submission")
        )
        assert verify_password(session, "kbh", "demo-kbh-2026") is not None
    assert result.cases == 26 * 12 == sum(statuses.values())
    assert {s.value for s in Status} == set(statuses)  # every state is represented
    assert roles == {u.role.value for u in DEMO_USERS} == {r.value for r in Role}
    assert kbh is not None and kbh.municipality_code == 101
    assert submissions and submissions > 50
    # events are dated in the replayed history, not at the time of seeding
    assert all(at.date() < today - dt.timedelta(weeks=20) for at in first_events)

    # the same parameters give the same demo
    small_url = f"sqlite:///{tmp_path / 'small.sqlite3'}"
    small = cases_db.make_engine(small_url)
    cases_db.upgrade(small)
    with cases_db.make_session_factory(small)() as session:
        first_small = seed_demo(session, weeks=30, cases_per_week=6, today=today)
    small.dispose()
    other_url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    other = cases_db.make_engine(other_url)
    cases_db.upgrade(other)
    with cases_db.make_session_factory(other)() as session:
        again = seed_demo(session, weeks=30, cases_per_week=6, today=today)
    other.dispose()
    assert again.by_status == first_small.by_status
