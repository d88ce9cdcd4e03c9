"""effort events by case and kind: ix_effort_events_case_id_kind

The pilot comparison reads one kind of effort event at a time for every submitted case of a
cohort (pilots.effort). By (case_id, at) each case's every event was read from the table to
find its kind; this index finds a case's events of one kind and holds the columns those queries
read (section, seconds, field, time), so they never touch the table, and it is ordered by
section within a case and kind, as the section times are summed. Measured with
benchmarks/bench_reporting.py (benchmarks/README.md).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = ["case_id", "kind", "section_id", "seconds", "field_id", "at"]


def upgrade() -> None:
    op.create_index("ix_effort_events_case_id_kind", "effort_events", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_effort_events_case_id_kind", table_name="effort_events")
