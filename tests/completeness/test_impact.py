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
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from forms_service.completeness import impact
from forms_service.completeness.impact import (
    CaseImpact,
    StatusChange,
    clear_baselines,
    replay,
    same_evaluation,
)
from forms_service.definitions.build import build_definition
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


# -- What replay reports, on the small definition (lille) and versions of it made here: texts
# changed only, a required question added, a question removed, a group renamed, a computed
# value changed, a condition added; drafts without a content hash; the kept baselines.


LILLE_FIXTURES = Path(__file__).parent / "fixtures"
LILLE_TODAY = dt.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _cold_impact_caches() -> Iterator[None]:
    """Every test works out what it needs (a mutation-testing run forks from a warm process)."""
    impact.clear_baselines()
    for cache in (impact._KEYS, impact._VALIDATION_KEYS, impact._PAIRS, impact._UNDECLARED):
        cache.clear()
    yield
    impact.clear_baselines()


def _lille_data() -> dict[str, Any]:
    return json.loads((LILLE_FIXTURES / "definitions" / "lille" / "1.0.0.json").read_text("utf-8"))


def _lille_answers(name: str) -> dict[str, Any]:
    sets = json.loads((LILLE_FIXTURES / "impact" / "lille_answers.json").read_text("utf-8"))
    return sets[name]


def _lille_version(change: Callable[[dict[str, Any]], None] | None = None) -> FormDefinition:
    data = _lille_data()
    if change is not None:
        data = copy.deepcopy(data)
        data["version"] = "1.1.0"
        data["based_on"] = "1.0.0"
        change(data)
    return load_definition_data(data, f"lille/{data['version']}.json")


def _field(data: dict[str, Any], field_id: str) -> dict[str, Any]:
    for section in data["sections"]:
        for field in section["fields"]:
            if field["id"] == field_id:
                return field
    raise KeyError(field_id)


def _entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["completeness"] if e["id"] == entry_id)


def _texts_only(data: dict[str, Any]) -> None:
    _field(data, "ekstra")["label"] = "Andre oplysninger"
    _field(data, "ansaettelser")["min_rows"] = 1
    data["guidance"]["sufficient"] = "Sagen er tilstrækkeligt oplyst."
    _entry(data, "k1")["title"] = "Tilknytning til arbejdsmarkedet"
    _entry(data, "k1")["checks"][0]["message"] = "Færre end 20 fuldtidsår."


def _new_required(data: dict[str, Any]) -> None:
    data["sections"][0]["fields"].append(
        {"id": "telefon", "type": "text", "label": "Telefon", "required": True}
    )
    _entry(data, "k3")["requires"] = ["ekstra", "telefon"]


def _ekstra_removed(data: dict[str, Any]) -> None:
    data["sections"][1]["fields"] = [
        f for f in data["sections"][1]["fields"] if f["id"] != "ekstra"
    ]
    data["completeness"] = [e for e in data["completeness"] if e["id"] != "k3"]


def _benefit_required(data: dict[str, Any]) -> None:
    _field(data, "ydelse")["required"] = True


def _periods_renamed(data: dict[str, Any]) -> None:
    renamed = json.loads(json.dumps(data).replace("ansaettelser", "perioder"))
    data.clear()
    data.update(renamed)
    data["migrations"] = [{"field": "perioder", "renamed_from": "ansaettelser"}]


def _new_condition(data: dict[str, Any]) -> None:
    data["completeness"].append(
        {
            "id": "ekstra_oplyst",
            "kind": "eligibility",
            "title": "Ekstra oplysninger givet",
            "requires": ["ekstra"],
        }
    )


def _threshold_raised(data: dict[str, Any]) -> None:
    computed = data["computed"][0]
    computed["expr"] = "fulltime_years(ansaettelser, ansoegningsdato) - 20.0"


def test_a_version_that_changes_only_texts_and_rules_reuses_the_evaluation() -> None:
    old, new = _lille_version(), _lille_version(_texts_only)
    assert same_evaluation(old, new)
    found = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY)
    assert found == CaseImpact(lost=(), new_required=(), changes=(), reused=True)
    assert not found.affected
    assert found.to_dict() == {"lost": [], "new_required": [], "changes": []}


def test_the_same_version_is_the_same_evaluation() -> None:
    old = _lille_version()
    assert same_evaluation(old, old)
    assert replay(old, old, _lille_answers("complete"), today=LILLE_TODAY).reused


