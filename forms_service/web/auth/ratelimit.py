"""The login rate limit: at most N failed logins per username and address in a window.

Kept in the database (``login_attempts``) or, when ``FORMS_SERVICE_REDIS_URL`` is set, in Redis,
so every instance behind a load balancer sees the same count. A successful login clears it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from forms_service.cases.models import LoginAttempt, utcnow

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
BLOCKED_MESSAGE = (
    "For mange mislykkede loginforsøg. Vent 15 minutter, og prøv igen, "
    "eller kontakt din administrator."
)


class LoginRateLimiter(Protocol):
    def blocked(self, session: Session, username: str, ip: str) -> bool: ...

    def record(self, session: Session, username: str, ip: str, *, success: bool) -> None: ...


def _key(username: str) -> str:
    return username.strip().lower()[:64]


class DatabaseRateLimiter:
    def __init__(self, max_failures: int = MAX_FAILURES, window: dt.timedelta = WINDOW) -> None:
        self.max_failures = max_failures
        self.window = window

    def blocked(self, session: Session, username: str, ip: str) -> bool:
        since = utcnow() - self.window
        failures = session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.username == _key(username),
                LoginAttempt.ip == ip[:64],
                LoginAttempt.at >= since,
                LoginAttempt.success.is_(False),
            )
        )
        return (failures or 0) >= self.max_failures

    def record(self, session: Session, username: str, ip: str, *, success: bool) -> None:
        key, ip = _key(username), ip[:64]
        if success:
            session.execute(
                delete(LoginAttempt).where(LoginAttempt.username == key, LoginAttempt.ip == ip)
            )
        else:
            session.add(LoginAttempt(username=key, ip=ip, success=False))
            # Old rows are useless; prune them so the table stays small.
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - self.window))
        session.commit()


class RedisRateLimiter:
    def __init__(
        self,
        url: str,
        max_failures: int = MAX_FAILURES,
        window: dt.timedelta = WINDOW,
        prefix: str = "forms_service:login:",
    ) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.max_failures = max_failures
        self.window = window
        self.prefix = prefix

    def _name(self, username: str, ip: str) -> str:
        return f"{self.prefix}{_key(username)}|{ip[:64]}"

    def blocked(self, session: Session, username: str, ip: str) -> bool:
        value = self.redis.get(self._name(username, ip))
        return int(value or 0) >= self.max_failures

    def record(self, session: Session, username: str, ip: str, *, success: bool) -> None:
        name = self._name(username, ip)
        if success:
            self.redis.delete(name)
            return
        with self.redis.pipeline() as pipe:
            pipe.incr(name)
            # The window starts at the first failure (a fixed window, not sliding).
            pipe.expire(name, int(self.window.total_seconds()), nx=True)
            pipe.execute()
