"""retention, legal hold, deletion log (issue 18)

``cases.anonymised_at``: when a retention run removed the citizen's data from the case.
``legal_holds``: Seniorpension stops retention for a case, with a reason (encrypted).
``retention_log``: what each run removed, case by case, as counts (no personal data).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by_name", sa.String(length=200), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_legal_holds_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index(op.f("ix_legal_holds_case_id"), "legal_holds", ["case_id"])
    op.create_table(
        "retention_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_log")),
    )
    op.create_index(op.f("ix_retention_log_at"), "retention_log", ["at"])
    op.create_index(op.f("ix_retention_log_case_id"), "retention_log", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_retention_log_case_id"), table_name="retention_log")
    op.drop_index(op.f("ix_retention_log_at"), table_name="retention_log")
    op.drop_table("retention_log")
    op.drop_index(op.f("ix_legal_holds_case_id"), table_name="legal_holds")
    op.drop_table("legal_holds")
    # not batch mode: on SQLite that copies the table, and dropping the old one with foreign
    # keys on cascade-deletes every case's events and answers (SQLite >= 3.35 drops a column
    # in place; see 0012)
    op.drop_column("cases", "anonymised_at")