def test_a_changed_computed_value_is_not_the_same_evaluation() -> None:
    old, new = _lille_version(), _lille_version(_threshold_raised)
    assert not same_evaluation(old, new)
    assert not same_evaluation(new, old)
    found = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY)
    assert not found.reused
    # 35 full-time years become 15: criterion 1 is no longer complete under the new version
    assert found.changes == (
        StatusChange("k1", "criterion", "Tilknytning", "complete", "insufficient"),
    )


def test_a_changed_visibility_rule_is_not_the_same_evaluation() -> None:
    def hidden_always(data: dict[str, Any]) -> None:
        _field(data, "ekstra")["visible_if"] = "vis_ekstra == false"

    assert not same_evaluation(_lille_version(), _lille_version(hidden_always))


def test_a_new_required_question_is_named_and_its_criterion_changes() -> None:
    old, new = _lille_version(), _lille_version(_new_required)
    assert same_evaluation(old, new) is False  # a new field is evaluated
    found = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY)
    assert found.new_required == ("telefon",)
    assert found.lost == ()
    assert found.changes == (StatusChange("k3", "criterion", "Ekstra", "complete", "missing"),)
    assert found.affected
    assert found.to_dict() == {
        "lost": [],
        "new_required": ["telefon"],
        "changes": [
            {
                "id": "k3",
                "kind": "criterion",
                "title": "Ekstra",
                "before": "complete",
                "after": "missing",
            }
        ],
    }


def test_a_question_already_required_and_unanswered_is_not_new() -> None:
    old, new = _lille_version(_benefit_required), _lille_version(_benefit_required)
    new_required = replay(
        old, new, _lille_answers("without_benefit"), today=LILLE_TODAY
    ).new_required
    assert new_required == ()
    first = replay(_lille_version(), new, _lille_answers("without_benefit"), today=LILLE_TODAY)
    assert first.new_required == ("ydelse",)


def test_a_renamed_question_required_before_is_not_new_under_its_new_id() -> None:
    answers = _lille_answers("complete")
    del answers["ansaettelser"][1]["fra"]
    found = replay(_lille_version(), _lille_version(_periods_renamed), answers, today=LILLE_TODAY)
    # "ansaettelser[1].fra" was required and unanswered before; "perioder[1].fra" is the same
    assert found.new_required == ()
    assert found.lost == ()
    assert not found.reused
    gained = _lille_version(lambda data: (_periods_renamed(data), _new_required(data)))
    assert replay(_lille_version(), gained, answers, today=LILLE_TODAY).new_required == ("telefon",)


@pytest.mark.parametrize(
    ("path", "renamed", "expected"),
    [
        ("ydelse", {"ydelse": "nuvaerende_ydelse"}, "nuvaerende_ydelse"),
        ("ansaettelser[1].fra", {"ansaettelser": "perioder"}, "perioder[1].fra"),
        ("attest.date", {"attest": "laegeattest"}, "laegeattest.date"),
        ("ansaettelser[1].fra", {"fra": "start"}, "ansaettelser[1].fra"),
        ("ydelse", {}, "ydelse"),
    ],
)
def test_a_required_path_is_followed_to_its_new_id(
    path: str, renamed: dict[str, str], expected: str
) -> None:
    assert impact._renamed(path, renamed) == expected


def test_a_removed_question_is_lost_and_its_criterion_counts_as_gone() -> None:
    old, new = _lille_version(), _lille_version(_ekstra_removed)
    found = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY)
    assert [(n.path, n.label) for n in found.lost] == [("ekstra", "Ekstra oplysninger")]
    assert found.changes == (StatusChange("k3", "criterion", "Ekstra", "complete", None),)
    assert not found.reused
    assert found.affected
    assert found.to_dict()["lost"] == [
        {"path": "ekstra", "label": "Ekstra oplysninger", "reason": found.lost[0].reason}
    ]
    assert "findes ikke i lille@1.1.0" in found.lost[0].reason


