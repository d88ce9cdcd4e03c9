"""``forms-service completeness FORM@VERSION ANSWERS.json``: the completeness report as JSON.

Exit 0 whether the case is sufficient or not (the answer is in the report); exit 2 when the
input cannot be read: a missing file, invalid JSON, an unknown form version or a bad date.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from forms_service.completeness.engine import evaluate_completeness
from forms_service.definitions.registry import UnknownFormError, default_registry

UNREADABLE = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"fejl: {message}", err=True)
    sys.exit(UNREADABLE)


def _read_answers(path: str) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"filen '{path}' findes ikke")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"filen '{path}' kan ikke læses: {exc}")
    try:
        answers = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"'{path}' er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}: {exc.msg})")
    if not isinstance(answers, dict):
        _fail(f"'{path}' skal indeholde et JSON-objekt med svarene, nøglet efter felt-id")
    return answers


@click.command("completeness")
@click.argument("form_ref", metavar="FORM@VERSION")
@click.argument("answers_path", metavar="ANSWERS.json")
@click.option(
    "--today",
    "today_text",
    metavar="ÅÅÅÅ-MM-DD",
    help="Vurderingsdatoen (standard: dags dato).",
)
def completeness(form_ref: str, answers_path: str, today_text: str | None) -> None:
    """Er sagen tilstrækkeligt oplyst? Udskriver fuldstændighedsrapporten som JSON."""
    try:
        definition = default_registry().resolve(form_ref)
    except (ValueError, UnknownFormError) as exc:
        _fail(str(exc))
    today = dt.date.today()
    if today_text is not None:
        try:
            today = dt.date.fromisoformat(today_text)
        except ValueError:
            _fail(f"--today '{today_text}' er ikke en dato; brug ÅÅÅÅ-MM-DD")
    answers = _read_answers(answers_path)
    report = evaluate_completeness(definition, answers, today=today)
    click.echo(report.to_json())
