"""event outbox, e-mail and webhook deliveries (issue 17)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Reserved for issue 17; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