def test_a_condition_only_the_new_version_has_counts_with_no_status_before() -> None:
    old, new = _lille_version(), _lille_version(_new_condition)
    found = replay(old, new, _lille_answers("without_benefit"), today=LILLE_TODAY)
    assert found.changes == (
        StatusChange("ekstra_oplyst", "condition", "Ekstra oplysninger givet", None, "met"),
    )
    assert found.new_required == ()
    # and taking it away again counts the other way, titled from the version that has it
    back = replay(new, old, _lille_answers("without_benefit"), today=LILLE_TODAY)
    assert back.changes == (
        StatusChange("ekstra_oplyst", "condition", "Ekstra oplysninger givet", "met", None),
    )


def test_a_criterion_renamed_in_both_versions_takes_the_new_title() -> None:
    def retitled_and_changed(data: dict[str, Any]) -> None:
        _new_required(data)
        _entry(data, "k3")["title"] = "Ekstra og telefon"

    found = replay(
        _lille_version(),
        _lille_version(retitled_and_changed),
        _lille_answers("complete"),
        today=LILLE_TODAY,
    )
    assert found.changes == (
        StatusChange("k3", "criterion", "Ekstra og telefon", "complete", "missing"),
    )


def test_answers_with_a_value_of_the_wrong_type_are_evaluated_again() -> None:
    old, new = _lille_version(), _lille_version(_texts_only)
    found = replay(old, new, _lille_answers("date_not_a_date"), today=LILLE_TODAY)
    assert not found.reused
    assert found.changes == ()


def test_answers_that_do_not_carry_over_are_evaluated_again() -> None:
    answers = {**_lille_answers("complete"), "ukendt": "x"}
    found = replay(_lille_version(), _lille_version(_texts_only), answers, today=LILLE_TODAY)
    assert not found.reused
    assert [n.path for n in found.lost] == ["ukendt"]


def test_the_baseline_of_a_named_answer_set_is_kept_and_reused() -> None:
    old, new = _lille_version(), _lille_version(_new_required)
    key = ("sag-1", 3)
    first = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, key=key)
    assert first.changes[0].before == "complete"
    # the key names the stored answers: a second replay under it reads the kept baseline
    # (here deliberately given other answers, to see that it does)
    second = replay(old, new, _lille_answers("without_benefit"), today=LILLE_TODAY, key=key)
    benefit = StatusChange("betingelse", "condition", "Ikke førtidspension", "met", "undetermined")
    assert second.changes == (*first.changes, benefit)
    unnamed = replay(old, new, _lille_answers("without_benefit"), today=LILLE_TODAY)
    assert unnamed.changes == first.changes
    # another day is another baseline
    other_day = replay(
        old,
        new,
        _lille_answers("without_benefit"),
        today=LILLE_TODAY + dt.timedelta(days=1),
        key=key,
    )
    assert other_day.changes == first.changes
    assert len(impact._BASELINES) == 2


def test_without_a_key_nothing_is_kept() -> None:
    old, new = _lille_version(), _lille_version(_new_required)
    replay(old, new, _lille_answers("complete"), today=LILLE_TODAY)
    assert len(impact._BASELINES) == 0


def test_the_oldest_baseline_goes_when_the_store_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impact, "BASELINES_KEPT", 2)
    old, new = _lille_version(), _lille_version(_new_required)
    for number in range(3):
        replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, key=number)
    kept = [key[-1] for key in impact._BASELINES]
    assert kept == [1, 2]


def test_clear_baselines_empties_the_store() -> None:
    old, new = _lille_version(), _lille_version(_new_required)
    replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, key="x")
    impact.clear_baselines()
    assert len(impact._BASELINES) == 0


def _lille_draft(change: Callable[[dict[str, Any]], None]) -> FormDefinition:
    """A version being edited: built without a content hash, as it is not fixed yet."""
    data = copy.deepcopy(_lille_data())
    data["version"] = "1.1.0"
    change(data)
    return build_definition(data, "")


def test_two_drafts_of_one_version_are_compared_as_they_are_now() -> None:
    old = _lille_version()
    assert same_evaluation(old, _lille_draft(_texts_only))
    # the same draft edited: a computed value changed, so it is no longer the same evaluation
    assert not same_evaluation(old, _lille_draft(_threshold_raised))
    assert same_evaluation(old, _lille_draft(_texts_only))


def test_the_baseline_of_a_draft_without_a_content_hash_is_not_kept() -> None:
    old = _lille_draft(_texts_only)
    new = _lille_version(_new_required)
    replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, key="sag-1")
    assert len(impact._BASELINES) == 0
    found = replay(old, new, _lille_answers("without_benefit"), today=LILLE_TODAY, key="sag-1")
    assert [c.id for c in found.changes] == ["k3"]


