"""The ``forms-service`` command.

Each package contributes its own click commands from a ``commands`` module; this file only
assembles them. A command's module is imported when that command runs (or shows its own help),
not for ``forms-service --help``: the packages behind the commands import SQLAlchemy, Alembic,
the CEL interpreter and docxtpl, which cost seconds on a loaded machine. So each command is
named here with its short help, and ``tests/test_cli.py`` checks that table against the real
commands.
"""

from __future__ import annotations

from collections.abc import Callable

import click

_ARGS = "forms_service.cli.args"
# Commands that need no database: no models and listeners are loaded for them.
WITHOUT_DATABASE = frozenset({"pension-age"})


def _db() -> click.Command:
    from forms_service.cases.commands import db

    return db


def _users() -> click.Command:
    from forms_service.cases.commands import users

    return users


def _demo() -> click.Command:
    from forms_service.demo.commands import demo

    return demo


def _run() -> click.Command:
    from forms_service.server import run

    return run


def _worker() -> click.Command:
    from forms_service.server import worker

    return worker


def _pension_age() -> click.Command:
    from forms_service.seniorpension.commands import pension_age

    return pension_age


def _definitions() -> click.Command:
    from forms_service.definitions.commands import definitions

    return definitions


def _completeness() -> click.Command:
    from forms_service.completeness.commands import completeness

    return completeness


def _answers() -> click.Command:
    from forms_service.answers.commands import answers

    return answers


def _documents() -> click.Command:
    from forms_service.documents.commands import documents

    return documents


def _editor() -> click.Command:
    from forms_service.editor.commands import editor

    return editor


def _reporting() -> click.Command:
    from forms_service.reporting.commands import reporting

    return reporting


def _pilots() -> click.Command:
    from forms_service.pilots.commands import pilots

    return pilots


def _notifications() -> click.Command:
    from forms_service.notifications.commands import notifications

    return notifications


def _webhooks() -> click.Command:
    from forms_service.notifications.commands import webhooks

    return webhooks


def _keys() -> click.Command:
    from forms_service.cases.key_commands import keys_group

    return keys_group


def _retention() -> click.Command:
    from forms_service.privacy.commands import retention

    return retention


def _gdpr() -> click.Command:
    from forms_service.privacy.commands import gdpr

    return gdpr


def _sso() -> click.Command:
    from forms_service.sso.commands import sso

    return sso


# name -> (the command, its short help as 'forms-service --help' lists it)
COMMANDS: dict[str, tuple[Callable[[], click.Command], str]] = {
    "answers": (_answers, "Svar på et skema: svarmigrering til en anden version."),
    "completeness": (
        _completeness,
        "Er sagen tilstrækkeligt oplyst? Udskriver fuldstændighedsrapporten som JSON.",
    ),
    "db": (_db, "Databasen: skemamigrering med Alembic."),
    "definitions": (
        _definitions,
        "Formulardefinitioner: kontrol, versioner, JSON Schema og forskelle.",
    ),
    "demo": (_demo, "Fyld databasen med demo-brugere og -sager (migrerer først)."),
    "documents": (
        _documents,
        "Word-dokumenter: udfyldt skema, vejledning, blankt skema og pjece.",
    ),
    "gdpr": (_gdpr, "Den registreredes rettigheder: indsigt i alt om et CPR-nummer (artikel 15)."),
    "editor": (
        _editor,
        "Skemaredigering: eksport, import, ikrafttræden og virkning af en udgivelse.",
    ),
    "keys": (_keys, "Krypteringsnøgler for personoplysninger (FORMS_SERVICE_ENCRYPTION_KEYS)."),
    "notifications": (_notifications, "Hændelser, e-mails og fristpåmindelser."),
    "pension-age": (
        _pension_age,
        "Folkepensionsalder og tidligste seniorpensions- og ansøgningsdato for en fødselsdato.",
    ),
    "pilots": (_pilots, "Piloter: afslutning og versionsflytning af sager."),
    "reporting": (_reporting, "Statistik: vedligehold af opgørelsestabellerne."),
    "retention": (
        _retention,
        "Sletning af personoplysninger efter sagens tilstand, og tilbageholdelse.",
    ),
    "run": (_run, "Start tjenesten med Flasks indbyggede server (til demo og udvikling)."),
    "sso": (_sso, "Log ind gennem organisationens identitetsudbyder (OpenID Connect og SAML)."),
    "users": (_users, "Brugere og API-nøgler."),
    "webhooks": (
        _webhooks,
        "Webhook-abonnementer for kommunernes fagsystemer (Standard Webhooks-signeret).",
    ),
    "worker": (_worker, "Arbejdsproces for baggrundsjob (RQ) – kræver FORMS_SERVICE_REDIS_URL."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when used; the listing uses the table above."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        return entry[0]() if entry is not None else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[_ARGS] = rest  # the command's own arguments: does it ask for its help?
        return name, command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # as click.Group does, with the table's help instead of importing every command
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=short_help).get_short_help_str(limit))
            for name, (_load, short_help) in sorted(COMMANDS.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forms-service")
@click.pass_context
def main(ctx: click.Context) -> None:
    """forms-service: sagsoplysningsskema, vejledning og fuldstændighed for seniorpension."""
    if ctx.invoked_subcommand in WITHOUT_DATABASE or _asks_for_help(ctx):
        return
    # Every command's writes keep the reporting tables current, as the app's do. Imported here,
    # not above: 'forms-service --help' never loads the models.
    from forms_service import wiring
    from forms_service.definitions.registry import own_registry, stop_using_registry, use_registry

    wiring.install()
    # one definition source: the files and the versions published in the configured database
    # (or a command's --database-url), in a registry of the command's own, so a command run in
    # an app's process leaves the app's registry as it was
    token = use_registry(own_registry())
    ctx.call_on_close(lambda: stop_using_registry(token))


def _asks_for_help(ctx: click.Context) -> bool:
    """``forms-service COMMAND … --help``: the help needs no models."""
    return any(arg in ctx.help_option_names for arg in ctx.meta.get(_ARGS, ()))
