"""``forms-service answers migrate``: the migrated answers on stdout, what did not carry over
on stderr, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms_service.cli import main

V1_COMPLETE = Path(__file__).parents[1] / "fixtures" / "answers" / "v1_complete.json"


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["answers", "migrate", *args])


def test_migrating_to_the_pilot_renames_and_lists_what_did_not_carry_over() -> None:
    result = _run(
        "sagsoplysningsskema@1.0.0", "sagsoplysningsskema@2.0.0-pilot.1", str(V1_COMPLETE)
    )
    assert result.exit_code == 0, result.stderr
    migrated = json.loads(result.stdout)
    original = json.loads(V1_COMPLETE.read_text(encoding="utf-8"))
    # the pilot renamed the work-capacity field; the value moves with it
    assert migrated["arbejdsevne_timer_pr_uge"] == original["arbejdsevne_timer"]
    assert "arbejdsevne_timer" not in migrated
    # 1.0.0's documentation question has no place in the pilot: named on stderr, not dropped
    lost = [line for line in result.stderr.splitlines() if line.startswith("ikke overført: ")]
    assert any("dokumentation_tilknytning" in line for line in lost), result.stderr
    assert all("dokumentation_tilknytning" not in key for key in migrated)


def test_the_same_version_carries_everything() -> None:
    result = _run("sagsoplysningsskema@1.0.0", "sagsoplysningsskema@1.0.0", str(V1_COMPLETE))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(V1_COMPLETE.read_text(encoding="utf-8"))
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("sagsoplysningsskema@1.0.0", "sagsoplysningsskema@9.9.9", "V1"), "9.9.9"),
        (("sagsoplysningsskema@1.0.0", "sagsoplysningsskema@1.0.0", "/nope.json"), "findes ikke"),
        (("sagsoplysningsskema", "sagsoplysningsskema@1.0.0", "V1"), "sagsoplysningsskema"),
    ],
)
def test_bad_input_exits_2_with_a_danish_message(args: tuple[str, ...], said: str) -> None:
    args = tuple(str(V1_COMPLETE) if a == "V1" else a for a in args)
    result = _run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert said in result.stderr


def test_a_file_that_is_not_an_answers_object_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("[1, 2]", encoding="utf-8")
    result = _run("sagsoplysningsskema@1.0.0", "sagsoplysningsskema@1.0.0", str(path))
    assert result.exit_code == 2
    assert "JSON-objekt" in result.stderr
    path.write_text("{nej", encoding="utf-8")
    assert _run("sagsoplysningsskema@1.0.0", "sagsoplysningsskema@1.0.0", str(path)).exit_code == 2


def test_two_different_forms_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    root = Path(__file__).parents[2]
    shutil.copytree(
        root / "form_definitions" / "sagsoplysningsskema", tmp_path / "sagsoplysningsskema"
    )
    shutil.copytree(
        root / "tests" / "completeness" / "fixtures" / "definitions" / "lille", tmp_path / "lille"
    )
    monkeypatch.setenv("FORMS_SERVICE_DEFINITIONS_DIR", str(tmp_path))
    result = _run("sagsoplysningsskema@1.0.0", "lille@1.0.0", str(V1_COMPLETE))
    assert result.exit_code == 2
    assert "ikke det samme skema" in result.stderr


V2_COMPLETE = Path(__file__).parents[1] / "fixtures" / "answers" / "v2_complete.json"


@pytest.mark.parametrize(
    ("source", "target", "answers"),
    [
        ("1.1.0", "1.2.0", V1_COMPLETE),
        ("2.0.0-pilot.2", "2.0.0-pilot.3", V2_COMPLETE),
    ],
)
def test_the_new_versions_carry_every_answer_of_their_predecessor(
    source: str, target: str, answers: Path, tmp_path: Path
) -> None:
    """1.2.0 and pilot 3 add a field and widen a pattern; no answer is renamed or lost."""
    original = json.loads(answers.read_text(encoding="utf-8"))
    original["atp_aar"] = 20.0  # an ATP gap: the new explanation field shows, still empty
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(original, ensure_ascii=False), encoding="utf-8")
    result = _run(f"sagsoplysningsskema@{source}", f"sagsoplysningsskema@{target}", str(path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == original
    assert result.stderr == ""


def test_a_phone_with_country_code_carries_forward_to_1_2_0(tmp_path: Path) -> None:
    answers = json.loads(V1_COMPLETE.read_text(encoding="utf-8"))
    answers["kontakt_telefon"] = "+45 12 34 56 78"
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    forward = _run("sagsoplysningsskema@1.1.0", "sagsoplysningsskema@1.2.0", str(path))
    assert forward.exit_code == 0, forward.stderr
    assert json.loads(forward.stdout)["kontakt_telefon"] == "+45 12 34 56 78"
