"""versions in force, pilot versions, effort events (issue 19)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # effective dates of versions published in the editor (bundled versions keep theirs in
    # form_definitions/<form>/in-force.toml); a row changes only while its version is not in force
    op.create_table(
        "definition_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(100), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("in_force_from", sa.Date(), nullable=True),
        sa.Column("in_force_until", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(32), nullable=False),
        sa.Column("set_by_name", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_schedules")),
        sa.UniqueConstraint("form", "version", name=op.f("uq_definition_schedules_form_version")),
    )
    # what a running pilot's groups got when a new version of its form was published
    op.create_table(
        "pilot_version_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "pilot_id",
            sa.Integer(),
            sa.ForeignKey(
                "pilots.id", ondelete="CASCADE", name="fk_pilot_version_choices_pilot_id_pilots"
            ),
            nullable=False,
        ),
        sa.Column("published_version", sa.String(50), nullable=False),
        sa.Column("group", sa.String(16), nullable=False),
        sa.Column("choice", sa.String(16), nullable=False),
        sa.Column("previous_version", sa.String(50), nullable=False),
        sa.Column("decided_by_name", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_version_choices")),
    )
    op.create_index("ix_pilot_version_choices_pilot_id", "pilot_version_choices", ["pilot_id"])
    # effort on a case's form: events without personal data (ids of sections and fields only)
    op.create_table(
        "effort_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE", name="fk_effort_events_case_id_cases"),
            nullable=False,
        ),
        sa.Column("form", sa.String(100), nullable=False),
        sa.Column("form_version", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("section_id", sa.String(100), nullable=True),
        sa.Column("field_id", sa.String(100), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_effort_events")),
    )
    op.create_index("ix_effort_events_case_id_at", "effort_events", ["case_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_effort_events_case_id_at", table_name="effort_events")
    op.drop_table("effort_events")
    op.drop_index("ix_pilot_version_choices_pilot_id", table_name="pilot_version_choices")
    op.drop_table("pilot_version_choices")
    op.drop_table("definition_schedules")
