"""CLI: ``forms-service editor export FORM@VERSION DIR`` and ``forms-service editor import FILE``.

Export writes a published version (from the database or the definitions folder) as the file
``DIR/<form>/<version>.json``, laid out like ``form_definitions/``, so it can be reviewed and
committed; import adds a file's version to the database (never replacing one that exists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from forms_service.cases.env import ENV_DATABASE_URL
from forms_service.cases.roles import Actor, Role
from forms_service.definitions.in_force import APPLICATION_DATE, RULES
from forms_service.editor.errors import EditorError, ImportRefusedError, PublishRefusedError

# The database, the registry and the editor's service load SQLAlchemy and the CEL interpreter:
# imported where a command runs, so ``forms-service editor … --help`` stays fast.
if TYPE_CHECKING:
    from forms_service.editor.service import EditorService, InForce

CLI_ACTOR = Actor(id=None, username="cli", role=Role.FORM_EDITOR, display_name="Kommandolinjen")

_db_option = click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)


def _service(database_url: str | None) -> tuple[EditorService, object]:
    from forms_service.cases import db as cases_db
    from forms_service.definitions.registry import DATABASE_STORE, Registry, definitions_root
    from forms_service.editor.service import EditorService
    from forms_service.editor.store import published_store

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        cases_db.check_migrated(engine)
    except cases_db.DatabaseNotMigratedError as error:
        raise click.ClickException(str(error)) from None
    sessions = cases_db.make_session_factory(engine)
    session = sessions()
    # a registry of its own: one command, one process (and tests do not share versions)
    registry = Registry(definitions_root())
    registry.attach(DATABASE_STORE, published_store(sessions))
    return EditorService(session, CLI_ACTOR, registry), engine


@click.group("editor")
def editor() -> None:
    """Skemaredigering: eksport, import, ikrafttræden og virkning af en udgivelse."""


@editor.command("export")
@click.argument("ref")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_db_option
def export(ref: str, directory: Path, database_url: str | None) -> None:
    """Skriv versionen REF (FORMULAR@VERSION) som DIRECTORY/<formular>/<version>.json."""
    from forms_service.definitions.registry import parse_ref

    try:
        form, version = parse_ref(ref)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    service, engine = _service(database_url)
    try:
        text = service.export_text(form, version)
    except EditorError as error:
        raise click.ClickException(error.message) from None
    finally:
        service.session.close()
        engine.dispose()  # type: ignore[attr-defined]
    target = directory / form / f"{version}.json"
    if target.exists() and target.read_text(encoding="utf-8") != text:
        raise click.ClickException(
            f"{target} findes allerede med et andet indhold; en version overskrives aldrig."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(str(target))


_DATE = click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"])


def _in_force_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.option("--fra", "in_force_from", type=_DATE, default=None, help="I kraft fra."),
            click.option("--til", "in_force_until", type=_DATE, default=None, help="I kraft til."),
            click.option(
                "--afgoeres-af",
                "decided_by",
                type=click.Choice(sorted(RULES)),
                default=APPLICATION_DATE,
                show_default=True,
                help="Hvad der afgør versionen i en overgangsperiode.",
            ),
        ]
    ):
        command = option(command)
    return command


def _in_force(
    in_force_from: dt.datetime | None, in_force_until: dt.datetime | None, decided_by: str
) -> InForce:
    from forms_service.editor.service import InForce

    return InForce(
        in_force_from.date() if in_force_from else None,
        in_force_until.date() if in_force_until else None,
        decided_by,
    )


@editor.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", default="", help="Ændringsnote (standard: »Importeret fra FIL«).")
@_in_force_options
@click.option(
    "--pilot",
    "pilot_choices",
    multiple=True,
    metavar="pilot-NR-GRUPPE=keep|switch",
    help="Hvad en kørende pilots gruppe får (fx pilot-3-comparison=keep).",
)
@_db_option
def import_(
    file: Path,
    note: str,
    in_force_from: dt.datetime | None,
    in_force_until: dt.datetime | None,
    decided_by: str,
    pilot_choices: tuple[str, ...],
    database_url: str | None,
) -> None:
    """Importér en definitionsfil som udgivet version (erstatter aldrig en version)."""
    choices = dict(c.partition("=")[::2] for c in pilot_choices)
    service, engine = _service(database_url)
    try:
        result = service.import_text(
            file.read_text(encoding="utf-8"),
            filename=f"{file.parent.name}/{file.name}",
            note=note,
            in_force=_in_force(in_force_from, in_force_until, decided_by),
            pilot_choices=choices,
        )
    except ImportRefusedError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(error.message) from None
    except PublishRefusedError as error:
        for reason in error.reasons:
            click.echo(reason, err=True)
        raise click.ClickException(error.message) from None
    finally:
        service.session.close()
        engine.dispose()  # type: ignore[attr-defined]
    ref = f"{result.form}@{result.version}"
    if result.imported:
        click.echo(f"{ref} er importeret (hash {result.content_hash}).")
    else:
        click.echo(f"{ref} findes allerede med samme indhold; intet er ændret.")


import_.name = "import"


@editor.command("in-force")
@click.argument("ref")
@_in_force_options
@_db_option
def in_force_command(
    ref: str,
    in_force_from: dt.datetime | None,
    in_force_until: dt.datetime | None,
    decided_by: str,
    database_url: str | None,
) -> None:
    """Sæt hvornår en version udgivet i appen træder i kraft (kun før den er i kraft)."""
    from forms_service.definitions.registry import parse_ref

    try:
        form, version = parse_ref(ref)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    service, engine = _service(database_url)
    try:
        schedule = service.reschedule(
            form, version, _in_force(in_force_from, in_force_until, decided_by)
        )
    except EditorError as error:
        raise click.ClickException(error.message) from None
    finally:
        service.session.close()
        engine.dispose()  # type: ignore[attr-defined]
    start = f"{schedule.in_force_from:%d-%m-%Y}" if schedule.in_force_from else "udgivelsen"
    click.echo(f"{ref} træder i kraft {start} ({RULES[schedule.decided_by]}).")


@editor.command("impact")
@click.argument("draft_id", metavar="DRAFT", type=int)
@click.option("--json", "as_json", is_flag=True, help="Hele rapporten som JSON.")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, help="Processer der kører sagerne."
)
@click.option("--kommune", "municipality", type=int, help="Kun én kommunes sager.")
@_db_option
def impact_command(
    draft_id: int, as_json: bool, workers: int, municipality: int | None, database_url: str | None
) -> None:
    """Hvad udgivelsen af kladden DRAFT (id) gør ved de åbne sager på versionslinjen."""
    import json

    from forms_service.editor.impact import compute_impact

    service, engine = _service(database_url)
    try:
        draft = service.get_draft(draft_id)
        definition = service.state(draft).definition
        if definition is None:
            raise click.ClickException(f"Kladden {draft.ref} har fejl og kan ikke køres igennem.")
        report = compute_impact(
            service.session,
            service.registry,
            definition,
            today=service.today(),
            municipality_code=municipality,
            workers=workers,
        )
    except EditorError as error:
        raise click.ClickException(error.message) from None
    finally:
        service.session.close()
        engine.dispose()  # type: ignore[attr-defined]
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{report.form}@{report.version}: {report.checked} åbne sager på "
        f"{', '.join(report.versions) or '-'}; {len(report.affected)} påvirkes "
        f"({report.losing_answers} mister svar, {report.gaining_required} får nye krævede "
        f"spørgsmål, {report.changing_status} ændret status)"
    )
    for affected in report.affected:
        impact = affected.impact
        parts = []
        if impact.lost:
            parts.append("mister " + ", ".join(n.path for n in impact.lost))
        if impact.new_required:
            parts.append("nye krævede " + ", ".join(impact.new_required))
        if impact.changes:
            parts.append(
                "status "
                + ", ".join(f"{c.id} {c.before or '-'}→{c.after or '-'}" for c in impact.changes)
            )
        click.echo(f"  {affected.case.case_number} ({affected.case.version}): {'; '.join(parts)}")
