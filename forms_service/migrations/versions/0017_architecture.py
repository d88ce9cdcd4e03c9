"""architecture pass (issue 12)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # reserved in the chain so parallel work keeps one head; filled in by its issue or removed
    pass


def downgrade() -> None:
    pass
