"""Login throttling: per address and per account, with backoff instead of a lockout.

Per address (password spraying: many usernames from one address): at most
``ADDRESS_LIMITS`` failed logins, counted by the ``limits`` library (the core of Flask-Limiter)
in Redis when ``FORMS_SERVICE_REDIS_URL`` is set, else in the process's memory. The address is
``request.remote_addr``, which is the client's only behind proxies configured with
``FORMS_SERVICE_TRUSTED_PROXIES`` (see ``forms_service.web.security.proxy``).

Per account (guessing one user's password from many addresses): after ``MAX_FAILURES`` failed
logins within ``WINDOW``, each further attempt waits twice as long as the one before, from one
second up to ``MAX_WAIT``. A stranger who knows a username can slow its owner down by minutes
at most, never lock them out for long. Kept in the database (``login_attempts``) or in Redis, so
every instance sees the same count. A successful login clears the account's failures.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Protocol

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from forms_service.cases.models import LoginAttempt, utcnow

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
MAX_WAIT = dt.timedelta(minutes=5)
ADDRESS_LIMITS = "10 per minute; 50 per hour"
BLOCKED_MESSAGE = (
    "For mange mislykkede loginforsøg. Vent {wait}, og prøv igen, eller kontakt din administrator."
)


def blocked_message(seconds: int) -> str:
    wait = f"{seconds} sekunder" if seconds < 120 else f"{math.ceil(seconds / 60)} minutter"
    return BLOCKED_MESSAGE.format(wait=wait)


def backoff(failures: int) -> dt.timedelta:
    """How long after the last failure the next attempt must wait."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** (failures - MAX_FAILURES)), MAX_WAIT)


def _wait_seconds(failures: int, last: dt.datetime | None, now: dt.datetime) -> int:
    if last is None:
        return 0
    remaining = last + backoff(failures) - now
    return max(0, math.ceil(remaining.total_seconds()))


def _key(username: str) -> str:
    return username.strip().lower()[:64]


class AccountThrottle(Protocol):
    def wait(self, session: Session, username: str) -> int:
        """Seconds before ``username`` may try again (0: now)."""
        ...

    def record(self, session: Session, username: str, ip: str, *, success: bool) -> None: ...


class DatabaseAccountThrottle:
    def wait(self, session: Session, username: str) -> int:
        now = utcnow()
        failures, last = session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                LoginAttempt.username == _key(username),
                LoginAttempt.at >= now - WINDOW,
                LoginAttempt.success.is_(False),
            )
        ).one()
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        return _wait_seconds(failures or 0, last, now)

    def record(self, session: Session, username: str, ip: str, *, success: bool) -> None:
        key = _key(username)
        if success:
            session.execute(delete(LoginAttempt).where(LoginAttempt.username == key))
        else:
            session.add(LoginAttempt(username=key, ip=ip[:64], success=False))
            # Old rows are useless; prune them so the table stays small.
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - WINDOW))
        session.commit()


class RedisAccountThrottle:
    def __init__(self, url: str, prefix: str = "forms_service:login:") -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix

    def _name(self, username: str) -> str:
        return f"{self.prefix}{_key(username)}"

    def wait(self, session: Session, username: str) -> int:
        stored = self.redis.hgetall(self._name(username))
        if not stored:
            return 0
        failures = int(stored.get(b"failures", 0))
        last = dt.datetime.fromtimestamp(float(stored.get(b"last", 0)), dt.UTC)
        return _wait_seconds(failures, last, utcnow())

    def record(self, session: Session, username: str, ip: str, *, success: bool) -> None:
        name = self._name(username)
        if success:
            self.redis.delete(name)
            return
        with self.redis.pipeline() as pipe:
            pipe.hincrby(name, "failures", 1)
            pipe.hset(name, "last", str(time.time()))
            # the window starts at the first failure (a fixed window, not sliding)
            pipe.expire(name, int(WINDOW.total_seconds()), nx=True)
            pipe.execute()


class AddressThrottle:
    """Failed logins per client address, with the ``limits`` library."""

    def __init__(self, storage_uri: str, limits: str = ADDRESS_LIMITS) -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.items = parse_many(limits)

    def wait(self, address: str) -> int:
        now = time.time()
        waits = [
            stats.reset_time - now
            for item in self.items
            if (stats := self.limiter.get_window_stats(item, "login", address)).remaining <= 0
        ]
        return max(0, math.ceil(max(waits))) if waits else 0

    def failed(self, address: str) -> None:
        for item in self.items:
            self.limiter.hit(item, "login", address)


def address_storage_uri(redis_url: str | None) -> str:
    return redis_url if redis_url else "memory://"
