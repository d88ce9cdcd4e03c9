"""Alembic environment: migrates the engine handed over by ``forms_service.cases.db``.

There is no alembic.ini: ``forms_service.cases.db.alembic_config`` builds the configuration and
passes the engine (with its SQLite pragmas) in ``config.attributes["engine"]``. For the plain
``alembic`` command, ``FORMS_SERVICE_DATABASE_URL`` (or the instance SQLite file) is used.
"""

from __future__ import annotations

from alembic import context

from forms_service import wiring  # noqa: F401  (every package's tables on Base.metadata)
from forms_service.cases.db import database_url, make_engine
from forms_service.cases.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    engine = context.config.attributes.get("engine") or make_engine(database_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode recreates tables instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations()
