"""``forms-service completeness FORM@VERSION ANSWERS.json``: the completeness report as JSON.

Exit 0 whether the case is sufficient or not (the answer is in the report); exit 2 when the
input cannot be read: a missing file, invalid JSON, an unknown form version or a bad date.
"""

from __future__ import annotations

import datetime as dt

import click

from forms_service.answers.commands import fail, read_answers

# the engine and the definitions load the CEL interpreter: imported where the command runs

UNREADABLE = 2


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
    from forms_service.completeness.engine import evaluate_completeness
    from forms_service.definitions.registry import UnknownFormError, default_registry

    try:
        definition = default_registry().resolve(form_ref)
    except (ValueError, UnknownFormError) as exc:
        fail(str(exc))
    today = dt.date.today()
    if today_text is not None:
        try:
            today = dt.date.fromisoformat(today_text)
        except ValueError:
            fail(f"--today '{today_text}' er ikke en dato; brug ÅÅÅÅ-MM-DD")
    answers = read_answers(answers_path)
    report = evaluate_completeness(definition, answers, today=today)
    click.echo(report.to_json())
