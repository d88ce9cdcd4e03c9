"""Who read or changed a case: the audit log as Seniorpension's caseworker reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.cases.models import AuditEntry, User

ACTION_LABELS: dict[str, str] = {
    "case.create": "Oprettede sagen",
    "case.read": "Åbnede sagen",
    "case.transition": "Ændrede sagens status",
    "answers.save_draft": "Gemte en kladde",
    "answers.submit": "Indsendte skemaet",
    "answers.cpr_read": "Læste det fulde CPR-nummer (API)",
    "attachment.upload": "Uploadede et dokument",
    "attachment.download": "Hentede et dokument",
    "attachment.remove": "Fjernede et dokument",
    "attachment.remove_row": "Fjernede en række med dokumenter",
    "archive.download": "Hentede en arkiveret indsendelse (PDF)",
    "documents.case_form": "Hentede skemaet som Word",
    "documents.bulk": "Dannede Word-dokumenter i bunke",
    "legal_hold.set": "Tilbageholdt mod sletning",
    "legal_hold.released": "Tilbageholdelse ophævet",
    "retention.removed": "Personoplysninger slettet (opbevaringsfrist)",
    "gdpr.export": "Indsigt udleveret til borgeren",
    "version.move": "Flyttede sagen til en anden skemaversion",
}


@dataclass(frozen=True, slots=True)
class AccessLogLine:
    at: dt.datetime
    who: str
    action: str


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def access_log(
    session: Session, case_id: int, *, limit: int = 200
) -> tuple[list[AccessLogLine], int]:
    """The case's latest ``limit`` audit lines, newest first, and how many there are in all."""
    total = session.scalar(select(func.count()).where(AuditEntry.case_id == case_id)) or 0
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, User.display_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.case_id == case_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    lines = [
        AccessLogLine(
            at=row.at,
            who=f"{row.display_name} ({row.actor})" if row.display_name else row.actor,
            action=action_label(row.action),
        )
        for row in rows
    ]
    return lines, int(total)
