"""``forms-service completeness``: the report as JSON, exit 0 either way, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from forms_service.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def _run(*args: str):
    return CliRunner().invoke(main, ["completeness", *args])


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_incomplete_case_prints_the_report_and_exits_0(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMS_SERVICE_DEFINITIONS_DIR", str(FIXTURES / "definitions"))
    answers = _write(tmp_path, "a.json", json.dumps({"ansoegningsdato": "2025-01-01"}))
    result = _run("lille@1.0.0", answers, "--today", "2025-03-01")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sufficient"] is False
    assert report["evaluated_on"] == "2025-03-01"
    assert [c["status"] for c in report["criteria"]] == [
        "missing",
        "missing",
        "missing",
        "insufficient",
    ]
    assert [c["status"] for c in report["conditions"]] == ["undetermined"]
    # deterministic: the same input prints the same bytes
    assert _run("lille@1.0.0", answers, "--today", "2025-03-01").output == result.output


def test_a_sufficient_case_exits_0(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMS_SERVICE_DEFINITIONS_DIR", str(FIXTURES / "definitions"))
    sets = json.loads((FIXTURES / "lille_answers.json").read_text(encoding="utf-8"))
    answers = _write(tmp_path, "a.json", json.dumps(sets["complete"]))
    result = _run("lille@1.0.0", answers, "--today", "2025-03-01")
    assert result.exit_code == 0
    assert json.loads(result.output)["sufficient"] is True


def test_the_bundled_form_runs_from_the_command_line(tmp_path):
    case = json.loads((FIXTURES / "cases" / "v1_all_complete.json").read_text(encoding="utf-8"))
    answers = _write(tmp_path, "a.json", json.dumps(case["answers"]))
    result = _run(case["form"], answers, "--today", case["today"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sufficient"] is True


def test_a_missing_file_exits_2_with_a_message(tmp_path):
    result = _run("sagsoplysningsskema@1.0.0", str(tmp_path / "findes-ikke.json"))
    assert result.exit_code == 2
    assert "findes ikke" in result.stderr
    assert result.stdout == ""


def test_invalid_json_exits_2(tmp_path):
    result = _run("sagsoplysningsskema@1.0.0", _write(tmp_path, "a.json", "{ikke json"))
    assert result.exit_code == 2
    assert "ikke gyldig JSON" in result.stderr


def test_answers_that_are_not_an_object_exit_2(tmp_path):
    result = _run("sagsoplysningsskema@1.0.0", _write(tmp_path, "a.json", "[1, 2]"))
    assert result.exit_code == 2
    assert "JSON-objekt" in result.stderr


def test_an_unknown_form_version_exits_2(tmp_path):
    result = _run("sagsoplysningsskema@9.9.9", _write(tmp_path, "a.json", "{}"))
    assert result.exit_code == 2
    assert "ukendt formularversion 'sagsoplysningsskema@9.9.9'" in result.stderr


def test_a_reference_without_version_exits_2(tmp_path):
    result = _run("sagsoplysningsskema", _write(tmp_path, "a.json", "{}"))
    assert result.exit_code == 2
    assert "FORMULAR@VERSION" in result.stderr


def test_a_bad_today_exits_2(tmp_path):
    result = _run("sagsoplysningsskema@1.0.0", _write(tmp_path, "a.json", "{}"), "--today", "1/3")
    assert result.exit_code == 2
    assert "--today '1/3' er ikke en dato" in result.stderr
