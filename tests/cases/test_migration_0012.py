"""Migration 0012 encrypts an existing database in place (and fills the CPR blind index); its
downgrade gives the plain values back. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy import select, text

from forms_service import wiring
from forms_service.cases import crypto
from forms_service.cases import db as cases_db
from forms_service.cases.models import AnswerSet, Case, CaseEvent
from forms_service.notifications.models import NotificationEvent, WebhookSubscription

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
ANSWERS = {"cpr": "1508622402", "faglig_forklaring": "Borgeren har Kvasirsyndrom."}


def _plain_rows(connection: sa.Connection) -> None:
    meta = sa.MetaData()
    meta.reflect(connection)
    t = meta.tables
    connection.execute(
        t["cases"].insert(),
        {
            "id": 1,
            "case_number": "SP-MIG-1",
            "cpr": "1508622402",
            "citizen_name": "Karin Holm Madsen",
            "application_date": dt.date(2026, 10, 1),
            "municipality_code": 101,
            "form": "sagsoplysningsskema",
            "form_version": "1.1.0",
            "status": "returned",
            "decision_deadline": dt.date(2027, 1, 1),
            "assignment_note": "Borgeren ringede om sin sygdom.",
            "revision": 3,
            "created_at": NOW,
            "updated_at": NOW,
        },
    )
    connection.execute(
        t["case_events"].insert(),
        {
            "id": 1,
            "case_id": 1,
            "to_status": "returned",
            "actor_name": "Sara",
            "at": NOW,
            "reason": "Lægeattesten om Kvasirsyndrom mangler.",
        },
    )
    connection.execute(
        t["answer_sets"].insert(),
        {
            "id": 1,
            "case_id": 1,
            "sequence": 1,
            "kind": "draft",
            "form": "sagsoplysningsskema",
            "version": "1.1.0",
            "content_hash": "0" * 64,
            "answers": ANSWERS,
            "completeness": None,
            "case_revision": 2,
            "created_by_name": "Kim",
            "created_at": NOW,
        },
    )
    connection.execute(
        t["attachment_blobs"].insert(),
        {"sha256": "c" * 64, "size": 5, "chunks": 1, "created_at": NOW},
    )
    connection.execute(
        t["attachment_chunks"].insert(), {"sha256": "c" * 64, "seq": 0, "data": b"%PDF-"}
    )
    connection.execute(
        t["notification_events"].insert(),
        {
            "id": 1,
            "message_id": "msg_1",
            "type": "case.returned",
            "case_id": 1,
            "case_number": "SP-MIG-1",
            "municipality_code": 101,
            "municipality_visible": True,
            "data": {"reason": "Lægeattesten mangler."},
            "occurred_at": NOW,
        },
    )
    connection.execute(
        t["webhook_subscriptions"].insert(),
        {
            "id": 1,
            "url": "https://example.invalid/hook",
            "event_types": ["case.returned"],
            "secret": "whsec_abc",
            "active": True,
            "failed_deliveries": 0,
            "created_at": NOW,
        },
    )


def test_upgrade_encrypts_in_place_and_downgrade_decrypts(db_url: str) -> None:
    engine = cases_db.make_engine(db_url)
    try:
        cases_db.upgrade(engine, "0011")
        with engine.begin() as connection:
            _plain_rows(connection)

        cases_db.upgrade(engine)

        with engine.connect() as connection:
            cpr, name, note, index = connection.execute(
                text("SELECT cpr, citizen_name, assignment_note, cpr_index FROM cases")
            ).one()
            answers = connection.execute(
                select(sa.cast(sa.column("answers"), sa.Text())).select_from(
                    sa.table("answer_sets")
                )
            ).scalar_one()
            chunk = connection.execute(text("SELECT data FROM attachment_chunks")).scalar_one()
            registered = connection.execute(
                text("SELECT key_id, purpose FROM encryption_keys ORDER BY key_id")
            ).all()
        for value in (cpr, name, note, json.loads(answers)):
            assert value.startswith("fse1:t1:"), value
        assert "Kvasir" not in answers and "1508622402" not in answers
        assert bytes(chunk).startswith(b"FSE1") and b"%PDF-" not in bytes(chunk)
        assert index == crypto.blind_index("1508622402")
        assert [tuple(r) for r in registered] == [("blind-index", "index"), ("t1", "data")]

        with wiring.session_factory(engine)() as session:
            case = session.get(Case, 1)
            assert (case.cpr, case.citizen_name) == ("1508622402", "Karin Holm Madsen")
            assert case.revision == 3  # the migration changed no revision
            assert session.get(AnswerSet, 1).answers == ANSWERS
            assert session.get(AnswerSet, 1).completeness is None
            assert session.get(CaseEvent, 1).reason == "Lægeattesten om Kvasirsyndrom mangler."
            assert session.get(NotificationEvent, 1).data == {"reason": "Lægeattesten mangler."}
            assert session.get(WebhookSubscription, 1).secret == "whsec_abc"

        cases_db.downgrade(engine, "0011")

        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT cpr, citizen_name, assignment_note FROM cases")
            ).one()
            reason = connection.execute(text("SELECT reason FROM case_events")).scalar_one()
            plain = connection.execute(
                select(sa.cast(sa.column("answers"), sa.Text())).select_from(
                    sa.table("answer_sets")
                )
            ).scalar_one()
            chunk = connection.execute(text("SELECT data FROM attachment_chunks")).scalar_one()
            secret = connection.execute(
                text("SELECT secret FROM webhook_subscriptions")
            ).scalar_one()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("cases")}
        assert tuple(row) == ("1508622402", "Karin Holm Madsen", "Borgeren ringede om sin sygdom.")
        assert reason == "Lægeattesten om Kvasirsyndrom mangler."
        assert json.loads(plain) == ANSWERS
        assert bytes(chunk) == b"%PDF-"
        assert secret == "whsec_abc"
        assert "cpr_index" not in columns
    finally:
        engine.dispose()