@pytest.mark.parametrize(
    ("change", "answers"),
    [
        (_new_required, "complete"),
        (_ekstra_removed, "complete"),
        (_new_condition, "without_benefit"),
        (_threshold_raised, "complete"),
        (_texts_only, "date_not_a_date"),
    ],
)
def test_the_straightforward_replay_reports_what_replay_does(change: Any, answers: str) -> None:
    old, new = _lille_version(), _lille_version(change)
    plain = replay(old, new, _lille_answers(answers), today=LILLE_TODAY, shortcuts=False)
    assert plain.reused is False
    assert plain == replace(
        replay(old, new, _lille_answers(answers), today=LILLE_TODAY), reused=False
    )


def test_the_straightforward_replay_of_a_new_required_question() -> None:
    old, new = _lille_version(), _lille_version(_new_required)
    plain = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, shortcuts=False)
    assert plain == CaseImpact(
        lost=(),
        new_required=("telefon",),
        changes=(StatusChange("k3", "criterion", "Ekstra", "complete", "missing"),),
    )


def test_the_straightforward_replay_follows_a_renamed_group() -> None:
    answers = _lille_answers("complete")
    del answers["ansaettelser"][1]["fra"]
    old, new = _lille_version(), _lille_version(_periods_renamed)
    plain = replay(old, new, answers, today=LILLE_TODAY, shortcuts=False)
    assert plain == CaseImpact(lost=(), new_required=(), changes=())


def _k4_reversed(data: dict[str, Any]) -> None:
    _entry(data, "k4")["checks"][0]["expr"] = "attest.date < ansoegningsdato"


def _benefit_check_reversed(data: dict[str, Any]) -> None:
    _entry(data, "betingelse")["checks"][0]["expr"] = "ydelse == 'foertidspension'"


@pytest.mark.parametrize("key", [None, "sag-7"])
def test_a_draft_changing_only_checks_runs_only_them_on_the_kept_evaluation(key: Any) -> None:
    old = _lille_version()
    new = _lille_version(lambda data: (_k4_reversed(data), _benefit_check_reversed(data)))
    for _look in ("cold", "warm"):
        found = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, key=key)
        assert found == CaseImpact(
            lost=(),
            new_required=(),
            changes=(
                StatusChange("k4", "criterion", "Attestens dato", "complete", "insufficient"),
                StatusChange("betingelse", "condition", "Ikke førtidspension", "met", "not_met"),
            ),
            reused=True,
        )
    plain = replay(old, new, _lille_answers("complete"), today=LILLE_TODAY, shortcuts=False)
    assert plain == replace(found, reused=False)


