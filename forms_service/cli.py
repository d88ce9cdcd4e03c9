"""The ``forms-service`` command.

Each package contributes its own click commands from a ``commands`` module; this file only
assembles them, so a package's CLI lives beside the code it drives.
"""

from __future__ import annotations

import click

from forms_service.answers.commands import answers
from forms_service.cases.commands import db, users
from forms_service.cases.key_commands import keys_group
from forms_service.completeness.commands import completeness
from forms_service.definitions.commands import definitions
from forms_service.demo.commands import demo
from forms_service.documents.commands import documents
from forms_service.editor.commands import editor
from forms_service.notifications.commands import notifications, webhooks
from forms_service.pilots.commands import pilots
from forms_service.reporting.commands import reporting
from forms_service.seniorpension.commands import pension_age
from forms_service.server import run, worker
from forms_service.sso.commands import sso


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forms-service")
def main() -> None:
    """forms-service: sagsoplysningsskema, vejledning og fuldstændighed for seniorpension."""
    # Every command's writes keep the reporting tables current, as the app's do. Imported here,
    # not above: 'forms-service --help' never loads the models.
    from forms_service import wiring
    from forms_service.definitions.registry import registry_for

    wiring.install()
    # one definition source: the files and the versions published in the configured database
    registry_for(None)


for command in (
    db,
    users,
    demo,
    run,
    pension_age,
    definitions,
    completeness,
    answers,
    documents,
    worker,
    editor,
    reporting,
    pilots,
    notifications,
    webhooks,
    sso,
    keys_group,
):
    main.add_command(command)
