"""``forms-service reporting``: maintenance of the reporting facts and their daily roll-ups."""

from __future__ import annotations

import time

import click

from forms_service.cases.env import ENV_DATABASE_URL

# The database and the reporting tables load SQLAlchemy: imported where a command runs, so
# the command's own --help stays fast (tests/test_cli.py).


@click.group("reporting")
def reporting() -> None:
    """Statistik: vedligehold af opgørelsestabellerne."""


@reporting.command("rebuild")
@click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)
def rebuild(database_url: str | None) -> None:
    """Genopbyg de daglige opsummeringer (status_daily, finding_daily) fra case_metrics."""
    from sqlalchemy import func, select

    from forms_service.cases import db as cases_db
    from forms_service.reporting import rollup
    from forms_service.reporting.models import StatusDaily

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    cases_db.check_migrated(engine)
    start = time.perf_counter()
    with engine.begin() as connection:
        rollup.rebuild(connection)
        rows = connection.scalar(select(func.count()).select_from(StatusDaily))
    seconds = time.perf_counter() - start
    click.echo(f"Opsummeringerne er genopbygget: {rows} rækker på {seconds:.1f} s.")


@reporting.command("export")
@click.argument("what", type=click.Choice(["answers", "findings"]))
@click.option("--form", default="sagsoplysningsskema", show_default=True, help="Skemaet.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--version", "versions", multiple=True, help="Kun sager på disse versioner.")
@click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)
def export(
    what: str, form: str, fmt: str, versions: tuple[str, ...], database_url: str | None
) -> None:
    """Eksportér svar eller fund på tværs af versioner: én kolonne pr. felt, fulgt gennem
    versionernes migreringer (intet CPR-nummer)."""
    from forms_service.cases import db as cases_db
    from forms_service.definitions.registry import UnknownFormError, registry_for
    from forms_service.reporting.exports import export_answers, export_findings, write

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        cases_db.check_migrated(engine)
    except cases_db.DatabaseNotMigratedError as error:
        raise click.ClickException(str(error)) from None
    registry = registry_for(database_url)
    make = export_answers if what == "answers" else export_findings
    try:
        with cases_db.make_session_factory(engine)() as session:
            result = make(session, registry, form, versions)
    except UnknownFormError as error:
        raise click.ClickException(f"Ukendt skema: {error}") from None
    finally:
        engine.dispose()
    click.echo(write(result, fmt), nl=False)
