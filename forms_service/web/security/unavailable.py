"""When the database or Redis goes away mid-request: a 503 with a Danish message, not a 500.

The transaction of the request is rolled back with its session (nothing half-stored); the
engine's ``pool_pre_ping`` replaces the dead connections, so the next request succeeds as soon
as the database is back.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import ServiceUnavailable

DATABASE_MESSAGE = (
    "Databasen kan ikke nås lige nu. Intet er gemt fra denne handling; prøv igen om lidt."
)
REDIS_MESSAGE = "En baggrundstjeneste kan ikke nås lige nu. Prøv igen om lidt."
RETRY_AFTER_SECONDS = 5


def init_unavailable_handlers(app: Flask) -> None:
    def unavailable(message: str) -> Any:
        error = ServiceUnavailable(message, retry_after=RETRY_AFTER_SECONDS)
        return app.handle_http_exception(error)

    def database_gone(error: Exception) -> Any:
        app.logger.warning("Database unavailable: %s", type(error).__name__)
        return unavailable(DATABASE_MESSAGE)

    app.register_error_handler(OperationalError, database_gone)
    app.register_error_handler(InterfaceError, database_gone)

    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return

    def redis_gone(error: Exception) -> Any:
        app.logger.warning("Redis unavailable: %s", type(error).__name__)
        return unavailable(REDIS_MESSAGE)

    app.register_error_handler(RedisConnectionError, redis_gone)
    app.register_error_handler(RedisTimeoutError, redis_gone)
