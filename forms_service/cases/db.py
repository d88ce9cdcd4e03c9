"""Engines, sessions and the migration state of the case database.

SQLite by default (a file in the instance folder, WAL mode, foreign keys on), PostgreSQL when
``FORMS_SERVICE_DATABASE_URL`` says so. The schema belongs to Alembic: ``upgrade()`` migrates,
``check_migrated()`` refuses an unmigrated or outdated database with a message naming the
command that fixes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from forms_service.cases.env import ENV_DATABASE_URL, ENV_INSTANCE_PATH

SQLITE_FILE = "forms_service.sqlite3"


class DatabaseNotMigratedError(RuntimeError):
    """The database schema is missing or older than this code."""


def instance_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The instance folder: explicit, else ``FORMS_SERVICE_INSTANCE_PATH``, else ./instance."""
    value = explicit or os.environ.get(ENV_INSTANCE_PATH) or Path.cwd() / "instance"
    return Path(value).resolve()


def database_url(explicit: str | None = None, *, instance: Path | None = None) -> str:
    """The database URL: explicit, else the environment, else SQLite in the instance folder."""
    url = explicit or os.environ.get(ENV_DATABASE_URL)
    if not url:
        folder = instance or instance_path()
        return f"sqlite:///{folder / SQLITE_FILE}"
    return normalize_url(url)


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs (psycopg2 is not installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once; foreign keys are off in SQLite by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    # SQLite's recommended setting under WAL: a commit survives a crash of the service and is
    # lost only on power failure, and a request no longer waits for an fsync per commit (every
    # read of a case commits its audit entry). PostgreSQL is the choice where that matters.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session committed on success and rolled back on error (CLI and scripts)."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --- migrations -----------------------------------------------------------------------------


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    script_location = str(resources.files("forms_service").joinpath("migrations"))
    config.set_main_option("script_location", script_location)
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def check_migrated(engine: Engine) -> None:
    """Raise ``DatabaseNotMigratedError`` unless the database is at the newest revision."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    if current is None:
        state = "har intet skema (databasen er ikke migreret)"
    else:
        state = f"er på revision {current}, koden kræver {head}"
    raise DatabaseNotMigratedError(
        f"Databasen {where} {state}. Kør `forms-service db upgrade` "
        "(eller `forms-service run`, som migrerer selv)."
    )
