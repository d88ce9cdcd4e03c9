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