def _with_migration(**migration: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _k4_reversed(data)
        data["migrations"] = [migration]

    return change


@pytest.mark.parametrize(
    ("migration", "shortcut"),
    [
        ({"field": "ydelse", "renamed_from": "fandtes_aldrig"}, True),  # applies to nothing
        ({"field": "ydelse", "renamed_from": "ekstra"}, False),  # takes another field's answer
        ({"field": "ydelse", "option_map": {"ingen": "foertidspension"}}, False),
        ({"field": "ekstra", "type_change": "text->textarea"}, False),
    ],
)
def test_a_migration_that_applies_rules_out_the_shortcut(
    migration: dict[str, Any], shortcut: bool
) -> None:
    old, new = _lille_version(), _lille_version(_with_migration(**migration))
    assert impact._pair(old, new).shortcut is shortcut


def test_answers_that_would_not_carry_over_unchanged_take_the_full_replay() -> None:
    old, new = _lille_version(), _lille_version(_k4_reversed)
    unknown = {**_lille_answers("complete"), "ukendt": "x"}
    found = replay(old, new, unknown, today=LILLE_TODAY)
    assert not found.reused
    assert [n.path for n in found.lost] == ["ukendt"]
    assert found.changes == (
        StatusChange("k4", "criterion", "Attestens dato", "complete", "insufficient"),
    )
    # an empty answer is dropped by the migration: the answers are not carried over as they are
    emptied = {**_lille_answers("complete"), "ekstra": ""}
    assert not replay(old, new, emptied, today=LILLE_TODAY).reused
    assert replay(old, new, _lille_answers("complete"), today=LILLE_TODAY).reused


def test_answers_with_a_value_that_does_not_coerce_take_the_full_replay() -> None:
    old, new = _lille_version(), _lille_version(_k4_reversed)
    answers = {**_lille_answers("complete"), "ansoegningsdato": "første januar"}
    found = replay(old, new, answers, today=LILLE_TODAY)
    assert not found.reused
    plain = replay(old, new, answers, today=LILLE_TODAY, shortcuts=False)
    assert found == plain


def test_two_drafts_of_one_version_are_paired_as_they_are_now() -> None:
    old = _lille_version()
    k4_only = _lille_draft(_k4_reversed)
    assert impact._pair_for(old, k4_only).criteria == ("k4",)
    both = _lille_draft(lambda data: (_k4_reversed(data), _benefit_check_reversed(data)))
    assert impact._pair_for(old, both).conditions == ("betingelse",)
    relabelled = _lille_draft(lambda data: _field(data, "ekstra").update(label="Andet"))
    assert impact._pair_for(old, relabelled).criteria == ("k3",)  # the criterion it reaches
    assert impact._pair_for(old, _lille_draft(_k4_reversed)).criteria == ("k4",)


def test_a_published_pair_is_worked_out_once() -> None:
    old, new = _lille_version(), _lille_version(_k4_reversed)
    assert impact._pair_for(old, new) is impact._pair_for(old, new)


def test_a_relabelled_question_reaches_the_criteria_that_read_what_is_computed_from_it() -> None:
    # criterion 1 requires the full-time years, computed from the application date; criterion
    # 4's check reads the date itself: both can say the date's label, no other criterion can
    old = _lille_version()
    relabelled = _lille_version(
        lambda data: _field(data, "ansoegningsdato").update(label="Dato for ansøgning")
    )
    assert impact._pair_for(old, relabelled).criteria == ("k1", "k4")


# -- Answers that do not carry over as they are, through a draft the shortcut applies to: the
# replay reads the draft's required questions and results off the answers as carried over.


def _required_benefit_and_k4_reversed(data: dict[str, Any]) -> None:
    _benefit_required(data)
    _k4_reversed(data)


def _required_benefit_and_benefit_check_reversed(data: dict[str, Any]) -> None:
    _benefit_required(data)
    _benefit_check_reversed(data)


@pytest.mark.parametrize(
    ("change", "benefit", "changed"),
    [
        # the benefit unanswered and required in both versions: not a new required question
        (_required_benefit_and_k4_reversed, None, [("k4", "complete", "insufficient")]),
        (_required_benefit_and_benefit_check_reversed, "ingen", [("betingelse", "met", "not_met")]),
    ],
)
@pytest.mark.parametrize("look", ["ukendt", "emptied"])
def test_answers_not_carried_as_they_are_replay_as_the_straightforward_replay(
    change: Callable[[dict[str, Any]], None],
    benefit: str | None,
    changed: list[tuple[str, str, str]],
    look: str,
) -> None:
    """The draft's changed check or condition gives the result, not the answers' own
    version; the lost answer is named; nothing counts as newly required."""
    old, new = _lille_draft(_benefit_required), _lille_draft(change)
    assert impact._pair_for(old, new).shortcut
    answers = _lille_answers("complete")
    del answers["ydelse"]
    if benefit is not None:
        answers["ydelse"] = benefit
    answers |= {"ukendt": "x"} if look == "ukendt" else {"ekstra": ""}
    found = replay(old, new, answers, today=LILLE_TODAY)
    plain = replay(old, new, answers, today=LILLE_TODAY, shortcuts=False)
    assert found == plain
    assert found.reused is False
    assert found.new_required == ()
    assert [n.path for n in found.lost] == (["ukendt"] if look == "ukendt" else [])
    assert [(c.id, c.before, c.after) for c in found.changes] == changed


def test_a_newly_required_question_through_answers_not_carried_as_they_are() -> None:
    old = _lille_draft(_k4_reversed)
    new = _lille_draft(_required_benefit_and_k4_reversed)
    answers = {**_lille_answers("complete"), "ukendt": "x"}
    del answers["ydelse"]
    found = replay(old, new, answers, today=LILLE_TODAY)
    assert found == replay(old, new, answers, today=LILLE_TODAY, shortcuts=False)
    assert found.new_required == ("ydelse",)
