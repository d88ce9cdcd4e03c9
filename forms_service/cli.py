"""The ``forms-service`` command.

Each package contributes its own click commands from a ``commands`` module; this file only
assembles them, so a package's CLI lives beside the code it drives.
"""

from __future__ import annotations

import importlib

import click

# (module, attribute) of each click command or group added to the top-level command.
COMMAND_MODULES: list[tuple[str, str]] = [
    ("forms_service.cases.commands", "db"),
    ("forms_service.cases.commands", "users"),
    ("forms_service.cases.commands", "demo"),
    ("forms_service.web.commands", "run"),
    ("forms_service.seniorpension.commands", "pension_age"),
    ("forms_service.definitions.commands", "definitions"),
    ("forms_service.completeness.commands", "completeness"),
    ("forms_service.answers.commands", "answers"),
    ("forms_service.documents.commands", "documents"),
    ("forms_service.documents.commands", "worker"),
    ("forms_service.editor.commands", "editor"),
    ("forms_service.reporting.commands", "reporting"),
    ("forms_service.pilots.commands", "pilots"),
    ("forms_service.notifications.commands", "notifications"),
    ("forms_service.notifications.commands", "webhooks"),
    ("forms_service.sso.commands", "sso"),
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forms-service")
def main() -> None:
    """forms-service: sagsoplysningsskema, vejledning og fuldstændighed for seniorpension."""


def _register() -> None:
    for module_name, attribute in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        main.add_command(getattr(module, attribute))


_register()
