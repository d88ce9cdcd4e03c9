"""The citizen's right of access (GDPR art. 15): everything held about one CPR number.

``export_person`` finds the person's cases through the CPR blind index (never by decrypting
every case) and writes one zip:

- ``indsigt.json``: every case with its facts, every answer set (answers and completeness
  report, drafts included), the case events with their reasons, legal holds, notifications
  (what e-mails and webhooks said), the uploaded documents and archival PDFs listed, and the
  audit log of who read or changed the case;
- ``indsigt.docx``: the same as a readable Danish summary (the project's Word renderer);
- ``dokumenter/<sagsnummer>/…`` and ``arkiv/<sagsnummer>/…``: the documents themselves.

The export is itself recorded in the audit log of each case (who made it, never the CPR).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.archive.models import SubmissionArchive
from forms_service.attachments.models import AttachmentRow
from forms_service.attachments.store import BlobStore
from forms_service.cases import audit, crypto
from forms_service.cases.lifecycle import OUTCOME_LABELS, STATUS_LABELS, Outcome, Status
from forms_service.cases.models import AnswerSet, AuditEntry, Case, CaseEvent, utcnow
from forms_service.cases.roles import Actor
from forms_service.danish import date_long
from forms_service.notifications.models import NotificationEvent
from forms_service.privacy.access_log import action_label
from forms_service.privacy.models import LegalHold, RetentionLogEntry
from forms_service.seniorpension.cpr import format_cpr, is_valid_cpr, normalize_cpr

JSON_NAME = "indsigt.json"
WORD_NAME = "indsigt.docx"


class ExportError(ValueError):
    """The export cannot be made (a CPR number that is not valid), in Danish."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    data: bytes  # the zip
    cases: int
    documents: int


def cases_of(session: Session, cpr: str) -> list[Case]:
    """The person's cases, found by the blind index of the normalised number."""
    query = (
        select(Case)
        .where(Case.cpr_index == crypto.blind_index(normalize_cpr(cpr)))
        .order_by(Case.application_date, Case.id)
    )
    return list(session.scalars(query))


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _status_label(status: str | None) -> str:
    try:
        return STATUS_LABELS[Status(status)] if status else ""
    except ValueError:
        return status or ""


def _outcome_label(outcome: str | None) -> str:
    try:
        return OUTCOME_LABELS[Outcome(outcome)] if outcome else ""
    except ValueError:
        return outcome or ""


def _of_case(session: Session, model: Any, case_id: int, order: Any) -> list[Any]:
    """Every row of ``model`` that belongs to the case, in ``order``."""
    return list(session.scalars(select(model).where(model.case_id == case_id).order_by(order)))


def case_record(session: Session, case: Case) -> dict[str, Any]:
    """One case as the export's JSON holds it."""
    answer_sets = _of_case(session, AnswerSet, case.id, AnswerSet.sequence)
    events = _of_case(session, CaseEvent, case.id, CaseEvent.id)
    attachments = _of_case(session, AttachmentRow, case.id, AttachmentRow.id)
    archives = _of_case(session, SubmissionArchive, case.id, SubmissionArchive.number)
    holds = _of_case(session, LegalHold, case.id, LegalHold.id)
    notifications = _of_case(session, NotificationEvent, case.id, NotificationEvent.id)
    audit_entries = _of_case(session, AuditEntry, case.id, AuditEntry.id)
    retention = _of_case(session, RetentionLogEntry, case.id, RetentionLogEntry.id)
    return {
        **_case_fields(case),
        "answer_sets": [_answer_set_record(a) for a in answer_sets],
        "events": [_event_record(e) for e in events],
        "documents": [_document_record(d) for d in attachments],
        "archived_submissions": [
            {"number": r.number, "sha256": r.sha256, "size": r.size, "at": _iso(r.created_at)}
            for r in archives
        ],
        "legal_holds": [_hold_record(h) for h in holds],
        "notifications": [
            {"type": n.type, "occurred_at": _iso(n.occurred_at), "data": n.data}
            for n in notifications
        ],
        "access_log": [_access_record(entry) for entry in audit_entries],
        "retention": [{"at": _iso(r.at), "rule": r.rule, "removed": r.removed} for r in retention],
    }


def _case_fields(case: Case) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "cpr": case.cpr,
        "citizen_name": case.citizen_name,
        "application_date": _iso(case.application_date),
        "request_date": _iso(case.request_date),
        "municipality_code": case.municipality_code,
        "form": case.form,
        "form_version": case.form_version,
        "status": case.status,
        "decision_outcome": case.decision_outcome,
        "municipality_deadline": _iso(case.municipality_deadline),
        "decision_deadline": _iso(case.decision_deadline),
        "assignment_note": case.assignment_note,
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
        "anonymised_at": _iso(case.anonymised_at),
    }


def _answer_set_record(a: AnswerSet) -> dict[str, Any]:
    return {
        "sequence": a.sequence,
        "kind": a.kind,
        "form": a.form,
        "version": a.version,
        "created_at": _iso(a.created_at),
        "created_by": a.created_by_name,
        "answers": a.answers,
        "completeness": a.completeness,
    }


def _event_record(e: CaseEvent) -> dict[str, Any]:
    return {
        "at": _iso(e.at),
        "from_status": e.from_status,
        "to_status": e.to_status,
        "outcome": e.outcome,
        "by": e.actor_name,
        "reason": e.reason,
        "requested_fields": e.requested_fields,
    }


def _document_record(d: AttachmentRow) -> dict[str, Any]:
    return {
        "id": d.id,
        "path": d.path,
        "filename": d.filename,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "uploaded_at": _iso(d.uploaded_at),
        "uploaded_by": d.uploaded_by_name,
    }


