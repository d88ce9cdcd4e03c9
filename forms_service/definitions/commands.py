"""``forms-service definitions …``: validate, list, export the JSON Schema, diff and show."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from forms_service.definitions.diff.compute import diff_definitions
from forms_service.definitions.diff.render import render_text
from forms_service.definitions.in_force import (
    CURRENT,
    ENDED,
    SCHEDULED,
    STATUS_TEXT,
    Schedule,
    ScheduleError,
    status_of,
)
from forms_service.definitions.jsonschema import definition_json_schema
from forms_service.definitions.model import FormDefinition

# The loader and the registry load the CEL interpreter: imported where a command runs, so
# ``forms-service definitions … --help`` stays fast (tests/test_cli.py).
if TYPE_CHECKING:
    from forms_service.definitions.registry import Registry

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _registry(ctx: click.Context) -> Registry:
    """The registry of ``--root``, or the one definition source (with the versions published
    in the editor); built on first use, not by the group (whose callback runs for a
    subcommand's ``--help`` too)."""
    from forms_service.definitions.registry import Registry, default_registry

    obj = ctx.ensure_object(dict)
    if "registry" not in obj:
        root = obj.get("root")
        obj["registry"] = Registry(root) if root else default_registry()
    return obj["registry"]


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"Fejl: {message}", err=True)
    raise SystemExit(code)


def _resolve(registry: Registry, ref: str) -> FormDefinition:
    """``form@version`` or ``form@latest``; a bad reference exits 2, a broken file exits 1."""
    from forms_service.definitions.loader import DefinitionError
    from forms_service.definitions.registry import UnknownFormError

    try:
        return registry.resolve(ref)
    except (ValueError, UnknownFormError) as exc:
        if isinstance(exc, DefinitionError):
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            _fail(f"'{ref}' kan ikke indlæses", EXIT_PROBLEMS)
        _fail(str(exc.args[0] if exc.args else exc))


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_thaw(v) for v in value]
    return value


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@click.group("definitions")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Mappen med formulardefinitioner (standard: FORMS_SERVICE_DEFINITIONS_DIR eller de "
    "medfølgende).",
)
@click.pass_context
def definitions(ctx: click.Context, root: Path | None) -> None:
    """Formulardefinitioner: kontrol, versioner, JSON Schema og forskelle."""
    ctx.ensure_object(dict)["root"] = root


def _definition_files(paths: Iterable[Path], registry: Registry) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # a definitions root (<form>/<version>.json) or one form's folder
            files += sorted(path.glob("*/*.json")) + sorted(path.glob("*.json"))
        else:
            files.append(path)
    if not paths:
        files = registry.definition_files()
    return files


def _field_count(definition: FormDefinition) -> int:
    return sum(1 + len(f.fields) for _section, f in definition.iter_fields())


@definitions.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Kontrollér definitioner og vis hvert problem som 'fil: json.sti: besked'.

    Uden PATHS kontrolleres alle filer i definitionsmappen.
    """
    from forms_service.definitions.loader import DefinitionError, load_definition_file

    registry = _registry(ctx)
    files = _definition_files(paths, registry)
    if not files:
        _fail(f"ingen definitioner fundet i {registry.root}")
    broken = 0
    for file in files:
        try:
            definition = load_definition_file(file)
        except DefinitionError as exc:
            broken += 1
            for problem in exc.problems:
                click.echo(str(problem))
            continue
        click.echo(
            f"{file.parent.name}/{file.name}: OK ({definition.ref}, "
            f"{len(definition.sections)} sektioner, {_field_count(definition)} felter, "
            f"sha256 {definition.content_hash})"
        )
    if broken:
        click.echo(f"{broken} af {len(files)} filer har fejl.", err=True)
        raise SystemExit(EXIT_PROBLEMS)


def _status_text(status: str, schedule: Schedule | None) -> str:
    text = STATUS_TEXT[status]
    if schedule is None:
        return text
    if status == SCHEDULED and schedule.in_force_from:
        text += f" fra {schedule.in_force_from:%d-%m-%Y}"
    elif status == ENDED and schedule.in_force_until:
        text += f" {schedule.in_force_until:%d-%m-%Y}"
    elif status == CURRENT and schedule.in_force_until:
        text += f" til {schedule.in_force_until:%d-%m-%Y}"
    return text


@definitions.command("list")
@click.option("--json", "as_json", is_flag=True, help="Som JSON.")
@click.option(
    "--dato",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
    default=None,
    help="Vis gældende/planlagt/udløbet pr. denne dato (standard: i dag).",
)
@click.option(
    "--database-url",
    default=None,
    help="Versionerne udgivet i appen (og deres datoer) fra denne database (standard: den "
    "konfigurerede).",
)
@click.pass_context
def list_command(
    ctx: click.Context, as_json: bool, on: dt.datetime | None, database_url: str | None
) -> None:
    """Formularer og deres versioner (ældste først): gældende, planlagt og udløbet."""
    from forms_service.definitions.registry import default_registry, is_prerelease, registry_for

    registry = _registry(ctx)
    if database_url and registry is default_registry():
        registry = registry_for(database_url)
    today = on.date() if on else dt.date.today()
    forms = registry.forms()
    table: dict[str, dict[str, tuple[str, Schedule | None]]] = {}
    for form, versions in forms.items():
        try:
            schedules = registry.schedules(form)
        except ScheduleError as error:
            _fail(str(error), EXIT_PROBLEMS)
        table[form] = {
            v: (status_of(v, versions, schedules, today), schedules.get(v)) for v in versions
        }
    if as_json:
        out = {
            form: {
                "versions": versions,
                "latest": next((v for v in reversed(versions) if not is_prerelease(v)), None),
                "current": [v for v in reversed(versions) if table[form][v][0] == CURRENT],
                "status": {
                    v: {
                        "status": status,
                        **(schedule.to_dict() if schedule else {}),
                    }
                    for v, (status, schedule) in table[form].items()
                },
            }
            for form, versions in forms.items()
        }
        click.echo(_dump(out))
        return
    if not forms:
        click.echo(f"Ingen formularer i {registry.root}.")
        return
    for form, versions in forms.items():
        shown = [f"{v} ({_status_text(*table[form][v])})" for v in versions]
        click.echo(f"{form}: {', '.join(shown)}")


@definitions.command("schema")
def schema_command() -> None:
    """Udskriv JSON Schema (draft 2020-12) for definitionsformatet."""
    click.echo(_dump(definition_json_schema()))


@definitions.command("diff")
@click.argument("old_ref", metavar="FORM@A")
@click.argument("new_ref", metavar="FORM@B")
@click.option("--json", "as_json", is_flag=True, help="Som JSON (til maskiner).")
@click.option(
    "--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Sprog."
)
@click.pass_context
def diff_command(ctx: click.Context, old_ref: str, new_ref: str, as_json: bool, lang: str) -> None:
    """Strukturel forskel mellem to versioner, efter stabile id'er (fx form@latest)."""
    registry = _registry(ctx)
    old = _resolve(registry, old_ref)
    new = _resolve(registry, new_ref)
    diff = diff_definitions(old, new)
    if as_json:
        click.echo(_dump(diff.to_dict()))
    else:
        click.echo(render_text(diff, lang=lang), nl=False)


@definitions.command("show")
@click.argument("ref", metavar="FORM@VERSION")
@click.pass_context
def show_command(ctx: click.Context, ref: str) -> None:
    """Udskriv en versions definition som JSON."""
    definition = _resolve(_registry(ctx), ref)
    click.echo(_dump(_thaw(definition.raw)))
