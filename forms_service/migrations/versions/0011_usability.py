"""usability round (issue 15): the fields Seniorpension asks for when it returns a case

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # field ids of the case's form version ("ansaettelser", "helbredsdokumenter"), so the
    # returned case can open with each requested item linked to its field
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("requested_fields", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("requested_fields")
