"""CLI: ``forms-service pilots end PILOT_ID --move-to VERSION``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from forms_service.cases.env import ENV_DATABASE_URL
from forms_service.cases.roles import SYSTEM_ACTOR

# The database and the pilots' service load SQLAlchemy: imported where the command runs, so
# its --help stays fast (tests/test_cli.py).
if TYPE_CHECKING:
    from forms_service.pilots.ending import PilotEnding


@click.group("pilots")
def pilots() -> None:
    """Piloter: afslutning og versionsflytning af sager."""


@pilots.command("end")
@click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)
@click.argument("pilot_id", type=int)
@click.option("--move-to", "version", required=True, help="Den version, sagerne flyttes til.")
def end(database_url: str | None, pilot_id: int, version: str) -> None:
    """Flyt pilotens åbne sager til VERSION; vis pr. sag, hvilke svar der ikke kunne føres over.

    Kan køres igen: sager, der allerede er flyttet, røres ikke.
    """
    from forms_service.cases import db as cases_db
    from forms_service.definitions.registry import registry_for
    from forms_service.pilots.ending import end_pilot
    from forms_service.pilots.service import PilotError

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        cases_db.check_migrated(engine)
    except cases_db.DatabaseNotMigratedError as error:
        raise click.ClickException(str(error)) from None
    registry = registry_for(database_url)  # the files and the versions published in the editor
    with cases_db.make_session_factory(engine)() as session:
        try:
            result = end_pilot(
                session, pilot_id, version, started_by=SYSTEM_ACTOR, registry=registry
            )
        except PilotError as error:
            raise click.ClickException(error.message) from None
    click.echo(report(result))
    if result.failed:
        raise SystemExit(1)


def report(result: PilotEnding) -> str:
    lines = [
        f"Pilot »{result.pilot_name}« (nr. {result.pilot_id}): {len(result.moved)} sager flyttet "
        f"fra version {result.from_version} til {result.to_version}; {result.kept} indsendte "
        "eller afgjorte sager beholder pilotversionen."
    ]
    if result.predicted is not None and result.predicted.checked:
        p = result.predicted
        lines.append(
            f"Forudsagt før flytningen ({p.checked} åbne sager): {p.losing_answers} mister svar, "
            f"{p.gaining_required} får nye påkrævede spørgsmål, {p.becoming_incomplete} får et "
            f"kriterium, der ikke længere er tilstrækkeligt oplyst, {p.becoming_complete} et, "
            "der bliver det."
        )
    for move in result.moved:
        if not move.not_carried:
            lines.append(f"  {move.case_number}: alle svar ført over.")
            continue
        lines.append(f"  {move.case_number}: {len(move.not_carried)} svar ikke ført over:")
        lines += [f"    - {n.path} ({n.label}): {n.reason}" for n in move.not_carried]
    for number, message in result.failed:
        lines.append(f"  {number}: IKKE flyttet: {message}")
    return "\n".join(lines)
