"""publish impact acknowledgement (issue 19): definition_versions.impact

What publishing a version did to the open cases of its line, as the editor acknowledged it
(counts and case numbers), recorded beside the change note; NULL for a publish without impact
and for the versions published before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("definition_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("impact", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("definition_versions", schema=None) as batch_op:
        batch_op.drop_column("impact")
