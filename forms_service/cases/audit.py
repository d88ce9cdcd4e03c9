"""The append-only audit log: who did what to which case, when.

Details are plain JSON without CPR numbers: callers pass ids, statuses, versions, never the
citizen's identity. ``record`` refuses a details dict that contains a CPR-looking value.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.models import AuditEntry, utcnow
from forms_service.cases.roles import Actor
from forms_service.seniorpension.cpr import mask_text


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    details = details or {}
    # Details never hold a CPR number; anything that looks like one (a case number typed
    # as a CPR, say) is masked rather than refused, so the action is still recorded.
    text = mask_text(json.dumps(details, ensure_ascii=False, default=str))
    entry = AuditEntry(
        actor_id=actor.id,
        actor=actor.username,
        action=action,
        case_id=case_id,
        details=json.loads(text),
        at=at or utcnow(),
    )
    session.add(entry)
    return entry


def entries_for_case(session: Session, case_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
    return list(session.scalars(query))
