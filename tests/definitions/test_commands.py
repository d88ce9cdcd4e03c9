"""``forms-service definitions …`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from forms_service.cli import main
from forms_service.definitions.diff.compute import diff_definitions
from forms_service.definitions.jsonschema import definition_json_schema
from forms_service.definitions.loader import load_definition_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"


def run(*args: str, root: Path | None = FIXTURES) -> Result:
    prefix = ["definitions", "--root", str(root)] if root is not None else ["definitions"]
    return CliRunner().invoke(main, [*prefix, *args])


def _matches(expected: str, line: str) -> bool:
    return line.startswith(expected[:-1]) if expected.endswith("…") else line == expected


def test_validate_every_file_under_the_root() -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    hashes = {
        name: load_definition_file(FIXTURES / name).content_hash
        for name in ("difftest/1.0.0.json", "difftest/2.0.0.json", "small/1.0.0.json")
    }
    assert result.stdout.splitlines() == [
        f"difftest/1.0.0.json: OK (difftest@1.0.0, 4 sektioner, 14 felter, "
        f"sha256 {hashes['difftest/1.0.0.json']})",
        f"difftest/2.0.0.json: OK (difftest@2.0.0, 4 sektioner, 15 felter, "
        f"sha256 {hashes['difftest/2.0.0.json']})",
        f"small/1.0.0.json: OK (small@1.0.0, 2 sektioner, 11 felter, "
        f"sha256 {hashes['small/1.0.0.json']})",
    ]


def test_validate_the_bundled_case_information_form() -> None:
    result = run("validate", str(ROOT / "form_definitions" / "sagsoplysningsskema"), root=None)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "sagsoplysningsskema/1.0.0.json",
        "sagsoplysningsskema/1.1.0.json",
        "sagsoplysningsskema/1.2.0.json",
        "sagsoplysningsskema/2.0.0-pilot.1.json",
        "sagsoplysningsskema/2.0.0-pilot.2.json",
        "sagsoplysningsskema/2.0.0-pilot.3.json",
    ]
    assert all(": OK (" in line for line in lines)


def test_validate_a_broken_folder_lists_every_problem_and_exits_1() -> None:
    result = run("validate", str(BROKEN))
    assert result.exit_code == 1
    expected = [
        *(BROKEN / "invalid_json" / "1.0.0.expected.txt").read_text("utf-8").splitlines(),
        *(BROKEN / "small" / "1.0.0.expected.txt").read_text("utf-8").splitlines(),
    ]
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) == 21
    for want, got in zip(expected, lines, strict=True):
        assert _matches(want, got), (want, got)
    assert result.stderr == "2 af 2 filer har fejl.\n"


def test_validate_one_broken_file_among_good_ones() -> None:
    result = run("validate", str(FIXTURES / "small" / "1.0.0.json"), str(BROKEN / "invalid_json"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("small/1.0.0.json: OK (small@1.0.0, ")
    assert result.stdout.splitlines()[1] == (
        "invalid_json/1.0.0.json: linje 5, kolonne 3: ugyldig JSON: Expecting ',' delimiter"
    )
    assert result.stderr == "1 af 2 filer har fejl.\n"


def test_validate_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", root=tmp_path)
    assert result.exit_code == 2
    assert "ingen definitioner fundet" in result.stderr


def test_validate_a_path_that_does_not_exist() -> None:
    result = run("validate", str(FIXTURES / "findes-ikke.json"))
    assert result.exit_code == 2


def test_list() -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout == "difftest: 1.0.0 (udløbet), 2.0.0 (gældende)\nsmall: 1.0.0 (gældende)\n"
    as_json = json.loads(run("list", "--json").stdout)
    assert as_json == {
        "difftest": {
            "versions": ["1.0.0", "2.0.0"],
            "latest": "2.0.0",
            "current": ["2.0.0"],
            "status": {"1.0.0": {"status": "ended"}, "2.0.0": {"status": "current"}},
        },
        "small": {
            "versions": ["1.0.0"],
            "latest": "1.0.0",
            "current": ["1.0.0"],
            "status": {"1.0.0": {"status": "current"}},
        },
    }


def test_list_shows_current_scheduled_and_ended_from_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        (tmp_path / "x" / f"{version}.json").write_text("{}")
    (tmp_path / "x" / "in-force.toml").write_text(
        '[versions."1.1.0"]\nin_force_until = 2027-09-30\n'
        '[versions."1.2.0"]\nin_force_from = 2027-07-01\n',
        encoding="utf-8",
    )
    before = run("list", "--dato", "2027-06-30", root=tmp_path)
    assert before.stdout == (
        "x: 1.0.0 (udløbet), 1.1.0 (gældende til 30-09-2027), 1.2.0 (planlagt fra 01-07-2027)\n"
    )
    # on the date 1.2.0 is current without anyone acting; 1.1.0 stays beside it until its end
    during = run("list", "--dato", "2027-07-01", root=tmp_path)
    assert during.stdout == (
        "x: 1.0.0 (udløbet), 1.1.0 (gældende til 30-09-2027), 1.2.0 (gældende)\n"
    )
    after = json.loads(run("list", "--json", "--dato", "01-10-2027", root=tmp_path).stdout)
    assert after["x"]["current"] == ["1.2.0"]
    assert after["x"]["status"]["1.1.0"]["status"] == "ended"
    assert after["x"]["status"]["1.2.0"]["in_force_from"] == "2027-07-01"


def test_list_names_a_broken_manifest(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "1.0.0.json").write_text("{}")
    (tmp_path / "x" / "in-force.toml").write_text('[versions."1.0.0"]\nin_force_from = "juli"\n')
    result = run("list", root=tmp_path)
    assert result.exit_code == 1
    assert "versions.1.0.0.in_force_from: 'juli' er ikke en dato" in result.stderr


def test_list_marks_prereleases(tmp_path: Path) -> None:
    for version in ("1.0.0", "2.0.0-pilot.1"):
        (tmp_path / "x").mkdir(exist_ok=True)
        (tmp_path / "x" / f"{version}.json").write_text("{}")
    result = run("list", root=tmp_path)
    assert result.stdout == "x: 1.0.0 (gældende), 2.0.0-pilot.1 (forhåndsversion)\n"


def test_schema_prints_the_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == definition_json_schema()


def test_diff_text() -> None:
    result = run("diff", "difftest@1.0.0", "difftest@2.0.0")
    assert result.exit_code == 0, result.output
    expected = (FIXTURES / "difftest" / "diff_1.0.0_2.0.0.da.txt").read_text("utf-8")
    assert result.stdout == expected


def test_diff_english_and_latest() -> None:
    result = run("diff", "--lang", "en", "difftest@1.0.0", "difftest@latest")
    assert result.exit_code == 0
    expected = (FIXTURES / "difftest" / "diff_1.0.0_2.0.0.en.txt").read_text("utf-8")
    assert result.stdout == expected


def test_diff_json() -> None:
    result = run("diff", "--json", "difftest@1.0.0", "difftest@2.0.0")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    old = load_definition_file(FIXTURES / "difftest" / "1.0.0.json")
    new = load_definition_file(FIXTURES / "difftest" / "2.0.0.json")
    assert data == diff_definitions(old, new).to_dict()
    assert data["counts"]["fields_moved"] == 2
    assert data["guidance_may_be_stale"] == ["kendt"]


def test_diff_of_the_bundled_versions_is_readable() -> None:
    result = run("diff", "sagsoplysningsskema@1.0.0", "sagsoplysningsskema@2.0.0-pilot.1",
                 root=ROOT / "form_definitions")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Ændringer fra sagsoplysningsskema@1.0.0 til sagsoplysningsskema@2.0.0-pilot.1"
    )
    assert any(line.startswith("+ Sektion ") for line in lines)
    assert lines[-1].startswith("I alt: felter ")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "difftest",
            "'difftest' skal have formen FORMULAR@VERSION, fx sagsoplysningsskema@1.0.0",
        ),
        ("nope@1.0.0", "ukendt formularversion 'nope@1.0.0'"),
        ("nope@latest", "ukendt formular 'nope'"),
        ("difftest@9.9.9", "ukendt formularversion 'difftest@9.9.9'"),
    ],
)
def test_bad_refs_exit_2_with_a_clear_message(ref: str, message: str) -> None:
    for args in (("diff", "difftest@1.0.0", ref), ("diff", ref, "difftest@1.0.0"), ("show", ref)):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr == f"Fejl: {message}\n"
        assert result.stdout == ""


def test_a_broken_version_exits_1_with_its_problems() -> None:
    result = run("show", "small@1.0.0", root=BROKEN)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[-1] == "Fejl: 'small@1.0.0' kan ikke indlæses"


def test_show_prints_the_definition() -> None:
    result = run("show", "small@latest")
    assert result.exit_code == 0
    path = FIXTURES / "small" / "1.0.0.json"
    assert json.loads(result.stdout) == json.loads(path.read_text("utf-8"))


def test_the_root_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMS_SERVICE_DEFINITIONS_DIR", str(FIXTURES))
    result = run("list", root=None)
    assert result.stdout.splitlines()[0] == "difftest: 1.0.0 (udløbet), 2.0.0 (gældende)"
