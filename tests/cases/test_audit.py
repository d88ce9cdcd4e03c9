"""The audit log records reads and changes, holds no CPR numbers and cannot be rewritten."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases import audit
from forms_service.cases.lifecycle import Status
from forms_service.cases.models import AuditEntry
from forms_service.cases.roles import Actor, Role
from forms_service.cases.service import CaseService


def test_reads_and_changes_are_audited(
    service_for: Callable[[str], CaseService], new_case: dict[str, Any], db_session: Session
) -> None:
    case = service_for("sp").create_case(
        **new_case, send_to_municipality=True, request_date=dt.date(2026, 2, 1)
    )
    kbh = service_for("kbh")
    kbh.get_case(case.id)
    saved = kbh.save_draft(case.id, {"beskrivelse": "kladde"}, base_revision=case.revision)
    service_for("sp").get_case(case.id)
    kbh.submit(
        case.id, {"beskrivelse": "færdig", "timer_pr_uge": 5}, base_revision=saved.case_revision
    )
    service_for("sp").transition(case.id, Status.RETURNED, reason="Mangler lægeerklæring")

    entries = audit.entries_for_case(db_session, case.id)
    assert [(e.actor, e.action) for e in entries] == [
        ("sp", "case.create"),
        ("kbh", "case.read"),
        ("kbh", "answers.save_draft"),
        ("sp", "case.read"),
        ("kbh", "answers.submit"),
        ("sp", "case.transition"),
    ]
    assert entries[-1].details == {"from": "submitted", "to": "returned", "outcome": None}
    assert entries[2].details["sequence"] == 1
    assert all(e.at.tzinfo is not None for e in entries)
    stored = json.dumps([e.details for e in entries])
    assert "0101601234" not in stored
    assert "010160" not in stored


def test_audit_masks_cpr_in_details(db_session: Session) -> None:
    # masked, not refused: a case number typed like a CPR must not make the action fail
    actor = Actor(id=None, username="x", role=Role.ADMIN)
    entry = audit.record(db_session, actor, "test", details={"note": "borger 010160-1234"})
    assert entry.details == {"note": "borger 010160-****"}


def test_audit_log_is_append_only(db_session: Session) -> None:
    actor = Actor(id=None, username="x", role=Role.ADMIN)
    audit.record(db_session, actor, "test.action", details={"n": 1})
    db_session.commit()
    entry = db_session.scalars(select(AuditEntry)).one()
    entry.action = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db_session.commit()
    db_session.rollback()
    entry = db_session.scalars(select(AuditEntry)).one()
    db_session.delete(entry)
    with pytest.raises(RuntimeError, match="append-only"):
        db_session.commit()
