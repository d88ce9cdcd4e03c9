"""accounts from OpenID Connect and SAML identity providers (issue 20)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Reserved for issue 20; filled in by that work.


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
