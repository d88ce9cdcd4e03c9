"""publish impact acknowledgement (issue 19)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # reserved in the chain so parallel work keeps one head; filled in by its issue or removed
    pass


def downgrade() -> None:
    pass
