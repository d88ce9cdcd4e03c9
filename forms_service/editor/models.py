"""Tables of the form editor: drafts with their revisions, published versions, pilot previews.

The schema is owned by the Alembic migration ``0003_editor``.

- ``definition_versions`` holds every version published (or imported) through the editor: the
  definition's JSON, its content hash, the change note, who and when (the changelog). Rows are
  never updated or deleted; the mapper refuses both, so no route can change a published version.
- ``definition_drafts`` is one draft per row; ``revision`` is its optimistic-locking counter
  (every save is ``... WHERE revision = <the revision the editor started from>``), and every
  saved revision is kept in ``definition_draft_revisions`` so a refused save can be shown what
  changed meanwhile.
- ``draft_preview_links`` lets named pilot municipalities open a draft; their test answers are
  kept in ``draft_test_answers``, never in ``answer_sets`` with the real cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_service.cases.models import Base, UtcDateTime, utcnow

DRAFT_OPEN = "open"
DRAFT_PUBLISHED = "published"
DRAFT_DISCARDED = "discarded"

SOURCE_EDITOR = "editor"
SOURCE_IMPORT = "import"


class PublishedVersion(Base):
    __tablename__ = "definition_versions"
    __table_args__ = (UniqueConstraint("form", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    based_on: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # SOURCE_EDITOR | SOURCE_IMPORT
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_by_name: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # the impact on open cases the editor acknowledged when publishing (counts and case
    # numbers; None: the publish had no impact) (issue 19, migration 0015)
    impact: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    @property
    def ref(self) -> str:
        return f"{self.form}@{self.version}"


@event.listens_for(PublishedVersion, "before_update")
def _refuse_version_update(*_: object) -> None:
    raise RuntimeError("a published form version is immutable")


@event.listens_for(PublishedVersion, "before_delete")
def _refuse_version_delete(*_: object) -> None:
    raise RuntimeError("a published form version is immutable")


class DefinitionDraft(Base):
    __tablename__ = "definition_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(50))
    based_on: Mapped[str | None] = mapped_column(String(50))
    # the text as the editor saved it: an invalid (even unparsable) draft is kept as written
    content_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT_OPEN)
    revision: Mapped[int] = mapped_column(Integer)
    problem_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_by_name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    revisions: Mapped[list[DraftRevision]] = relationship(
        back_populates="draft", order_by="DraftRevision.revision", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012

    @property
    def ref(self) -> str:
        return f"{self.form}@{self.version}"


class DraftRevision(Base):
    __tablename__ = "definition_draft_revisions"
    __table_args__ = (UniqueConstraint("draft_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("definition_drafts.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    content_text: Mapped[str] = mapped_column(Text)
    saved_by_name: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    draft: Mapped[DefinitionDraft] = relationship(back_populates="revisions")


class PreviewLink(Base):
    __tablename__ = "draft_preview_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("definition_drafts.id", ondelete="CASCADE"), index=True
    )
    municipalities: Mapped[list[int]] = mapped_column(JSON)
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    draft: Mapped[DefinitionDraft] = relationship()


class TestAnswers(Base):
    """A pilot municipality's (or an editor's) test answers to a draft: never a real case."""

    __tablename__ = "draft_test_answers"
    __test__ = False  # not a pytest class, whatever its name

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("definition_drafts.id", ondelete="CASCADE"), index=True
    )
    draft_revision: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_preview_links.id", ondelete="SET NULL")
    )
    municipality_code: Mapped[int | None] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    completeness: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
