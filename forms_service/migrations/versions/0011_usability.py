"""usability round (issue 15)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Reserved for issue 15; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
