"""The ``forms-service`` command: its listing without importing the commands, and the
commands it names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from forms_service.cli import COMMANDS, main
from forms_service.definitions.registry import default_registry, definitions_root, process_registry

FORM = "sagsoplysningsskema"
HEAVY = ("sqlalchemy", "alembic", "docxtpl", "cel", "flask", "forms_service.cases.models")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listing_says_what_each_command_says_of_itself(name: str) -> None:
    load, short_help = COMMANDS[name]
    command = load()
    assert command.name == name
    assert short_help == command.get_short_help_str(limit=10**6)


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:")[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == sorted(COMMANDS)


@pytest.mark.parametrize(
    "argv", [["--help"], ["documents", "--help"], ["documents", "bulk", "--help"], ["db", "-h"]]
)
def test_help_imports_no_database_cel_or_word_library(argv: list[str]) -> None:
    code = (
        "import sys; from forms_service.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _help_argvs(names: tuple[str, ...]) -> list[list[str]]:
    """``NAME --help`` and, for a group, ``NAME SUB --help`` for each of its subcommands."""
    argvs = []
    for name in names:
        command = COMMANDS[name][0]()
        argvs.append([name, "--help"])
        if isinstance(command, click.Group):
            argvs += [[name, sub, "--help"] for sub in sorted(command.commands)]
    return argvs


@pytest.mark.parametrize(
    "argv",
    _help_argvs(
        (
            "answers",
            "completeness",
            "definitions",
            "demo",
            "editor",
            "gdpr",
            "keys",
            "notifications",
            "pilots",
            "reporting",
            "retention",
            "sso",
            "webhooks",
        )
    ),
    ids=" ".join,
)
def test_a_commands_own_help_imports_no_database_or_cel(argv: list[str]) -> None:
    code = (
        "import sys; from forms_service.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage:" in done.stdout  # the help itself was printed
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_command_without_database_loads_no_models() -> None:
    code = (
        "import sys; from forms_service.cli import main\n"
        "try:\n    main(['pension-age', '1960-01-01'])\nexcept SystemExit:\n    pass\n"
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert '"pension_age_date": "2027-01-01"' in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_an_unknown_command_is_refused() -> None:
    result = CliRunner().invoke(main, ["nonsense"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_commands_are_click_commands() -> None:
    assert all(isinstance(load(), click.Command) for load, _help in COMMANDS.values())


# -- issue 12: a command run in an app's process leaves the app's registry as it was ---------


def _published(tmp_path: Path, version: str) -> Path:
    """A new version of the form as a file, to import into a database."""
    data = json.loads((definitions_root() / FORM / "1.2.0.json").read_text("utf-8"))
    data["version"], data["based_on"] = version, "1.2.0"
    source = tmp_path / "in" / FORM / f"{version}.json"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return source


def test_a_command_in_the_apps_process_leaves_the_apps_registry_intact(  # type: ignore[no-untyped-def]
    app, db_url: str, tmp_path: Path
) -> None:
    registry = app.extensions["forms_service.registry"]
    runner = CliRunner()
    # another database, read by a command run in the same process (as tests and `run` do)
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    listed = runner.invoke(main, ["definitions", "list", "--database-url", other])
    assert listed.exit_code == 0, listed.output
    # a version published in the app's database after that command
    source = _published(tmp_path, "1.3.0")
    imported = runner.invoke(
        main, ["editor", "import", str(source), "--fra", "2030-07-01", "--database-url", db_url]
    )
    assert imported.exit_code == 0, imported.output

    # the app still reads its own database: the new version is found there
    assert app.extensions["forms_service.registry"] is registry
    assert registry.get(FORM, "1.3.0").version == "1.3.0"
    # and the command's registry is gone with the command
    assert default_registry() is process_registry()
