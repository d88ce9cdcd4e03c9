"""Deadline reminders: due once per case and deadline, however often and wherever run-due runs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from forms_service.cases import db as cases_db
from forms_service.cases.models import Case
from forms_service.cli import main
from forms_service.notifications import manage
from forms_service.notifications.models import NotificationEvent
from forms_service.notifications.reminders import due_step, run_due
from tests.notifications.support import deliver, session_of, settings


def _deadline(app, case_id: int) -> dt.date:  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        deadline = session.get(Case, case_id).municipality_deadline
        assert deadline is not None
        return deadline


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (15, None),
        (14, ("deadline.approaching", "14")),
        (4, ("deadline.approaching", "14")),
        (3, ("deadline.approaching", "3")),
        (0, ("deadline.approaching", "3")),
        (-1, ("deadline.missed", "missed")),
        (-7, ("deadline.missed", "missed")),
        (-8, None),  # older misses are history, not news
    ],
)
def test_which_step_is_due(days_left: int, expected: tuple[str, str] | None) -> None:
    today = dt.date(2027, 3, 1)
    step = due_step(today + dt.timedelta(days=days_left), today)
    assert ((step[0].value, step[1]) if step else None) == expected


def test_a_reminder_is_sent_once_however_often_run_due_runs(
    app, users, case_factory, db_url, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        manage.set_mailbox(session, 101, "sagsoplysning@kk.example", by="test")
    case_id = case_factory(municipality_code=101)
    deadline = _deadline(app, case_id)
    delivery_settings = settings(smtp_server.url)
    deliver(app, delivery_settings)
    before = len(smtp_server.messages)

    runner = CliRunner()
    day = (deadline - dt.timedelta(days=10)).isoformat()
    outputs = []
    for _ in range(3):
        result = runner.invoke(
            main, ["notifications", "run-due", "--today", day, "--database-url", db_url]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output.split()[0])
        deliver(app, delivery_settings)
    assert outputs == ["1", "0", "0"]
    reminders = smtp_server.messages[before:]
    assert [m["Subject"] for m in reminders] == ["Frist nærmer sig: sag SP-TEST-00001"]
    text = reminders[0].get_body(preferencelist=("plain",)).get_content()
    assert "Kommunens svarfrist i sagen SP-TEST-00001 udløber om 10 dage." in text

    # The next step comes once too, and a missed deadline after it.
    for offset, subject in ((-2, "Frist nærmer sig"), (1, "Frist overskredet")):
        for _ in range(2):
            with session_of(app) as session:
                run_due(session, deadline + dt.timedelta(days=offset))
        deliver(app, delivery_settings)
        assert [m["Subject"] for m in smtp_server.messages[before + 1 :]][-1].startswith(subject)
    assert len(smtp_server.messages) == before + 3


def test_run_due_on_several_machines_at_once_adds_each_reminder_once(
    app, case_factory, db_url
) -> None:  # type: ignore[no-untyped-def]
    case_ids = [case_factory(municipality_code=101) for _ in range(5)]
    day = _deadline(app, case_ids[0]) - dt.timedelta(days=5)
    barrier = threading.Barrier(4)
    added: list[int] = []
    errors: list[BaseException] = []

    def machine() -> None:
        engine = cases_db.make_engine(db_url)  # its own engine and pool: another machine
        try:
            with cases_db.make_session_factory(engine)() as session:
                barrier.wait()
                added.append(run_due(session, day))
        except BaseException as error:
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=machine) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(added) == 5
    with session_of(app) as session:
        keys = session.scalars(
            select(NotificationEvent.dedupe_key).where(
                NotificationEvent.type == "deadline.approaching"
            )
        ).all()
    assert len(keys) == len(set(keys)) == 5


def test_no_reminder_for_a_case_the_municipality_no_longer_holds(app, users, case_factory) -> None:  # type: ignore[no-untyped-def]
    from tests.notifications.support import submit

    case_id = case_factory(municipality_code=101)
    submit(app, users, case_id)
    with session_of(app) as session:
        assert run_due(session, _deadline(app, case_id) - dt.timedelta(days=3)) == 0


def test_seniorpensions_decision_deadline_reaches_only_seniorpension(
    app, users, case_factory, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        manage.set_mailbox(session, 101, "sagsoplysning@kk.example", by="test")
        manage.set_mailbox(session, "seniorpension", "sager@seniorpension.example", by="test")
    case_id = case_factory(municipality_code=101)
    deliver(app, settings(smtp_server.url))
    before = len(smtp_server.messages)
    with session_of(app) as session:
        decision = session.get(Case, case_id).decision_deadline
        assert run_due(session, decision - dt.timedelta(days=14)) == 1
    deliver(app, settings(smtp_server.url))
    [message] = smtp_server.messages[before:]
    assert message["To"] == "sager@seniorpension.example"
    assert "Fristen for afgørelse" in message.get_body(preferencelist=("plain",)).get_content()
