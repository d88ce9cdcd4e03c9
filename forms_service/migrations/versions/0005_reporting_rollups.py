"""daily roll-ups status_daily and finding_daily, case_metrics.settles_on, covering indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATUS_COUNTS = (
    "received",
    "submitted",
    "waiting",
    "waiting_overdue",
    "municipal_due",
    "municipal_kept",
    "late",
    "sufficient",
    "not_sufficient",
    "returned",
    "decided",
    "decision_kept",
    "decision_due",
    "open_overdue",
    "returns_total",
    "with_drafts",
    "drafts_abandoned",
    "measure_municipal_due",
    "measure_decision_due",
)


def _keys() -> list[sa.Column[object]]:
    return [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("form_version", sa.String(length=50), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "status_daily",
        *_keys(),
        sa.Column("known", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in STATUS_COUNTS],
        sa.PrimaryKeyConstraint(
            "day",
            "municipality_code",
            "form",
            "form_version",
            "known",
            name=op.f("pk_status_daily"),
        ),
    )
    op.create_table(
        "finding_daily",
        *_keys(),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "municipality_code",
            "form",
            "form_version",
            "kind",
            "ref",
            name=op.f("pk_finding_daily"),
        ),
    )
    with op.batch_alter_table("case_metrics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settles_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_case_metrics_settles_on", ["settles_on", "application_date"])
        batch_op.create_index(
            "ix_case_metrics_submitted",
            [
                "form",
                "form_version",
                "returns",
                "submission_days",
                "application_date",
                "municipality_code",
            ],
            sqlite_where=sa.text("first_submitted_on IS NOT NULL"),
            postgresql_where=sa.text("first_submitted_on IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_case_metrics_decisions",
            [
                "status",
                "decision_days",
                "application_date",
                "municipality_code",
                "form",
                "form_version",
                "decision_outcome",
                "decided_on",
            ],
        )

    # Fill settles_on and both roll-ups from the existing rows. The expressions live in one
    # place (the listener and `forms-service reporting rebuild` use the same function).
    from forms_service.reporting import rollup

    rollup.rebuild(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("case_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_case_metrics_decisions")
        batch_op.drop_index("ix_case_metrics_settles_on")
        batch_op.drop_index("ix_case_metrics_submitted")
        batch_op.drop_column("settles_on")
    op.drop_table("finding_daily")
    op.drop_table("status_daily")
