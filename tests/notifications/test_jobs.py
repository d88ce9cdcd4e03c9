"""Delivery through Redis/RQ: a commit wakes `forms-service worker`, which delivers."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from forms_service.cases import db as cases_db
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cli import main
from forms_service.notifications import manage
from forms_service.notifications.jobs import QUEUE_NAME
from forms_service.notifications.models import NotificationEvent
from forms_service.notifications.wiring import install_wakeup
from tests.documents.test_document_jobs import (  # noqa: F401  (the fixtures)
    redis_server,
    redis_url,
)


def _create_case(sessions, users, number: str) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        CaseService(session, actor_of(users["sp"])).create_case(
            case_number=number,
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=dt.date.today() - dt.timedelta(days=30),
            municipality_code=101,
            send_to_municipality=True,
        )


def test_a_commit_wakes_the_worker_which_delivers(
    db_engine,
    db_url,
    users,
    smtp_server,
    redis_url,  # noqa: F811  (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    sessions = cases_db.make_session_factory(db_engine)
    with sessions() as session:
        manage.set_mailbox(session, 101, "sagsoplysning@kk.example", by="test")
    assert install_wakeup(sessions, redis_url)
    queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
    assert queue.count == 0  # setting a mailbox recorded no event: nothing to wake
    _create_case(sessions, users, "SP-RQ-1")
    assert queue.count == 1

    monkeypatch.setenv("FORMS_SERVICE_REDIS_URL", redis_url)
    monkeypatch.setenv("FORMS_SERVICE_DATABASE_URL", db_url)
    monkeypatch.setenv("FORMS_SERVICE_SMTP_URL", smtp_server.url)
    result = CliRunner().invoke(main, ["worker", "--burst", "--queue", QUEUE_NAME])
    assert result.exit_code == 0, result.output
    assert [m["Subject"] for m in smtp_server.messages] == ["Sag sendt til kommunen: sag SP-RQ-1"]
    assert queue.count == 0


def test_without_redis_reachable_the_change_commits_and_the_event_waits(
    db_engine, users, free_port
) -> None:  # type: ignore[no-untyped-def]
    sessions = cases_db.make_session_factory(db_engine)
    install_wakeup(sessions, f"redis://127.0.0.1:{free_port}/0")
    _create_case(sessions, users, "SP-RQ-2")
    with sessions() as session:
        waiting = session.scalar(
            select(func.count())
            .select_from(NotificationEvent)
            .where(NotificationEvent.dispatched_at.is_(None))
        )
    assert waiting == 2  # created and sent, both kept for `notifications send`
