"""``forms-service answers migrate FORM@FROM FORM@TO ANSWERS.json``: move answers to a version.

Prints the migrated answers document as JSON on stdout and lists on stderr, one line each,
what did not carry over (path, question, value, reason), so a municipality's case system can
move a case to another version exactly as the service does. Exit 0 (also when something did
not carry over: the list says what); 2 when the input cannot be read: a missing file, invalid
JSON, an unknown form version, or two different forms.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

# The definitions and the migration are imported where a command runs: they load the CEL
# interpreter, which ``forms-service answers --help`` does not need (tests/test_cli.py).

UNREADABLE = 2


def fail(message: str) -> NoReturn:
    """Print a Danish error and exit 2 (input that cannot be read)."""
    click.echo(f"fejl: {message}", err=True)
    sys.exit(UNREADABLE)


def read_answers(path: str) -> dict[str, Any]:
    """An answers document from a JSON file, or exit 2 naming what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"filen '{path}' findes ikke")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"filen '{path}' kan ikke læses: {exc}")
    try:
        answers = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"'{path}' er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}: {exc.msg})")
    if not isinstance(answers, dict):
        fail(f"'{path}' skal indeholde et JSON-objekt med svarene, nøglet efter felt-id")
    return answers


@click.group("answers")
def answers() -> None:
    """Svar på et skema: svarmigrering til en anden version."""


@answers.command("migrate")
@click.argument("from_ref", metavar="FORM@FRA")
@click.argument("to_ref", metavar="FORM@TIL")
@click.argument("answers_path", metavar="ANSWERS.json")
def migrate(from_ref: str, to_ref: str, answers_path: str) -> None:
    """Flyt svarene til en anden version; det, der ikke kan flyttes, står på stderr."""
    from forms_service.answers.migration import migrate_answers
    from forms_service.definitions.registry import UnknownFormError, default_registry

    registry = default_registry()
    try:
        old, new = registry.resolve(from_ref), registry.resolve(to_ref)
    except (ValueError, UnknownFormError) as exc:
        fail(str(exc))
    if old.form != new.form:
        fail(f"{from_ref} og {to_ref} er ikke det samme skema")
    result = migrate_answers(old, new, read_answers(answers_path))
    click.echo(json.dumps(result.answers, ensure_ascii=False, indent=2, sort_keys=True))
    for lost in result.not_carried:
        value = json.dumps(lost.value, ensure_ascii=False)
        click.echo(
            f"ikke overført: {lost.path} (»{lost.label}«) = {value}: {lost.reason}", err=True
        )
