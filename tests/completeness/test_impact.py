"""The impact replay's shortcuts give the results of the straightforward replay, case by case.

``replay(..., shortcuts=False)`` migrates the answers, evaluates them under both versions and
compares the whole reports and validations. The shortcuts (issue 19) keep the answers' own
evaluation per answer set, skip the migration and the second validation when the draft
evaluates, validates and carries answers as the answers' version does, and then run only the
criteria and conditions whose rules differ. Both must agree, result by result, on every pair
of bundled versions and on drafts derived from each (a check, a message, a label, an
ownership, a condition, a rule and a neutral migration changed), for the demo's answers, the
whole-report fixtures, the example answers and answers varied from them; a first look (cold)
and a second (the evaluations kept) alike.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from forms_service.completeness import impact
from forms_service.completeness.impact import clear_baselines, replay
from forms_service.definitions.loader import load_definition_data
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import default_registry

ROOT = Path(__file__).resolve().parents[2]
FORM = "sagsoplysningsskema"
VERSIONS = sorted(p.stem for p in (ROOT / "form_definitions" / FORM).glob("*.json"))
TODAY = dt.date(2025, 6, 1)

Draft = Callable[[dict[str, Any]], None]


def _corpus() -> list[tuple[dict[str, Any], dt.date]]:
    found = []
    for path in sorted((ROOT / "forms_service" / "demo" / "answers").glob("*.json")):
        found.append((json.loads(path.read_text(encoding="utf-8")), TODAY))
    for path in sorted((ROOT / "tests" / "fixtures" / "answers").glob("*.json")):
        found.append((json.loads(path.read_text(encoding="utf-8")), TODAY))
    for path in sorted((ROOT / "tests" / "completeness" / "fixtures" / "cases").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        found.append((case["answers"], dt.date.fromisoformat(case["today"])))
    return found


def _varied(base: list[tuple[dict[str, Any], dt.date]], count: int) -> list[Any]:
    """Answers with fields removed, emptied or wrong and rows changed: some carry over
    unchanged, some not (empty values, unknown cells, values that do not coerce)."""
    rnd = random.Random(1919)
    values = [None, "", "x", 3, True, "2024-02-30", [], "1508622402"]
    cells = [None, "", "2019-01-01", "2030-05-05", 5, 40, "abc"]
    varied = []
    for _ in range(count):
        answers, today = rnd.choice(base)
        answers = copy.deepcopy(answers)
        for _ in range(rnd.randint(1, 4)):
            key = rnd.choice(list(answers))
            value = answers[key]
            if isinstance(value, list) and value and isinstance(value[0], dict):
                row = rnd.choice(value)
                row[rnd.choice(list(row))] = rnd.choice(cells)
                if rnd.random() < 0.2:
                    row["ukendt_celle"] = 1
            elif rnd.random() < 0.5:
                del answers[key]
            else:
                answers[key] = rnd.choice(values)
        varied.append((answers, today))
    return varied


def _first_check(data: dict[str, Any], kind: str) -> dict[str, Any]:
    entry = next(e for e in data["completeness"] if e.get("kind", "criterion") == kind)
    return entry


def _check_changed(data: dict[str, Any]) -> None:
    check = _first_check(data, "criterion")["checks"][0]
    check["expr"] = f"({check['expr']}) && partshoering_dato != null"


def _message_changed(data: dict[str, Any]) -> None:
    _first_check(data, "criterion")["checks"][0]["message"] += " Se vejledningen."


def _label_changed(data: dict[str, Any]) -> None:
    data["sections"][0]["fields"][0]["label"] += " (hos Seniorpension)"
    data["completeness"][0]["title"] += " (ændret)"
    # and a question the last criterion requires: its reasons and messages read the label
    last = [e for e in data["completeness"] if e.get("kind", "criterion") == "criterion"][-1]
    required = last["requires"][0].split(".", 1)[0]
    for section in data["sections"]:
        for field in section["fields"]:
            if field["id"] == required:
                field["label"] += " (ny tekst)"


def _ownership_changed(data: dict[str, Any]) -> None:
    # the first criterion comes to own what a later one owned: both can change status
    last = [e for e in data["completeness"] if e.get("kind", "criterion") == "criterion"][-1]
    first = _first_check(data, "criterion")
    first["requires"] = [*first.get("requires", []), *last.get("requires", [])]


def _condition_changed(data: dict[str, Any]) -> None:
    entries = [e for e in data["completeness"] if e.get("kind") == "eligibility"]
    if entries and entries[0].get("checks"):
        check = entries[0]["checks"][0]
        check["expr"] = f"!({check['expr']})"
    data["completeness"] = [e for e in data["completeness"] if e is not entries[-1]]


def _rule_changed(data: dict[str, Any]) -> None:
    field = data["sections"][0]["fields"][0]
    field["required"] = not field.get("required", False)


def _neutral_migration(data: dict[str, Any]) -> None:
    _check_changed(data)
    first = data["sections"][0]["fields"][0]["id"]
    data["migrations"] = [{"field": first, "renamed_from": "fandtes_aldrig"}]


DRAFTS: dict[str, Draft] = {
    "check": _check_changed,
    "message": _message_changed,
    "label": _label_changed,
    "ownership": _ownership_changed,
    "condition": _condition_changed,
    "rule": _rule_changed,
    "neutral migration": _neutral_migration,
}


def _draft(base: FormDefinition, name: str, change: Draft) -> FormDefinition:
    path = ROOT / "form_definitions" / FORM / f"{base.version}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    data["version"] = f"{base.version.split('-')[0].split('.')[0]}.99.0"
    data["based_on"] = base.version
    data.setdefault("migrations", [])
    if name != "neutral migration":
        data["migrations"] = []
    return load_definition_data(data, f"test:{base.version}:{name}")


def _pairs() -> list[tuple[FormDefinition, FormDefinition]]:
    registry = default_registry()
    bundled = [registry.get(FORM, v) for v in VERSIONS]
    pairs = [(old, new) for old in bundled for new in bundled]
    for old in bundled:
        pairs += [(old, _draft(old, name, change)) for name, change in DRAFTS.items()]
    return pairs


@pytest.fixture(scope="module")
def answer_sets() -> list[tuple[dict[str, Any], dt.date]]:
    base = _corpus()
    return base + _varied(base, 30)


def test_every_version_pair_and_draft_replays_as_the_straightforward_replay(
    answer_sets: list[tuple[dict[str, Any], dt.date]],
) -> None:
    clear_baselines()
    shortcut_taken = 0
    compared = 0
    for old, new in _pairs():
        for number, (answers, today) in enumerate(answer_sets):
            plain = replay(old, new, answers, today=today, shortcuts=False)
            for look in ("cold", "warm"):
                fast = replay(old, new, answers, today=today, key=number)
                assert fast.to_dict() == plain.to_dict(), (old.ref, new.ref, number, look)
                assert fast.affected == plain.affected
                shortcut_taken += fast.reused
                compared += 1
    clear_baselines()
    assert compared > 5_000
    assert shortcut_taken > 1_000  # the shortcuts were exercised, not only the plain path


def test_a_draft_changing_one_check_runs_only_that_criterion() -> None:
    old = default_registry().get(FORM, "1.1.0")
    pair = impact._pair(old, _draft(old, "check", _check_changed))
    assert pair.shortcut
    assert pair.criteria == ("kriterie_1",)
    assert pair.conditions == ()
    assert pair.same_messages  # the answers' own validation serves the draft's criteria


def test_a_changed_label_runs_the_criteria_that_name_the_field_and_a_rule_no_shortcut() -> None:
    old = default_registry().get(FORM, "1.1.0")
    labelled = impact._pair(old, _draft(old, "label", _label_changed))
    assert labelled.shortcut
    assert labelled.criteria == ("kriterie_4",)
    assert not labelled.same_messages
    assert not impact._pair(old, _draft(old, "rule", _rule_changed)).shortcut


def test_a_changed_section_title_runs_every_criterion() -> None:
    old = default_registry().get(FORM, "1.1.0")

    def retitled(data: dict[str, Any]) -> None:
        data["sections"][-1]["title"] += " (ændret)"

    pair = impact._pair(old, _draft(old, "section", retitled))
    assert pair.shortcut
    assert pair.criteria == ("kriterie_1", "kriterie_2", "kriterie_3", "kriterie_4")
