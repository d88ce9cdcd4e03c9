"""case_metrics carries the case columns reports read; covering index on case_findings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COPIED = (
    ("application_date", sa.Date()),
    ("municipality_code", sa.Integer()),
    ("form", sa.String(length=100)),
    ("form_version", sa.String(length=50)),
    ("status", sa.String(length=32)),
    ("decision_outcome", sa.String(length=16)),
    ("request_date", sa.Date()),
    ("municipality_deadline", sa.Date()),
    ("decision_deadline", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("case_metrics", schema=None) as batch_op:
        for name, type_ in COPIED:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column("submission_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decision_days", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_case_metrics_application_date", ["application_date", "municipality_code"]
        )
        batch_op.create_index(
            "ix_case_metrics_form_version_date", ["form", "form_version", "application_date"]
        )
    with op.batch_alter_table("case_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_case_findings_case_id_kind")
        batch_op.create_index("ix_case_findings_case_id_kind_ref", ["case_id", "kind", "ref"])

    # Existing rows: copy from the cases (the day counts follow from the dates).
    assignments = ", ".join(
        f"{name} = (SELECT cases.{name} FROM cases WHERE cases.id = case_metrics.case_id)"  # noqa: S608
        for name, _ in COPIED
    )
    op.execute(f"UPDATE case_metrics SET {assignments}")  # noqa: S608 - fixed names
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "UPDATE case_metrics SET "
            "submission_days = CAST(julianday(first_submitted_on) - julianday(request_date) "
            "AS INTEGER), "
            "decision_days = CAST(julianday(decided_on) - julianday(application_date) AS INTEGER)"
        )
    else:
        op.execute(
            "UPDATE case_metrics SET submission_days = first_submitted_on - request_date, "
            "decision_days = decided_on - application_date"
        )


def downgrade() -> None:
    with op.batch_alter_table("case_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_case_findings_case_id_kind_ref")
        batch_op.create_index("ix_case_findings_case_id_kind", ["case_id", "kind"])
    with op.batch_alter_table("case_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_case_metrics_form_version_date")
        batch_op.drop_index("ix_case_metrics_application_date")
        batch_op.drop_column("decision_days")
        batch_op.drop_column("submission_days")
        for name, _ in reversed(COPIED):
            batch_op.drop_column(name)
