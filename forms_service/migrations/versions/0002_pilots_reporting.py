"""pilots, pilot feedback and the per-case reporting facts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pilots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("candidate_version", sa.String(length=50), nullable=False),
        sa.Column("comparison_version", sa.String(length=50), nullable=False),
        sa.Column("comparison_scope", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilots")),
        sa.UniqueConstraint("name", name=op.f("uq_pilots_name")),
    )
    op.create_table(
        "pilot_municipalities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_pilot_municipalities_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_municipalities")),
        sa.UniqueConstraint(
            "pilot_id",
            "municipality_code",
            name=op.f("uq_pilot_municipalities_pilot_id_municipality_code"),
        ),
    )
    with op.batch_alter_table("pilot_municipalities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pilot_municipalities_municipality_code"), ["municipality_code"]
        )

    op.create_table(
        "pilot_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=True),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("section_id", sa.String(length=100), nullable=True),
        sa.Column("field_id", sa.String(length=100), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_pilot_feedback_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_pilot_feedback_pilot_id_pilots"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_feedback")),
    )
    with op.batch_alter_table("pilot_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_feedback_pilot_id"), ["pilot_id"])
        batch_op.create_index("ix_pilot_feedback_form_version", ["form", "version"])

    op.create_table(
        "case_metrics",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=True),
        sa.Column("first_submitted_on", sa.Date(), nullable=True),
        sa.Column("sufficient_at_submission", sa.Boolean(), nullable=True),
        sa.Column("known_citizen", sa.Boolean(), nullable=True),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("drafts", sa.Integer(), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_metrics_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_case_metrics_pilot_id_pilots"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_metrics")),
    )
    with op.batch_alter_table("case_metrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_metrics_pilot_id"), ["pilot_id"])
        batch_op.create_index("ix_case_metrics_first_submitted_on", ["first_submitted_on"])

    op.create_table(
        "case_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_findings_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_findings")),
    )
    with op.batch_alter_table("case_findings", schema=None) as batch_op:
        batch_op.create_index("ix_case_findings_case_id_kind", ["case_id", "kind"])

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_application_date_municipality", ["application_date", "municipality_code"]
        )
        batch_op.create_index(
            "ix_cases_form_version_application_date", ["form", "form_version", "application_date"]
        )

    # Cases that exist already get an empty metrics row; `forms-service reporting rebuild`
    # fills in their history.
    op.execute(
        "INSERT INTO case_metrics (case_id, returns, drafts, submissions) "
        "SELECT id, 0, 0, 0 FROM cases"
    )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_form_version_application_date")
        batch_op.drop_index("ix_cases_application_date_municipality")
    with op.batch_alter_table("case_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_case_findings_case_id_kind")
    op.drop_table("case_findings")
    with op.batch_alter_table("case_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_case_metrics_first_submitted_on")
        batch_op.drop_index(batch_op.f("ix_case_metrics_pilot_id"))
    op.drop_table("case_metrics")
    with op.batch_alter_table("pilot_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_pilot_feedback_form_version")
        batch_op.drop_index(batch_op.f("ix_pilot_feedback_pilot_id"))
    op.drop_table("pilot_feedback")
    with op.batch_alter_table("pilot_municipalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_municipalities_municipality_code"))
    op.drop_table("pilot_municipalities")
    op.drop_table("pilots")
