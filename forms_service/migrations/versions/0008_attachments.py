"""uploaded documents and archival PDFs of submissions (issue 16)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Reserved for issue 16; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
