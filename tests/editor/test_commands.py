"""``forms-service editor export`` and ``import``: round trip through files, never replacing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from forms_service.cli import main
from forms_service.definitions.loader import content_hash, load_definition_file
from forms_service.definitions.registry import definitions_root

FORM = "sagsoplysningsskema"


def test_export_import_round_trip(db_url: str, db_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    # a new version as a file, imported into the database
    data = json.loads((definitions_root() / FORM / "1.0.0.json").read_text("utf-8"))
    data["version"], data["based_on"] = "1.3.0", "1.0.0"
    source = tmp_path / "in" / FORM / "1.3.0.json"
    source.parent.mkdir(parents=True)
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["editor", "import", str(source), "--database-url", db_url])
    assert result.exit_code == 0, result.output
    assert f"{FORM}@1.3.0 er importeret (hash {content_hash(data)})" in result.output

    # exported from the database as a file of form_definitions/
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["editor", "export", f"{FORM}@1.3.0", str(out), "--database-url", db_url]
    )
    assert result.exit_code == 0, result.output
    exported = out / FORM / "1.3.0.json"
    assert load_definition_file(exported).content_hash == content_hash(data)
    assert exported.read_text("utf-8").endswith("}\n")

    # importing the export again changes nothing; other content under the number is refused
    result = runner.invoke(main, ["editor", "import", str(exported), "--database-url", db_url])
    assert result.exit_code == 0 and "intet er ændret" in result.output
    data["title"] = "Et andet indhold"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["editor", "import", str(source), "--database-url", db_url])
    assert result.exit_code == 1
    assert "findes allerede med et andet indhold" in result.output


def test_invalid_file_lists_its_problems(db_url: str, db_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / FORM / "3.0.0.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"form": "sagsoplysningsskema", "version": "3.0.0"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["editor", "import", str(bad), "--database-url", db_url])
    assert result.exit_code == 1
    assert "sagsoplysningsskema/3.0.0.json: title:" in result.output
    assert "kan ikke importeres" in result.output


def _file(tmp_path: Path, version: str) -> Path:
    data = json.loads((definitions_root() / FORM / "1.2.0.json").read_text("utf-8"))
    data["version"], data["based_on"] = version, "1.2.0"
    data["title"] = f"{data['title']} ({version})"
    source = tmp_path / "in" / FORM / f"{version}.json"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return source


def test_import_with_a_date_then_list_and_move_it(db_url: str, db_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    source = _file(tmp_path, "1.3.0")
    result = runner.invoke(
        main,
        ["editor", "import", str(source), "--fra", "2030-07-01", "--database-url", db_url],
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(main, ["definitions", "list", "--database-url", db_url])
    assert "1.2.0 (gældende), 1.3.0 (planlagt fra 01-07-2030)" in listed.stdout
    on_the_day = runner.invoke(
        main, ["definitions", "list", "--database-url", db_url, "--dato", "2030-07-01"]
    )
    assert "1.2.0 (udløbet), 1.3.0 (gældende)" in on_the_day.stdout
    moved = runner.invoke(
        main,
        ["editor", "in-force", f"{FORM}@1.3.0", "--fra", "01-08-2030", "--database-url", db_url],
    )
    assert moved.exit_code == 0, moved.output
    assert "træder i kraft 01-08-2030" in moved.output
    bundled = runner.invoke(
        main,
        ["editor", "in-force", f"{FORM}@1.1.0", "--fra", "2030-08-01", "--database-url", db_url],
    )
    assert bundled.exit_code == 1 and "in-force.toml" in bundled.output


def test_import_during_a_running_pilot_needs_a_choice(
    db_url: str, db_engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from forms_service.cases import db as cases_db
    from forms_service.cases.roles import Actor, Role
    from forms_service.definitions.registry import Registry
    from forms_service.pilots.service import PilotInput, create_pilot

    today = dt.date.today()
    with cases_db.make_session_factory(db_engine)() as session:
        pilot = create_pilot(
            session,
            Actor(id=None, username="editor", role=Role.FORM_EDITOR),
            PilotInput(
                name="Kørende pilot",
                form=FORM,
                candidate_version="2.0.0-pilot.3",
                comparison_version="1.2.0",
                pilot_codes=(147,),
                start_date=today - dt.timedelta(days=30),
                end_date=today + dt.timedelta(days=300),
            ),
            Registry(definitions_root()),
        )
        key = f"pilot-{pilot.id}-comparison"
    runner = CliRunner()
    source = _file(tmp_path, "1.3.0")
    refused = runner.invoke(main, ["editor", "import", str(source), "--database-url", db_url])
    assert refused.exit_code == 1
    assert "Kørende pilot" in refused.output and "Vælg, før versionen udgives" in refused.output
    done = runner.invoke(
        main,
        ["editor", "import", str(source), "--pilot", f"{key}=keep", "--database-url", db_url],
    )
    assert done.exit_code == 0, done.output
