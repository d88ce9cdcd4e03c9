"""The archival PDF of each submission: its sha256 and size, the bytes in the blob store.

One row per submitted answer set, written in the same transaction as the submission and never
changed afterwards. The schema is owned by the Alembic migration ``0008_attachments``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from forms_service.cases.models import Base, UtcDateTime, utcnow


class SubmissionArchive(Base):
    __tablename__ = "submission_archives"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_set_id: Mapped[int] = mapped_column(
        ForeignKey("answer_sets.id", ondelete="CASCADE"), unique=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # the submission's number among the case's submissions: 1, 2, … (GET …/submissions/<n>/pdf)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


@event.listens_for(SubmissionArchive, "before_update")
def _refuse_archive_update(*_: object) -> None:
    raise RuntimeError("an archived submission never changes")
