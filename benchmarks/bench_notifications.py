"""Notification delivery: events delivered per second by one worker, and the lag of a burst.

Seeds one case sent to København, its functional mailbox and one webhook subscription for
København, in a fresh SQLite file (and a fresh PostgreSQL schema with --postgres). The SMTP
server (aiosmtpd's Sink) and the webhook receiver (a threaded HTTP server answering 204) run in
child processes on free ports, so they do not share the worker's interpreter.

- baseline, bare outbox inserts: one ``NotificationEvent`` per transaction (session.add +
  commit), the write a case change adds; events per second.
- delivery: N events committed, then one ``send_pending`` pass (one worker): fan-out plus one
  e-mail and one signed webhook per event; events per second (and deliveries per second), and
  the ratio delivery / baseline.
- burst: 10,000 events committed at once, then one worker drains them; the lag of each event
  (delivered at - committed at, the later of its two deliveries): median, p95, max, and the
  time to drain.

    .venv/bin/python benchmarks/bench_notifications.py [--events 1000] [--burst 10000] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import socket
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.engine import make_url

from forms_service.cases import db as cases_db
from forms_service.cases.models import Case, utcnow
from forms_service.cases.roles import Actor, Role
from forms_service.cases.service import CaseService
from forms_service.notifications import manage
from forms_service.notifications.delivery import send_pending
from forms_service.notifications.models import NotificationDelivery, NotificationEvent
from forms_service.notifications.outbox import new_message_id
from forms_service.notifications.settings import DeliverySettings
from forms_service.notifications.smtp import parse_smtp_url

SP = Actor(id=None, username="bench", role=Role.SENIORPENSION_CASEWORKER, display_name="Bench")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_sink(port: int) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    Controller(Sink(), hostname="127.0.0.1", port=port).start()
    while True:
        time.sleep(3600)


def http_receiver(port: int) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def setup(engine: Engine, webhook_url: str) -> int:
    sessions = cases_db.make_session_factory(engine)
    with sessions() as session:
        case = CaseService(session, SP).create_case(
            case_number=f"SP-BENCH-{uuid.uuid4().hex[:6]}",
            cpr="010160-1234",
            citizen_name="Bench",
            application_date=dt.date.today() - dt.timedelta(days=30),
            municipality_code=101,
            send_to_municipality=True,
        )
        manage.set_mailbox(session, 101, "sagsoplysning@kk.example", by="bench")
        manage.add_subscription(
            session, webhook_url, ["case.returned"], municipality_code=101, by="bench"
        )
        return case.id


def event_row(case: Case) -> dict[str, object]:
    return {
        "message_id": new_message_id(),
        "type": "case.returned",
        "case_id": case.id,
        "case_number": case.case_number,
        "municipality_code": 101,
        "municipality_visible": True,
        "data": {"reason": "Mangler timetal.", "municipality_deadline": "2027-03-01"},
        "occurred_at": utcnow(),
    }


def bare_inserts(engine: Engine, case_id: int, count: int) -> float:
    """Events per second, one event per transaction (marked dispatched: nothing to deliver)."""
    sessions = cases_db.make_session_factory(engine)
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        started = time.perf_counter()
        for _ in range(count):
            session.add(NotificationEvent(**event_row(case), dispatched_at=utcnow()))
            session.commit()
        return count / (time.perf_counter() - started)


def commit_events(engine: Engine, case_id: int, count: int) -> None:
    sessions = cases_db.make_session_factory(engine)
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        rows = [event_row(case) for _ in range(count)]
        session.execute(insert(NotificationEvent), rows)
        session.commit()


def deliver(engine: Engine, settings: DeliverySettings) -> tuple[float, int]:
    sessions = cases_db.make_session_factory(engine)
    started = time.perf_counter()
    report = send_pending(sessions, settings)
    elapsed = time.perf_counter() - started
    assert report.failed == 0 and report.retrying == 0, report
    return elapsed, report.sent


def lags(engine: Engine) -> list[float]:
    query = (
        select(NotificationEvent.occurred_at, NotificationDelivery.sent_at)
        .join(NotificationDelivery, NotificationDelivery.event_id == NotificationEvent.id)
        .where(NotificationDelivery.status == "sent")
    )
    latest: dict[dt.datetime, dt.datetime] = {}
    with engine.connect() as connection:
        for occurred, sent in connection.execute(query):
            latest[occurred] = max(sent, latest.get(occurred, sent))
    return [(sent - occurred).total_seconds() for occurred, sent in latest.items()]


def run(engine: Engine, label: str, settings: DeliverySettings, webhook_url: str, args) -> None:  # type: ignore[no-untyped-def]
    cases_db.upgrade(engine)
    case_id = setup(engine, webhook_url)
    baseline = bare_inserts(engine, case_id, args.events)
    commit_events(engine, case_id, args.events)
    elapsed, sent = deliver(engine, settings)
    rate = args.events / elapsed
    print(f"\n[{label}]")
    print(f"baseline: bare outbox inserts, one per transaction   {baseline:8.0f} events/s")
    print(
        f"one worker delivering (1 e-mail + 1 webhook each)   {rate:8.0f} events/s "
        f"({sent / elapsed:.0f} deliveries/s) = {rate / baseline:.3f}x baseline"
    )
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM notification_deliveries"))
        connection.execute(text("DELETE FROM notification_events"))
    commit_events(engine, case_id, args.burst)
    elapsed, sent = deliver(engine, settings)
    values = sorted(lags(engine))
    p95 = values[int(0.95 * (len(values) - 1))]
    print(
        f"burst of {args.burst:,} events: drained in {elapsed:.1f} s "
        f"({args.burst / elapsed:.0f} events/s); lag median {statistics.median(values):.1f} s, "
        f"p95 {p95:.1f} s, max {values[-1]:.1f} s; drain time / (burst / bare insert rate) = "
        f"{elapsed / (args.burst / baseline):.1f}x"
    )


def main() -> None:
    # personal data is encrypted at rest (issue 18): benchmark keys unless the environment
    # brings its own (PostgreSQL has no development key)
    os.environ.setdefault(
        "FORMS_SERVICE_ENCRYPTION_KEYS", "b1:" + "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
    )
    os.environ.setdefault(
        "FORMS_SERVICE_BLIND_INDEX_KEY", "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE="
    )
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    smtp_port, http_port = free_port(), free_port()
    children = [
        multiprocessing.Process(target=smtp_sink, args=(smtp_port,), daemon=True),
        multiprocessing.Process(target=http_receiver, args=(http_port,), daemon=True),
    ]
    for child in children:
        child.start()
    wait_listening(smtp_port)
    wait_listening(http_port)
    settings = DeliverySettings(
        base_url="https://sagsoplysning.example",
        smtp=parse_smtp_url(f"smtp://127.0.0.1:{smtp_port}"),
    )
    webhook_url = f"http://127.0.0.1:{http_port}/hooks"
    try:
        with tempfile.TemporaryDirectory() as folder:
            engine = cases_db.make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            run(engine, "SQLite", settings, webhook_url, args)
            engine.dispose()
        if args.postgres:
            base = os.environ.get(
                "FORMS_SERVICE_TEST_POSTGRES_URL",
                "postgresql+psycopg://postgres@127.0.0.1:5432/test",
            )
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            admin = cases_db.make_engine(base)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = make_url(cases_db.normalize_url(base)).update_query_dict(
                {"options": f"-csearch_path={schema}"}
            )
            engine = cases_db.make_engine(url.render_as_string(hide_password=False))
            try:
                run(engine, "PostgreSQL", settings, webhook_url, args)
            finally:
                engine.dispose()
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    finally:
        for child in children:
            child.terminate()


if __name__ == "__main__":
    main()
