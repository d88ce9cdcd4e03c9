"""The documents of cases as plain data, for the documents that list them (the filled-in Word
form, the archival PDF, bulk runs whose workers never touch the database)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.attachments.models import AttachmentRow
from forms_service.attachments.scan import SCAN_LABELS


def document_entries(session: Session, case_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """``{case_id: [{path, filename, content_type, size, sha256, scan, uploaded_by,
    uploaded_at}, ...]}`` in path order, JSON-able."""
    ids = list(case_ids)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    rows = session.scalars(
        select(AttachmentRow)
        .where(AttachmentRow.case_id.in_(ids))
        .order_by(AttachmentRow.case_id, AttachmentRow.path, AttachmentRow.id)
    )
    for row in rows:
        found[row.case_id].append(
            {
                "path": row.path,
                "filename": row.filename,
                "content_type": row.content_type,
                "size": row.size,
                "sha256": row.sha256,
                "scan": SCAN_LABELS.get(row.scan_status, row.scan_status),
                "uploaded_by": row.uploaded_by_name,
                "uploaded_at": row.uploaded_at.isoformat(),
            }
        )
    return found