def _hold_record(h: LegalHold) -> dict[str, Any]:
    return {
        "reason": h.reason,
        "set_at": _iso(h.set_at),
        "set_by": h.set_by_name,
        "released_at": _iso(h.released_at),
        "released_by": h.released_by_name,
    }


def _access_record(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": _iso(entry.at),
        "who": entry.actor,
        "action": entry.action,
        "details": entry.details,
    }


def _document_name(number: str, row: dict[str, Any]) -> str:
    # the id first: two uploads may carry the same file name
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in row["filename"])
    return f"dokumenter/{number}/{row['id']}-{safe or 'dokument'}"


def export_person(
    session: Session,
    store: BlobStore,
    cpr: str,
    actor: Actor,
    *,
    now: dt.datetime | None = None,
) -> ExportResult:
    """The zip of everything held about ``cpr``; each case's audit log records the export."""
    try:
        valid = is_valid_cpr(normalize_cpr(cpr or ""))
    except ValueError:
        valid = False
    if not valid:
        raise ExportError("Angiv et gyldigt CPR-nummer (10 cifre, evt. med bindestreg).")
    now = now or utcnow()
    cases = cases_of(session, cpr)
    records = [case_record(session, case) for case in cases]
    payload = {
        "generated_at": now.isoformat(),
        "generated_by": actor.username,
        "cpr": format_cpr(normalize_cpr(cpr)),
        "cases": records,
    }
    buffer = io.BytesIO()
    documents = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        archive.writestr(WORD_NAME, render_summary(payload, now))
        for record in records:
            for row in record["documents"]:
                archive.writestr(
                    _document_name(record["case_number"], row), b"".join(store.read(row["sha256"]))
                )
                documents += 1
            for row in record["archived_submissions"]:
                name = f"arkiv/{record['case_number']}/indsendelse-{row['number']}.pdf"
                archive.writestr(name, b"".join(store.read(row["sha256"])))
                documents += 1
    for case in cases:
        audit.record(
            session,
            actor,
            "gdpr.export",
            case_id=case.id,
            details={"cases": len(cases), "documents": documents},
            at=now,
        )
    session.commit()
    return ExportResult(buffer.getvalue(), len(cases), documents)


# --- the Word summary ---------------------------------------------------------------------------

ACCESS_EXPORT_KEYS = frozenset({"title", "person", "made_on", "intro", "cases", "no_cases"})


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _when(iso: str | None) -> str:
    if not iso:
        return "–"
    moment = dt.datetime.fromisoformat(iso)
    return f"{date_long(moment.date())} kl. {moment:%H.%M}"


def summary_context(payload: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    cases = []
    for record in payload["cases"]:
        latest = record["answer_sets"][-1] if record["answer_sets"] else None
        answers = sorted((latest or {}).get("answers", {}).items()) if latest else []
        cases.append(
            {
                "title": f"Sag {record['case_number']}",
                "facts": [
                    ["Navn", _text(record["citizen_name"])],
                    ["Ansøgt", date_long(record["application_date"]) or "–"],
                    ["Kommune (kode)", _text(record["municipality_code"])],
                    ["Skema", f"{record['form']} version {record['form_version']}"],
                    ["Status", _status_label(record["status"])],
                    ["Afgørelse", _outcome_label(record["decision_outcome"]) or "–"],
                    ["Gemte besvarelser", str(len(record["answer_sets"]))],
                    ["Dokumenter", str(len(record["documents"]))],
                ],
                "tables": [
                    {
                        "title": "Seneste besvarelse",
                        "headings": ["Felt", "Svar"],
                        "rows": [[key, _text(value)] for key, value in answers],
                    },
                    {
                        "title": "Sagens forløb",
                        "headings": ["Tidspunkt", "Ny status", "Af", "Begrundelse"],
                        "rows": [
                            [
                                _when(e["at"]),
                                _status_label(e["to_status"]),
                                _text(e["by"]),
                                _text(e["reason"]),
                            ]
                            for e in record["events"]
                        ],
                    },
                    {
                        "title": "Dokumenter",
                        "headings": ["Fil", "Type", "Uploadet", "Af"],
                        "rows": [
                            [
                                d["filename"],
                                d["content_type"],
                                _when(d["uploaded_at"]),
                                _text(d["uploaded_by"]),
                            ]
                            for d in record["documents"]
                        ],
                    },
                    {
                        "title": "Hvem har læst eller ændret sagen",
                        "headings": ["Tidspunkt", "Bruger", "Handling"],
                        "rows": [
                            [_when(a["at"]), a["who"], action_label(a["action"])]
                            for a in record["access_log"]
                        ],
                    },
                ],
            }
        )
    return {
        "title": "Indsigt i oplysninger om dig",
        "person": payload["cpr"],
        "made_on": date_long(now.date()),
        "intro": (
            "Her er de oplysninger, forms-service har om dig i sager om seniorpension: "
            "sagernes oplysninger, alle gemte besvarelser af sagsoplysningsskemaet, "
            "dokumenter og hvem der har læst eller ændret sagerne. Alle detaljer findes i "
            "filen indsigt.json ved siden af dette dokument."
        ),
        "cases": cases,
        "no_cases": not cases,
    }


def render_summary(payload: dict[str, Any], now: dt.datetime) -> bytes:
    from forms_service.documents.kinds import templates_dir
    from forms_service.documents.template import load_template

    template = load_template(templates_dir() / "indsigt.docx", declared=ACCESS_EXPORT_KEYS)
    return template.render(summary_context(payload, now))
