"""CLI: ``forms-service retention …`` (run, holds, log) and ``forms-service gdpr export``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from forms_service.cases.env import ENV_DATABASE_URL
from forms_service.cases.roles import Actor, Role

# The database and the case tables load SQLAlchemy: imported where a command runs, so a
# command's --help stays fast (tests/test_cli.py).
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from forms_service.cases.models import Case

_db_option = click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)

CLI_ACTOR = Actor(id=None, username="cli", role=Role.ADMIN, display_name="Kommandolinjen")


def _sessions(database_url: str | None) -> tuple[Engine, sessionmaker[Session]]:
    from forms_service.cases import db as cases_db

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        cases_db.check_migrated(engine)
    except cases_db.DatabaseNotMigratedError as error:
        raise click.ClickException(str(error)) from None
    return engine, cases_db.make_session_factory(engine)


def _store(engine: Engine):  # type: ignore[no-untyped-def]
    from forms_service.attachments.settings import AttachmentSettings
    from forms_service.attachments.store import make_store

    return make_store(AttachmentSettings.from_config({}).folder, engine)


def _case(session: Session, case_number: str) -> Case:
    from sqlalchemy import select

    from forms_service.cases.models import Case

    case = session.scalars(select(Case).where(Case.case_number == case_number)).first()
    if case is None:
        raise click.ClickException(f"Sagen {case_number} findes ikke.")
    return case


@click.group("retention")
def retention() -> None:
    """Sletning af personoplysninger efter sagens tilstand, og tilbageholdelse."""


@retention.command("run")
@_db_option
@click.option("--dry-run", is_flag=True, help="Vis, hvad der ville blive slettet; slet intet.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Kør som på denne dato (standard: i dag).",
)
def retention_run(database_url: str | None, dry_run: bool, today: dt.datetime | None) -> None:
    """Slet det, hvis opbevaringsfrist er udløbet (kan køres af cron; gentages uden skade).

    Fristerne står i FORMS_SERVICE_RETENTION_*; tal og statistik bliver, sagens
    personoplysninger går. Sager med en tilbageholdelse springes over."""
    from forms_service.privacy.retention import RetentionService
    from forms_service.privacy.rules import Rule
    from forms_service.privacy.settings import RetentionSettings, RetentionSettingsError

    try:
        settings = RetentionSettings.from_config()
    except RetentionSettingsError as error:
        raise click.ClickException(str(error)) from None
    engine, sessions = _sessions(database_url)
    day = today.date() if today else dt.date.today()
    with sessions() as session:
        service = RetentionService(session, _store(engine), settings, actor=CLI_ACTOR)
        report = service.run(day, dry_run=dry_run)
    verb = "ville blive slettet" if dry_run else "slettet"
    click.echo(f"Opbevaring pr. {day.isoformat()}{' (prøvekørsel)' if dry_run else ''}:")
    for rule in Rule:
        if rule is Rule.DOCUMENT_JOBS:
            continue
        click.echo(f"  {rule.label}: {report.count(rule)} sager {verb}")
    click.echo(f"  {Rule.DOCUMENT_JOBS.label}: {report.document_jobs} {verb}")
    for removal in report.cases:
        items = ", ".join(f"{k} {v}" for k, v in sorted(removal.removed.items()))
        click.echo(f"    {removal.case_number} ({removal.rule.value}): {items}")
    if report.held:
        click.echo(f"  Tilbageholdt, ikke slettet: {', '.join(report.held)}")
    engine.dispose()


@retention.command("hold")
@_db_option
@click.argument("case_number")
@click.option("--reason", required=True, help="Hvorfor sagen ikke må slettes (fx en klage).")
def retention_hold(database_url: str | None, case_number: str, reason: str) -> None:
    """Tilbagehold en sag: den slettes ikke, før tilbageholdelsen ophæves."""
    from forms_service.privacy.holds import LegalHoldError, set_hold

    engine, sessions = _sessions(database_url)
    with sessions() as session:
        try:
            set_hold(session, CLI_ACTOR, _case(session, case_number).id, reason)
        except LegalHoldError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Sagen {case_number} er tilbageholdt.")
    engine.dispose()


@retention.command("release")
@_db_option
@click.argument("case_number")
def retention_release(database_url: str | None, case_number: str) -> None:
    """Ophæv en sags tilbageholdelse."""
    from forms_service.privacy.holds import LegalHoldError, release_hold

    engine, sessions = _sessions(database_url)
    with sessions() as session:
        try:
            release_hold(session, CLI_ACTOR, _case(session, case_number).id)
        except LegalHoldError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Tilbageholdelsen af sagen {case_number} er ophævet.")
    engine.dispose()


@retention.command("log")
@_db_option
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
def retention_log(database_url: str | None, limit: int) -> None:
    """Vis, hvad opbevaringskørslerne har slettet (uden personoplysninger)."""
    from sqlalchemy import select

    from forms_service.privacy.models import RetentionLogEntry

    engine, sessions = _sessions(database_url)
    with sessions() as session:
        rows = session.scalars(
            select(RetentionLogEntry).order_by(RetentionLogEntry.id.desc()).limit(limit)
        )
        for row in rows:
            items = ", ".join(f"{k} {v}" for k, v in sorted(row.removed.items()))
            where = f"sag-id {row.case_id}" if row.case_id is not None else "–"
            click.echo(f"{row.at:%Y-%m-%d %H:%M} {row.run_id} {row.rule} {where}: {items}")
    engine.dispose()


@click.group("gdpr")
def gdpr() -> None:
    """Den registreredes rettigheder: indsigt i alt om et CPR-nummer (artikel 15)."""


@gdpr.command("export")
@_db_option
@click.argument("cpr")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Zip-filen, der skrives.",
)
@click.option(
    "--admin",
    "admin_name",
    required=True,
    help="Brugernavnet på den administrator, der udleverer indsigten (skrives i loggen).",
)
def gdpr_export(database_url: str | None, cpr: str, output: Path, admin_name: str) -> None:
    """Indsigt (art. 15): alt om CPR-nummerets sager, som JSON og et Word-dokument, i en zip."""
    from sqlalchemy import select

    from forms_service.cases.models import User
    from forms_service.privacy.export import ExportError, export_person

    engine, sessions = _sessions(database_url)
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == admin_name)).first()
        if user is None or not user.active or user.role != Role.ADMIN.value:
            raise click.ClickException(
                f"'{admin_name}' er ikke en aktiv administrator: kun administratorer må "
                "udlevere indsigt."
            )
        actor = Actor(
            id=user.id, username=user.username, role=Role.ADMIN, display_name=user.display_name
        )
        try:
            result = export_person(session, _store(engine), cpr, actor)
        except ExportError as error:
            raise click.ClickException(str(error)) from None
    output.write_bytes(result.data)
    click.echo(
        f"Skrev {output}: {result.cases} sager, {result.documents} dokumenter "
        "(udleveringen er logget på hver sag)."
    )
    engine.dispose()
