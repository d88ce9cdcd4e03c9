"""Tables of uploaded documents and their stored bytes.

``attachments`` is one uploaded file placed at an answer path of a case (a file name, a type
decided from the content, a size, who uploaded it and when, the virus-scan state). The bytes
live in a blob store addressed by their sha256: ``attachment_blobs`` and ``attachment_chunks``
when the store is the database (the default), a folder otherwise. Two uploads of the same bytes
share one blob.

The schema is owned by the Alembic migration ``0008_attachments``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forms_service.cases.encrypted import EncryptedBytes, EncryptedText
from forms_service.cases.models import Base, UtcDateTime, utcnow


class AttachmentRow(Base):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_case_id_path", "case_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # the answer path as validation problems name it, e.g. helbredsdokumenter[0].dokument
    path: Mapped[str] = mapped_column(String(200))
    # encrypted: a file name often names the citizen ("lægeerklæring Jens Hansen.pdf")
    filename: Mapped[str] = mapped_column(EncryptedText(sqlite_length=255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    scan_status: Mapped[str] = mapped_column(String(16))  # clean | not_scanned
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by_name: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class BlobRow(Base):
    """A stored object of the database blob store, addressed by the sha256 of its bytes."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ChunkRow(Base):
    """One piece of a blob: reads and writes stream piece by piece, never the whole file."""

    __tablename__ = "attachment_chunks"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("attachment_blobs.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    # each chunk its own AES-GCM envelope, so reads still stream a chunk at a time
    data: Mapped[bytes] = mapped_column(EncryptedBytes())
