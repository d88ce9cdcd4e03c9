"""versions in force, pilot versions, effort events (issue 19)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # reserved in the chain so parallel work keeps one head; filled in by its issue or removed
    pass


def downgrade() -> None:
    pass
