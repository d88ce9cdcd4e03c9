"""``forms-service reporting rebuild`` restores damaged roll-ups from case_metrics."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from forms_service.cli import main
from forms_service.reporting.bulk import SimCase
from forms_service.reporting.models import StatusDaily
from forms_service.reporting.status import ROWS, StatusFilter, status_report


def test_rebuild_command_restores_the_rollups(
    db_engine: Engine, small_history: list[SimCase]
) -> None:
    f = StatusFilter(dt.date(2025, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 8, 31))
    with Session(db_engine) as session:
        session.execute(delete(StatusDaily))
        session.commit()
        assert status_report(session, f).summary["received"] == 0

    result = CliRunner().invoke(
        main, ["reporting", "rebuild", "--database-url", str(db_engine.url)]
    )
    assert result.exit_code == 0, result.output
    assert "genopbygget" in result.output

    with Session(db_engine) as session:
        rebuilt = status_report(session, f)
        assert rebuilt.summary["received"] == len(small_history)
        assert rebuilt.summary == status_report(session, f, source=ROWS).summary
