"""Alembic creates the whole schema from nothing, and the app refuses an unmigrated database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from forms_service.cases import db as cases_db
from forms_service.cases.models import Base

TABLES = {
    "users",
    "api_tokens",
    "cases",
    "case_events",
    "answer_sets",
    "form_versions",
    "audit_log",
    "login_attempts",
}


def test_upgrade_from_nothing_matches_models(db_url: str) -> None:
    engine = cases_db.make_engine(db_url)
    try:
        assert cases_db.current_revision(engine) is None
        with pytest.raises(cases_db.DatabaseNotMigratedError, match="forms-service db upgrade"):
            cases_db.check_migrated(engine)

        cases_db.upgrade(engine)

        assert cases_db.current_revision(engine) == cases_db.head_revision()
        cases_db.check_migrated(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("cases")}
        assert "ix_cases_municipality_status_deadline" in indexes
    finally:
        engine.dispose()


def test_downgrade_to_nothing_and_back(db_url: str) -> None:
    engine = cases_db.make_engine(db_url)
    try:
        cases_db.upgrade(engine)
        cases_db.downgrade(engine, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        cases_db.upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = cases_db.make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            # 1 = NORMAL: no fsync per commit under WAL
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    finally:
        engine.dispose()


def test_database_url_defaults_to_instance_folder(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(cases_db.ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv(cases_db.ENV_INSTANCE_PATH, str(tmp_path))
    assert cases_db.database_url() == f"sqlite:///{tmp_path / 'forms_service.sqlite3'}"
    monkeypatch.setenv(cases_db.ENV_DATABASE_URL, "postgresql://u@h/db")
    assert cases_db.database_url() == "postgresql+psycopg://u@h/db"
