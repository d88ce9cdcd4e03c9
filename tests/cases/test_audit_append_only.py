"""The database itself refuses to change or remove audit entries (triggers from migration
0007), whatever client writes the SQL: raw statements on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

INSERT = (
    "INSERT INTO audit_log (at, actor_id, actor, action, case_id, details) "
    "VALUES (CURRENT_TIMESTAMP, 1, 'kbh', 'case.read', 7, '{}')"
)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'case.nothing'",
        "UPDATE audit_log SET details = '{}' WHERE case_id = 7",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE case_id = 7",
    ],
)
def test_raw_update_and_delete_are_refused(db_engine: Engine, statement: str) -> None:
    with db_engine.begin() as connection:
        connection.execute(text(INSERT))
    with pytest.raises(DatabaseError, match="append-only"), db_engine.begin() as connection:
        connection.execute(text(statement))
    with db_engine.connect() as connection:
        rows = connection.execute(text("SELECT action, case_id FROM audit_log")).all()
    assert [tuple(r) for r in rows] == [("case.read", 7)]


def test_inserts_still_work_and_truncate_is_refused_on_postgresql(db_engine: Engine) -> None:
    with db_engine.begin() as connection:
        connection.execute(text(INSERT))
        connection.execute(text(INSERT))
    if db_engine.dialect.name == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), db_engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_log"))
    with db_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 2
