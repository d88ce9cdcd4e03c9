"""Accounts from an identity provider's word, checked at every sign-in.

The provider is the source of truth for who works where: the role and municipality are taken
from its claims at every sign-in (a change is audited), an account is made at the first sign-in,
and a user the provider no longer vouches for (no mapped role) is deactivated and refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.cases import audit
from forms_service.cases.models import User, utcnow
from forms_service.cases.roles import SYSTEM_ACTOR, Actor, Role
from forms_service.cases.users import actor_of
from forms_service.seniorpension.cpr import mask_text
from forms_service.sso.config import Provider
from forms_service.sso.mapping import claim_values, grant_for
from forms_service.sso.models import ExternalIdentity


class LoginRefused(Exception):
    """The sign-in is refused; ``reason`` is a short code for the audit log and the page."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ExternalLogin:
    """Who the provider says signed in: a stable subject and the claims or attributes."""

    subject: str
    claims: Mapping[str, Any]


def sign_in(session: Session, provider: Provider, login: ExternalLogin) -> Actor:
    """The actor to start a session for, or ``LoginRefused`` (committed either way)."""
    link = session.scalar(
        select(ExternalIdentity).where(
            ExternalIdentity.provider == provider.name,
            ExternalIdentity.subject == login.subject,
        )
    )
    grant = grant_for(login.claims, provider.roles)
    if grant is None:
        who = actor_of(link.user) if link is not None else _stranger(provider, login.subject)
        if link is not None and link.user.active:
            link.user.active = False
            audit.record(
                session,
                who,
                "auth.account_deactivated",
                details={"provider": provider.name, "reason": "no_role"},
            )
        refuse(session, provider, login.subject, "no_role", who)

    now = utcnow()
    if link is None:
        user = User(
            username=_free_username(session, provider, login),
            display_name=_first(login.claims, provider.name_claim) or login.subject,
            password_hash=None,  # signs in only through the provider
            role=grant.role.value,
            municipality_code=grant.municipality_code,
            active=True,
        )
        session.add(user)
        session.flush()
        link = ExternalIdentity(provider=provider.name, subject=login.subject, user_id=user.id)
        session.add(link)
        session.flush()
        audit.record(
            session,
            actor_of(user),
            "auth.account_created",
            details={"provider": provider.name, **_grant_details(grant.role, user)},
        )
    user = link.user
    before = (user.role, user.municipality_code, user.active)
    user.role = grant.role.value
    user.municipality_code = grant.municipality_code
    user.active = True
    user.display_name = _first(login.claims, provider.name_claim) or user.display_name
    if before[:2] != (user.role, user.municipality_code):
        audit.record(
            session,
            actor_of(user),
            "auth.role_changed",
            details={
                "provider": provider.name,
                "from_role": before[0],
                "from_municipality": before[1],
                **_grant_details(grant.role, user),
            },
        )
    if not before[2]:
        audit.record(
            session, actor_of(user), "auth.account_reactivated", details={"provider": provider.name}
        )
    user.last_login_at = now
    link.last_seen_at = now
    actor = actor_of(user)
    audit.record(
        session, actor, "auth.login", details={"method": provider.kind, "provider": provider.name}
    )
    session.commit()
    return actor


def refuse(
    session: Session, provider: Provider, subject: str | None, reason: str, who: Actor | None = None
) -> None:
    """Write the refused sign-in to the audit log, commit, and raise ``LoginRefused``."""
    audit.record(
        session,
        who or _stranger(provider, subject or "ukendt"),
        "auth.login_refused",
        details={"provider": provider.name, "reason": reason},
    )
    session.commit()
    raise LoginRefused(reason)


def record_refused_password(session: Session, username: str) -> None:
    """A wrong username or password, in the audit log beside the provider refusals."""
    audit.record(
        session,
        _unknown(username.strip() or "ukendt"),
        "auth.login_refused",
        details={"method": "password", "reason": "bad_credentials"},
    )
    session.commit()


def is_external(session: Session, user_id: int) -> bool:
    """Whether an identity provider made and vouches for this account."""
    query = select(ExternalIdentity.id).where(ExternalIdentity.user_id == user_id).limit(1)
    return session.scalar(query) is not None


def record_login(session: Session, user_id: int) -> None:
    """Remember when an account last signed in (local passwords too)."""
    user = session.get(User, user_id)
    if user is not None:
        user.last_login_at = utcnow()


def unseen_accounts(session: Session, days: int, now: dt.datetime | None = None) -> list[User]:
    """Active accounts that have not signed in for ``days`` (or never, made that long ago)."""
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    seen = func.coalesce(User.last_login_at, User.created_at)
    query = select(User).where(User.active.is_(True), seen < cutoff).order_by(seen, User.id)
    return list(session.scalars(query))


def deactivate(session: Session, user: User, reason: str) -> None:
    user.active = False
    audit.record(
        session,
        SYSTEM_ACTOR,
        "auth.account_deactivated",
        details={"user_id": user.id, "reason": reason},
    )


def _grant_details(role: Role, user: User) -> dict[str, Any]:
    return {"role": role.value, "municipality": user.municipality_code}


def _stranger(provider: Provider, subject: str) -> Actor:
    return _unknown(f"{provider.name}:{subject}")


def _unknown(name: str) -> Actor:
    # The audit log names who tried, even without an account; masked, as the name may be
    # anything a provider chose or a person typed.
    return dataclasses.replace(SYSTEM_ACTOR, username=mask_text(name)[:64], display_name="")


def _first(claims: Mapping[str, Any], name: str) -> str | None:
    values = claim_values(claims, name)
    return values[0].strip() or None if values else None


def _free_username(session: Session, provider: Provider, login: ExternalLogin) -> str:
    """``provider:name``, so an external account never takes a local account's name."""
    wanted = _first(login.claims, provider.username_claim) or login.subject
    base = f"{provider.name}:{wanted}"[:60]
    candidate, n = base, 1
    while session.scalar(select(User.id).where(func.lower(User.username) == candidate.lower())):
        n += 1
        candidate = f"{base}-{n}"
    return candidate
