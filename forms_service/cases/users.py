"""Local user accounts, password hashes and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from forms_service.cases import login_sessions
from forms_service.cases.models import ApiToken, User, utcnow
from forms_service.cases.roles import Actor, Role
from forms_service.seniorpension.municipalities import municipality_by_code

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "fs_"  # noqa: S105 - a visible prefix, not a secret
# A hash to compare against when the user does not exist, so a failed login for an unknown
# user costs the same time as one with a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-" + secrets.token_hex(8))


class UserError(ValueError):
    """A user cannot be created or changed as asked; the text is Danish."""


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # werkzeug's default: scrypt


def create_user(
    session: Session,
    username: str,
    *,
    role: Role | str,
    password: str | None = None,
    password_hash: str | None = None,
    display_name: str | None = None,
    municipality_code: int | None = None,
) -> User:
    """A new active user. Give ``password``, or a ready werkzeug ``password_hash`` (imports)."""
    role = Role(role)
    username = username.strip()
    if not username:
        raise UserError("Brugernavnet må ikke være tomt.")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise UserError(f"Brugeren '{username}' findes allerede.")
    if password_hash is None and (password is None or len(password) < MIN_PASSWORD_LENGTH):
        raise UserError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")
    if role is Role.MUNICIPAL_CASEWORKER:
        if municipality_code is None:
            raise UserError("En kommunal sagsbehandler skal knyttes til en kommune.")
        try:
            municipality_code = municipality_by_code(municipality_code).code
        except KeyError:
            raise UserError(f"Ukendt kommunekode: {municipality_code}.") from None
    elif municipality_code is not None:
        raise UserError("Kun kommunale sagsbehandlere knyttes til en kommune.")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=password_hash or hash_password(password or ""),
        role=role.value,
        municipality_code=municipality_code,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> int:
    """A new password; ends every login session of the user (how many were open)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")
    user.password_hash = hash_password(password)
    return login_sessions.end_all(session, user.id, "password_changed")


def deactivate(session: Session, user: User) -> int:
    """The user can no longer log in; their login sessions end now (how many were open).
    API tokens of an inactive user are refused already (``user_for_token``)."""
    user.active = False
    return login_sessions.end_all(session, user.id, "deactivated")


def actor_of(user: User) -> Actor:
    return Actor(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        municipality_code=user.municipality_code,
        display_name=user.display_name,
    )


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def verify_password(session: Session, username: str, password: str) -> User | None:
    """The active user if the password is right; None otherwise (same cost either way)."""
    user = user_by_username(session, username.strip())
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, user: User, name: str | None = None) -> str:
    """A new API token for ``user``; only its hash is stored, so show it now or never."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), name=name))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    api_token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if api_token is None or not api_token.user.active:
        return None
    now = utcnow()
    # Write "last used" at most once a minute: API clients poll, the row need not churn.
    if api_token.last_used_at is None or now - api_token.last_used_at > dt.timedelta(minutes=1):
        api_token.last_used_at = now
    return api_token.user
