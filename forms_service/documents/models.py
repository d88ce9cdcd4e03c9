"""The documents package's table: bulk jobs, their progress and their zip (Alembic 0006).

Kept in the database so every app instance and every worker sees the same job, whatever
their instance folders; the zip is removed with the job a week after it finished.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forms_service.cases.encrypted import EncryptedBytes
from forms_service.cases.models import Base, UtcDateTime


class DocumentJobRow(Base):
    __tablename__ = "document_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16))  # queued | running | finished | failed
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    backend: Mapped[str] = mapped_column(String(16))  # rq | local
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    output_name: Mapped[str | None] = mapped_column(String(100))
    # the zip of Word documents holds personal data: encrypted at rest
    output: Mapped[bytes | None] = mapped_column(EncryptedBytes(), deferred=True)
