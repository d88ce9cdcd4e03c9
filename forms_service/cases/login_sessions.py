"""Server-side login sessions: start, check (idle and absolute timeouts), end.

The signed session cookie carries only a random session id; the row here decides whether it
still counts. Logout ends one session; a password change or a deactivation ends all of a
user's sessions. Web-free, so the CLI can end sessions too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from forms_service.cases.models import LoginSession, utcnow

# last_seen_at is written at most this often, so a page view is not a database write
_TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(minutes=60)
    absolute: dt.timedelta = dt.timedelta(hours=12)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(session: Session, user_id: int, *, provider: str = "local") -> str:
    """A new session for ``user_id``; returns the id for the cookie (not stored in clear)."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginSession(
            token_hash=_hash(session_id),
            user_id=user_id,
            provider=provider,
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return session_id


def check(
    session: Session,
    session_id: str,
    user_id: int,
    policy: SessionPolicy,
    *,
    now: dt.datetime | None = None,
) -> str | None:
    """None if the session counts (and marks it seen); else why not: 'unknown', 'ended',
    'idle' or 'expired' (the last two end it)."""
    now = now or utcnow()
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(session_id)))
    if row is None or row.user_id != user_id:
        return "unknown"
    if row.ended_at is not None:
        return "ended"
    reason = None
    if now - row.created_at > policy.absolute:
        reason = "expired"
    elif now - row.last_seen_at > policy.idle:
        reason = "idle"
    if reason is not None:
        row.ended_at, row.end_reason = now, reason
        session.commit()
        return reason
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return None


def end(session: Session, session_id: str, reason: str = "logout") -> None:
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _hash(session_id), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def end_all(session: Session, user_id: int, reason: str) -> int:
    """End every open session of ``user_id``; how many were open."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
