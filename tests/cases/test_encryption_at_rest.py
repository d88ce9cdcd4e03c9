"""Personal data at rest: a case with a known CPR number and a distinctive health sentence is
stored through the service; neither is in the raw SQLite file (WAL checkpointed) nor in a
pg_dump of the PostgreSQL schema, in any spelling; the service still shows both to the right
reader (case page, form page, API with cpr=full, Word document) and finds the case by CPR."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from docx import Document
from sqlalchemy.engine import make_url

from forms_service.attachments.store import DatabaseStore
from tests.api.test_answers_api import answers_url, client_as

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
CPR = "230457-2913"
NAME = "Gudrun Zebrafinke Holm"
HEALTH = "Borgeren har diagnosen Kvasirsyndrom med daglige smerteanfald i begge haender."
# every spelling of the number and of the text as a JSON encoder could write it
FORBIDDEN = [
    b"2304572913",
    b"230457-2913",
    b"230457 2913",
    b"Kvasirsyndrom",
    b"smerteanfald",
    b"Zebrafinke",
    NAME.encode(),
]


def _store_case(app, login) -> int:  # type: ignore[no-untyped-def]
    sp = client_as(app, login, "sp")
    created = sp.post(
        "/api/v1/cases/",
        json={
            "case_number": "SP-KRYPT-1",
            "cpr": CPR,
            "citizen_name": NAME,
            "application_date": "2026-10-01",
            "municipality_code": 101,
            "request_date": "2026-10-05",
        },
    )
    assert created.status_code == 201, created.json
    case = created.json
    answers = json.loads((ANSWERS / "v1_complete.json").read_text("utf-8"))
    # the health sentence inside the free text the completeness criterion rests on
    answers |= {"cpr": CPR, "navn": NAME}
    answers["faglig_forklaring"] += " " + HEALTH
    kbh = client_as(app, login, "kbh")
    saved = kbh.put(
        answers_url(case["id"], "/draft"),
        json={"base_revision": case["revision"], "answers": answers},
    )
    assert saved.status_code == 200, saved.json
    # submitted (an archival PDF/A in the blob store) and returned with a reason
    submitted = kbh.post(
        answers_url(case["id"], "/submit"),
        json={"base_revision": saved.json["revision"], "answers": answers},
    )
    assert submitted.status_code == 200, submitted.json
    returned = sp.post(
        f"/api/v1/cases/{case['id']}/transitions",
        json={
            "to": "returned",
            "reason": f"Uddyb venligst: {HEALTH}",
            "revision": submitted.json["revision"],
        },
    )
    assert returned.status_code == 200, returned.json
    # a document with the sentence in it, through the blob store the uploads use
    engine = app.extensions["forms_service.engine"]
    with app.extensions["forms_service.sessions"]() as session:
        content = f"Lægeerklæring for {NAME}, CPR {CPR}: {HEALTH}".encode()
        DatabaseStore(engine).write(session, "a" * 64, io.BytesIO(content), len(content))
        session.commit()
    assert b"".join(DatabaseStore(engine).read("a" * 64)) == content
    return int(case["id"])


def _raw_database(db_url: str, engine) -> bytes:  # type: ignore[no-untyped-def]
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        engine.dispose()
        path = Path(url.database or "")
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    schema = url.query["options"].split("search_path=")[1]
    dump = subprocess.run(
        [
            shutil.which("pg_dump") or "pg_dump",
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "-n",
            schema,
            url.database or "",
        ],
        check=True,
        capture_output=True,
    )
    assert b"CREATE TABLE" in dump.stdout and b"answer_sets" in dump.stdout
    return dump.stdout


def test_cpr_and_health_sentence_are_not_in_the_database_but_reach_their_readers(
    app, login, db_url
) -> None:  # type: ignore[no-untyped-def]
    case_id = _store_case(app, login)

    raw = _raw_database(db_url, app.extensions["forms_service.engine"])
    assert b"SP-KRYPT-1" in raw  # the file read is the database the case went to
    assert b"fse1:t1:" in raw
    for spelling in FORBIDDEN:
        assert spelling not in raw, spelling
    # a masked number is no personal data and may stay (the audit log's details)
    kbh = client_as(app, login, "kbh")
    receipt = kbh.get(f"/api/v1/cases/{case_id}/submissions/latest/pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")
    detail = client_as(app, login, "sp").get(f"/api/v1/cases/{case_id}").json
    assert any(e.get("reason") == f"Uddyb venligst: {HEALTH}" for e in detail["events"])

    page = kbh.get(f"/cases/{case_id}").get_data(as_text=True)
    assert NAME in page and "230457-****" in page
    form = kbh.get(f"/cases/{case_id}/form").get_data(as_text=True)
    assert "Kvasirsyndrom med daglige smerteanfald" in form

    masked = kbh.get(answers_url(case_id)).json["latest"]["answers"]
    assert masked["cpr"] == "230457-****"
    full = kbh.get(answers_url(case_id) + "?cpr=full").json["latest"]["answers"]
    assert full["cpr"] == "2304572913" and full["faglig_forklaring"].endswith(HEALTH)

    word = kbh.get(f"/documents/cases/{case_id}/form.docx")
    assert word.status_code == 200
    document = Document(io.BytesIO(word.data))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert HEALTH in text

    # found by CPR through the blind index, in either spelling; not by part of it
    sp = client_as(app, login, "sp")
    for search in ("230457-2913", "2304572913"):
        found = sp.get(f"/api/v1/cases/?search={search}").json
        assert [c["id"] for c in found["items"]] == [case_id], search
    assert sp.get("/api/v1/cases/?search=230457").json["items"] == []
    listed = sp.get("/cases/?search=230457-2913").get_data(as_text=True)
    assert "SP-KRYPT-1" in listed
    # the municipality's scope still applies to a CPR search
    ringsted = client_as(app, login, "ringsted")
    assert ringsted.get(f"/api/v1/cases/?search={CPR}").json["items"] == []


REPORTING_TABLES = ("case_metrics", "status_daily", "finding_daily", "case_findings")
# the only text the reporting tables may hold: codes and ids of forms, statuses and criteria
REPORTING_TEXT = {"form", "form_version", "status", "decision_outcome", "kind", "ref"}


def test_reporting_tables_hold_nothing_to_decrypt() -> None:
    """Reports read only these tables: no encrypted column, and no free text or name."""
    from sqlalchemy import String

    from forms_service import wiring  # noqa: F401  (every package's tables)
    from forms_service.cases.encrypted import encrypted_columns
    from forms_service.cases.models import Base

    assert not set(REPORTING_TABLES) & set(encrypted_columns(Base.metadata))
    for name in REPORTING_TABLES:
        table = Base.metadata.tables[name]
        texts = {c.name for c in table.columns if isinstance(c.type, String)}
        assert texts <= REPORTING_TEXT, (name, texts - REPORTING_TEXT)
    # and the personal data of cases is all encrypted
    assert {"cpr", "citizen_name", "assignment_note"} <= {
        column for column, _ in encrypted_columns(Base.metadata)["cases"]
    }
    assert {"answers", "completeness"} <= {
        column for column, _ in encrypted_columns(Base.metadata)["answer_sets"]
    }
