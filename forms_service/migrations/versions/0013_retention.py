"""retention, legal hold, deletion log, access log (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # reserved in the chain so parallel work keeps one head; filled in by its issue or removed
    pass


def downgrade() -> None:
    pass
