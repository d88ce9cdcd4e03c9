"""append-only audit log in the database, server-side sessions (issue 13)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Reserved for issue 13; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
