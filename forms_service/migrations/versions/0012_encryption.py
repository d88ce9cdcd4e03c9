"""encryption at rest (issue 18): encrypted columns, blind index, key ids

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # reserved in the chain so parallel work keeps one head; filled in by its issue or removed
    pass


def downgrade() -> None:
    pass
