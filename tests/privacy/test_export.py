"""The citizen's right of access: the export holds everything about one person and no one else."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import docx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.attachments.store import DatabaseStore
from forms_service.cases.models import AnswerSet, AuditEntry, Case, CaseEvent
from forms_service.cases.roles import Actor, Role
from forms_service.privacy.export import JSON_NAME, WORD_NAME, ExportError, export_person

from .conftest import PEOPLE

ADMIN = Actor(id=None, username="admin", role=Role.ADMIN, display_name="Test admin")


def _word_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_export_is_complete_against_the_case_data(
    db_session: Session,
    db_engine: Any,
    history: Callable[..., Case],
    attach: Callable[..., str],
) -> None:
    store = DatabaseStore(db_engine)
    first = history(
        "anna",
        applied=dt.date(2024, 1, 5),
        drafted=dt.date(2024, 2, 1),
        submitted=dt.date(2024, 2, 20),
        decided=dt.date(2024, 4, 2),
    )
    second = history("anna", applied=dt.date(2025, 6, 1), drafted=dt.date(2025, 6, 20))
    other = history("bent", applied=dt.date(2025, 6, 1), drafted=dt.date(2025, 6, 20))
    attach(first, b"%PDF-1.4 speciallaegeerklaering anna")
    attach(other, b"%PDF-1.4 bent's document")
    audit_before = {
        c.id: db_session.scalar(select(func.count()).where(AuditEntry.case_id == c.id))
        for c in (first, second)
    }

    result = export_person(db_session, store, PEOPLE["anna"]["cpr"], ADMIN)
    assert (result.cases, result.documents) == (2, 1)
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    payload = json.loads(archive.read(JSON_NAME))
    assert [c["case_number"] for c in payload["cases"]] == [first.case_number, second.case_number]

    for record, case in zip(payload["cases"], (first, second), strict=True):
        assert record["cpr"] == PEOPLE["anna"]["cpr"].replace("-", "")
        assert record["citizen_name"] == PEOPLE["anna"]["citizen_name"]
        stored = list(
            db_session.scalars(
                select(AnswerSet).where(AnswerSet.case_id == case.id).order_by(AnswerSet.sequence)
            )
        )
        assert [
            (a["sequence"], a["kind"], a["answers"], a["completeness"])
            for a in record["answer_sets"]
        ] == [(a.sequence, a.kind, a.answers, a.completeness) for a in stored]
        events = list(
            db_session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
        )
        assert [(e["to_status"], e["reason"]) for e in record["events"]] == [
            (e.to_status, e.reason) for e in events
        ]
        # every audit row written before the export (who read or changed the case)
        assert len(record["access_log"]) == audit_before[case.id]
    assert PEOPLE["health_sentence"] in json.dumps(payload, ensure_ascii=False)

    # the document itself, byte for byte
    names = [n for n in archive.namelist() if n.startswith("dokumenter/")]
    assert len(names) == 1 and names[0].startswith(f"dokumenter/{first.case_number}/")
    assert archive.read(names[0]) == b"%PDF-1.4 speciallaegeerklaering anna"

    # nothing of the other person anywhere in the zip
    everything = b"".join(archive.read(n) for n in archive.namelist())
    word = _word_text(archive.read(WORD_NAME))
    for text in (other.case_number, PEOPLE["bent"]["citizen_name"], "bent's document"):
        assert text.encode() not in everything and text not in word

    # the Word summary is readable: each case, the person's name, the access log heading
    assert first.case_number in word and second.case_number in word
    assert PEOPLE["anna"]["citizen_name"] in word
    assert "Hvem har læst eller ændret sagen" in word
    assert "Oprettede sagen" in word and "case.create" not in word  # the log in Danish

    # the export itself is in each case's audit log, by the admin, without the CPR
    for case in (first, second):
        entries = list(
            db_session.scalars(
                select(AuditEntry).where(
                    AuditEntry.case_id == case.id, AuditEntry.action == "gdpr.export"
                )
            )
        )
        assert [e.actor for e in entries] == ["admin"]
        assert PEOPLE["anna"]["cpr"][:6] not in json.dumps(entries[0].details)


def test_export_of_a_person_without_cases_says_so(db_session: Session, db_engine: Any) -> None:
    result = export_person(db_session, DatabaseStore(db_engine), "311299-1230", ADMIN)
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    assert json.loads(archive.read(JSON_NAME))["cases"] == []
    assert "ingen sager" in _word_text(archive.read(WORD_NAME))


def test_export_refuses_a_malformed_number(db_session: Session, db_engine: Any) -> None:
    with pytest.raises(ExportError, match="gyldigt CPR-nummer"):
        export_person(db_session, DatabaseStore(db_engine), "12345", ADMIN)
