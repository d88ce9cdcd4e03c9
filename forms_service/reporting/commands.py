"""``forms-service reporting``: maintenance of the reporting facts and their daily roll-ups."""

from __future__ import annotations

import time

import click
from sqlalchemy import func, select

from forms_service.cases import db as cases_db
from forms_service.reporting import rollup
from forms_service.reporting.models import StatusDaily


@click.group("reporting")
def reporting() -> None:
    """Statistik: vedligehold af opgørelsestabellerne."""


@reporting.command("rebuild")
@click.option(
    "--database-url",
    envvar=cases_db.ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)
def rebuild(database_url: str | None) -> None:
    """Genopbyg de daglige opsummeringer (status_daily, finding_daily) fra case_metrics."""
    engine = cases_db.make_engine(cases_db.database_url(database_url))
    cases_db.check_migrated(engine)
    start = time.perf_counter()
    with engine.begin() as connection:
        rollup.rebuild(connection)
        rows = connection.scalar(select(func.count()).select_from(StatusDaily))
    seconds = time.perf_counter() - start
    click.echo(f"Opsummeringerne er genopbygget: {rows} rækker på {seconds:.1f} s.")
