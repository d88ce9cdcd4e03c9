"""The identity seam: how a user proves who they are.

Views ask the app's ``IdentityProvider`` and get an ``Actor`` back; they never check passwords
themselves. Local accounts are the provider today; a public-sector single sign-on (OIDC via
MitID Erhverv, or SAML) becomes another provider whose ``login_url`` starts the external flow
and whose callback view ends in the same ``login_actor``.
"""

from __future__ import annotations

from typing import Protocol

from flask import current_app
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.roles import Actor
from forms_service.cases.users import actor_of, verify_password


class IdentityProvider(Protocol):
    name: str

    def authenticate(self, session: Session, username: str, password: str) -> Actor | None:
        """The actor for these credentials, or None."""
        ...

    def load(self, session: Session, user_id: int) -> Actor | None:
        """The actor stored in a session cookie, or None if the user is gone or inactive."""
        ...


class LocalIdentityProvider:
    """Accounts in the ``users`` table with werkzeug password hashes."""

    name = "local"

    def authenticate(self, session: Session, username: str, password: str) -> Actor | None:
        user = verify_password(session, username, password)
        return actor_of(user) if user is not None else None

    def load(self, session: Session, user_id: int) -> Actor | None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            return None
        return actor_of(user)


def identity_provider() -> IdentityProvider:
    return current_app.extensions["forms_service.identity"]  # type: ignore[no-any-return]
