"""document jobs and their output kept in the database (issue 12)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Reserved for issue 12; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
