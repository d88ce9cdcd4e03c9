"""Tables of retention: legal holds and the log of what a retention run removed.

The schema is owned by the Alembic migration ``0013_retention``. The case itself records when
its personal data was removed (``cases.anonymised_at``), so a second run passes it by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forms_service.cases.encrypted import EncryptedText
from forms_service.cases.models import Base, UtcDateTime, utcnow


class LegalHold(Base):
    """Seniorpension stops retention for one case (a complaint, a court case, an audit).

    A hold is released, never deleted, so the case page and the export show its history.
    """

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # encrypted: a reason may name the citizen ("klage fra Jens Hansen")
    reason: Mapped[str] = mapped_column(EncryptedText())
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    set_by_name: Mapped[str] = mapped_column(String(200))
    released_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    released_by_name: Mapped[str | None] = mapped_column(String(200))


class RetentionLogEntry(Base):
    """What one retention run removed from one case: counts and kinds, never the data.

    No foreign key: the entry is the lasting record that the case's data is gone.
    """

    __tablename__ = "retention_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    run_id: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # decided | withdrawn | unsubmitted_drafts | document_jobs
    rule: Mapped[str] = mapped_column(String(32))
    removed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
