"""form editor: drafts with revisions, published versions (the changelog), pilot preview
links and their test answers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "definition_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("based_on", sa.String(length=50), nullable=True),
        sa.Column("content_text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_definition_drafts_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_drafts")),
    )
    with op.batch_alter_table("definition_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_definition_drafts_form"), ["form"], unique=False)

    op.create_table(
        "definition_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("based_on", sa.String(length=50), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("published_by_name", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["users.id"],
            name=op.f("fk_definition_versions_published_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_versions")),
        sa.UniqueConstraint("form", "version", name=op.f("uq_definition_versions_form_version")),
    )
    op.create_table(
        "definition_draft_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content_text", sa.Text(), nullable=False),
        sa.Column("saved_by_name", sa.String(length=200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["definition_drafts.id"],
            name=op.f("fk_definition_draft_revisions_draft_id_definition_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_draft_revisions")),
        sa.UniqueConstraint(
            "draft_id", "revision", name=op.f("uq_definition_draft_revisions_draft_id_revision")
        ),
    )
    with op.batch_alter_table("definition_draft_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_definition_draft_revisions_draft_id"), ["draft_id"], unique=False
        )

    op.create_table(
        "draft_preview_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("municipalities", sa.JSON(), nullable=False),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["definition_drafts.id"],
            name=op.f("fk_draft_preview_links_draft_id_definition_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_preview_links")),
    )
    with op.batch_alter_table("draft_preview_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_preview_links_draft_id"), ["draft_id"], unique=False
        )

    op.create_table(
        "draft_test_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("draft_revision", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("municipality_code", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("completeness", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_draft_test_answers_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["definition_drafts.id"],
            name=op.f("fk_draft_test_answers_draft_id_definition_drafts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["draft_preview_links.id"],
            name=op.f("fk_draft_test_answers_link_id_draft_preview_links"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_test_answers")),
    )
    with op.batch_alter_table("draft_test_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_test_answers_draft_id"), ["draft_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("draft_test_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_test_answers_draft_id"))

    op.drop_table("draft_test_answers")
    with op.batch_alter_table("draft_preview_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_preview_links_draft_id"))

    op.drop_table("draft_preview_links")
    with op.batch_alter_table("definition_draft_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_definition_draft_revisions_draft_id"))

    op.drop_table("definition_draft_revisions")
    op.drop_table("definition_versions")
    with op.batch_alter_table("definition_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_definition_drafts_form"))

    op.drop_table("definition_drafts")
