"""completeness conditions apart from criteria (issue 11)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Reserved for issue 11; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
