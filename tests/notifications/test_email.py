"""E-mail through a real SMTP server (aiosmtpd on a free port, see tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forms_service.cases.errors import TransitionRefusedError
from forms_service.notifications import manage
from forms_service.notifications.models import NotificationDelivery, NotificationEvent
from tests.notifications.support import (
    BASE_URL,
    CPR,
    Clock,
    deliver,
    session_of,
    settings,
    submit,
    transition,
)

REASON = "Oplys venligst timetallet i det seneste job. Borgerens CPR 010160-1234 står i sagen."


@pytest.fixture
def mailboxes(app):  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        manage.set_mailbox(session, 101, "sagsoplysning@kk.example", by="test")
        manage.set_mailbox(session, 329, "ydelse@ringsted.example", by="test")
        manage.set_mailbox(session, "seniorpension", "sager@seniorpension.example", by="test")


def _bodies(message) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_a_returned_case_mails_the_reason_to_the_mailbox_once_and_never_a_cpr(
    app, users, case_factory, mailboxes, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    submit(app, users, case_id)
    delivery_settings = settings(smtp_server.url)
    deliver(app, delivery_settings)  # the case sent and submitted: their mails go first
    before = len(smtp_server.messages)

    transition(app, users, case_id, "returned", reason=REASON)
    report = deliver(app, delivery_settings)
    deliver(app, delivery_settings)  # a second pass sends nothing again

    returned = smtp_server.messages[before:]
    assert report.sent == 1
    assert len(returned) == 1
    message = returned[0]
    assert message["To"] == "sagsoplysning@kk.example"
    assert "returneret" in message["Subject"].lower()
    assert "SP-TEST-00001" in message["Subject"]
    text, html = _bodies(message)
    for body in (text, html):
        assert "Oplys venligst timetallet i det seneste job." in body
        assert "SP-TEST-00001" in body
        assert f"{BASE_URL}/cases/{case_id}" in body
        assert "Kommunens svarfrist" in body
    # No CPR number anywhere: not in the reason, the subject or the headers; nor its digits.
    for message in smtp_server.messages:
        raw = message.as_string()
        assert CPR not in raw and CPR.replace("-", "") not in raw
        assert "Karen Testesen" not in raw  # nor the citizen's name


def test_every_mail_is_danish_plain_and_html(
    app, users, case_factory, mailboxes, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    case_factory(municipality_code=329)
    deliver(app, settings(smtp_server.url))
    [message] = smtp_server.messages
    assert message["To"] == "ydelse@ringsted.example"
    assert message.get_content_type() == "multipart/alternative"
    text, html = _bodies(message)
    assert "Seniorpension har sendt sagen SP-TEST-00001 til Ringsted Kommune" in text
    assert '<html lang="da">' in html


def test_a_rolled_back_change_sends_nothing(
    app, users, case_factory, mailboxes, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    submit(app, users, case_id)
    deliver(app, settings(smtp_server.url))
    sent_before = len(smtp_server.messages)
    with session_of(app) as session:
        events_before = session.scalar(select(func.count()).select_from(NotificationEvent))

    # A return without the required reason is refused and rolled back after the status moved.
    with pytest.raises(TransitionRefusedError):
        transition(app, users, case_id, "returned", reason="")
    # And a change that fails at commit: the event was added, then the transaction rolled back.
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of
    from forms_service.notifications import outbox

    with session_of(app) as session:
        sp = CaseService(session, actor_of(users["sp"]))
        case = sp.get_case(case_id, audit_read=False)
        outbox.record(session, case, outbox.EventType.CASE_RETURNED, {"reason": "aldrig"})
        session.flush()
        session.rollback()

    report = deliver(app, settings(smtp_server.url))
    with session_of(app) as session:
        assert session.scalar(select(func.count()).select_from(NotificationEvent)) == events_before
    assert report.sent == 0
    assert len(smtp_server.messages) == sent_before


def test_smtp_down_at_first_gets_the_mail_on_a_retry(
    app, users, case_factory, mailboxes, free_port
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SmtpSink

    sink = SmtpSink(free_port)  # not started: nothing listens on the port
    case_factory(municipality_code=101)
    clock = Clock()
    delivery_settings = settings(sink.url, retry_delays=(60, 300))

    first = deliver(app, delivery_settings, clock)
    assert (first.sent, first.retrying) == (0, 1)
    with session_of(app) as session:
        [row] = session.scalars(select(NotificationDelivery)).all()
        assert row.status == "pending" and row.attempts == 1
        assert "ConnectionRefusedError" in (row.last_error or "")

    sink.start()
    try:
        clock.advance(30)  # before the backoff has passed: not tried again
        assert deliver(app, delivery_settings, clock).sent == 0
        clock.advance(31)
        assert deliver(app, delivery_settings, clock).sent == 1
    finally:
        sink.stop()
    assert [m["To"] for m in sink.messages] == ["sagsoplysning@kk.example"]
    with session_of(app) as session:
        [row] = session.scalars(select(NotificationDelivery)).all()
        assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_after_the_last_try_the_delivery_is_failed_and_visible(
    app, users, case_factory, mailboxes, free_port
) -> None:  # type: ignore[no-untyped-def]
    case_factory(municipality_code=101)
    clock = Clock()
    delivery_settings = settings(f"smtp://127.0.0.1:{free_port}", retry_delays=(10,))
    assert deliver(app, delivery_settings, clock).retrying == 1
    clock.advance(11)
    assert deliver(app, delivery_settings, clock).failed == 1
    clock.advance(3600)
    assert deliver(app, delivery_settings, clock).failed == 0  # not tried again
    with session_of(app) as session:
        [row] = manage.delivery_log(session, status="failed")
        assert row.attempts == 2


def test_the_caseworker_gets_a_copy_unless_opted_out_of_a_kind_that_is_not_required(
    app, users, case_factory, mailboxes, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        # kbh wants returns (required anyway) but not "sufficiently informed"
        manage.set_preference(
            session,
            users["kbh"].id,
            "kbh@kk.example",
            ["case.sufficiently_informed", "case.returned"],
        )
    first, second = case_factory(municipality_code=101), case_factory(municipality_code=101)
    submit(app, users, first)
    submit(app, users, second)
    transition(app, users, first, "returned", reason="Mangler timetal.")
    transition(app, users, second, "sufficiently_informed")
    deliver(app, settings(smtp_server.url))
    personal = [m["Subject"] for m in smtp_server.messages if m["To"] == "kbh@kk.example"]
    assert personal == ["Sag returneret til kommunen: sag SP-TEST-00001"]
    to_mailbox = [
        m["Subject"] for m in smtp_server.messages if m["To"] == "sagsoplysning@kk.example"
    ]
    assert "Sag tilstrækkeligt oplyst: sag SP-TEST-00002" in to_mailbox
    # Seniorpension's mailbox got the two submissions
    to_sp = [m["Subject"] for m in smtp_server.messages if m["To"] == "sager@seniorpension.example"]
    assert sorted(to_sp) == [
        "Sagsoplysningsskema indsendt: sag SP-TEST-00001",
        "Sagsoplysningsskema indsendt: sag SP-TEST-00002",
    ]


def test_a_bug_in_one_delivery_does_not_stop_the_others(
    app, users, case_factory, mailboxes, smtp_server, webhook_receiver, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from forms_service.notifications import delivery

    with session_of(app) as session:
        manage.add_subscription(
            session,
            webhook_receiver.url,
            ["case.sent_to_municipality"],
            municipality_code=101,
            by="t",
        )

    def broken_template(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a template bug")

    monkeypatch.setattr(delivery, "render_email", broken_template)  # the fault: a bug
    case_factory(municipality_code=101)
    report = deliver(app, settings(smtp_server.url))
    assert (report.sent, report.retrying) == (1, 1)
    assert len(webhook_receiver.requests) == 1
    with session_of(app) as session:
        [row] = manage.delivery_log(session, status="pending")
        assert (row.channel, row.last_error) == ("email", "Intern fejl: RuntimeError")


def test_events_older_than_the_horizon_go_to_nobody(
    app, users, case_factory, mailboxes, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from sqlalchemy import update

    old_case = case_factory(municipality_code=101)  # SP-TEST-00001
    case_factory(municipality_code=101)  # SP-TEST-00002
    with session_of(app) as session:
        session.execute(
            update(NotificationEvent)
            .where(NotificationEvent.case_id == old_case)
            .values(occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=15))
        )
        session.commit()
    report = deliver(app, settings(smtp_server.url))
    assert (report.dispatched, report.expired, report.sent) == (4, 2, 1)
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Sag sendt til kommunen: sag SP-TEST-00002"
    ]
