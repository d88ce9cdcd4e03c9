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
from forms_service.cases.roles import Actor, Role
from forms_service.cases.users import actor_of, verify_password
from forms_service.sso.accounts import is_external
from forms_service.sso.config import LocalLogin


class IdentityProvider(Protocol):
    name: str

    def authenticate(self, session: Session, username: str, password: str) -> Actor | None:
        """The actor for these credentials, or None."""
        ...

    def load(self, session: Session, user_id: int) -> Actor | None:
        """The actor stored in a session cookie, or None if the user is gone or inactive."""
        ...


class LocalIdentityProvider:
    """Accounts in the ``users`` table with werkzeug password hashes.

    ``local_login`` narrows who may use a password once an identity provider signs staff in:
    everyone (the embedded demo), break-glass administrators only, or no one.
    """

    name = "local"

    def __init__(self, local_login: LocalLogin = LocalLogin.ALL) -> None:
        self.local_login = local_login

    def authenticate(self, session: Session, username: str, password: str) -> Actor | None:
        if self.local_login is LocalLogin.OFF:
            return None
        user = verify_password(session, username, password)
        if user is None:
            return None
        if self.local_login is LocalLogin.ADMINS and user.role != Role.ADMIN.value:
            return None
        if is_external(session, user.id):
            return None  # a provider's account signs in only through it, password set or not
        return actor_of(user)

    def load(self, session: Session, user_id: int) -> Actor | None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            return None
        return actor_of(user)


def identity_provider() -> IdentityProvider:
    return current_app.extensions["forms_service.identity"]  # type: ignore[no-any-return]
