"""The generated marshmallow schema: cached per version, every rule delegated to the core."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from marshmallow import ValidationError
from marshmallow import fields as ma

from forms_service.answers import validate
from forms_service.answers.marshmallow_schema import (
    FORM_LEVEL_KEY,
    answers_schema,
    validate_with_schema,
)
from forms_service.definitions.loader import load_definition_data, load_definition_file
from forms_service.definitions.registry import default_registry

TESTS = Path(__file__).parents[1]
SMALL = TESTS / "definitions" / "fixtures" / "small" / "1.0.0.json"
CASES = sorted((TESTS / "answers" / "fixtures" / "cases").glob("*.json"))
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def small():
    return load_definition_file(SMALL)


def test_one_class_per_form_version_and_hash(small) -> None:
    registry = default_registry()
    v1 = registry.get("sagsoplysningsskema", "1.0.0")
    pilot = registry.get("sagsoplysningsskema", "2.0.0-pilot.1")
    assert answers_schema(v1) is answers_schema(v1)
    assert answers_schema(v1) is not answers_schema(pilot)
    # the same version loaded again (another object, same hash) reuses the class
    assert answers_schema(load_definition_file(SMALL)) is answers_schema(small)
    # same form and version, other content: another class
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["title"] = "Lille formular, ændret"
    changed = load_definition_data(data, source="small/1.0.0.json")
    assert changed.content_hash != small.content_hash
    assert answers_schema(changed) is not answers_schema(small)
    assert answers_schema(changed).definition is changed


def test_declared_fields_are_pass_through_only(small) -> None:
    declared = answers_schema(small)._declared_fields
    assert set(declared) == {f.id for _s, f in small.iter_fields()}
    # no validator of its own: a second copy of a rule could only live here
    assert all(type(f) is ma.Raw and not f.validators for f in declared.values())
    assert declared["ydelse"].metadata["title"] == "Nuværende ydelse"


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_errors_are_the_core_problems_keyed_by_path(small, case_file) -> None:
    case = json.loads(case_file.read_text(encoding="utf-8"))
    today = dt.date.fromisoformat(case["today"])
    core = validate(small, case["answers"], today=today).problems
    schema = answers_schema(small)(today=today)
    if not core:
        loaded = schema.load(case["answers"])
        assert loaded == validate(small, case["answers"], today=today).evaluation.answers_json()
        return
    with pytest.raises(ValidationError) as caught:
        schema.load(case["answers"])
    expected: dict[str, list[str]] = {}
    for problem in core:
        expected.setdefault(problem.path, []).append(problem.message)
    assert caught.value.messages == expected
    assert schema.result is not None and schema.result.problems == core


def test_load_returns_the_evaluated_answers(small) -> None:
    answers = {
        "ansoegningsdato": "2025-03-01",
        "cpr": "010162-1234",
        "ansaettelser": [
            {"fra": "1990-01-01", "arbejdsgiver": "Novo", "timer_pr_uge": "37,0"},
        ],
        "konkret_vurdering": "skjult, for over 25 år",
    }
    loaded = answers_schema(small)(today=TODAY).load(answers)
    assert loaded["cpr"] == "0101621234"
    assert loaded["ansaettelser"][0]["timer_pr_uge"] == 37.0
    assert "konkret_vurdering" not in loaded  # hidden: 36 full-time years


def test_draft_skips_required(small) -> None:
    assert answers_schema(small)(today=TODAY, complete=False).load({}) == {}
    with pytest.raises(ValidationError) as caught:
        answers_schema(small)(today=TODAY).load({})
    assert set(caught.value.messages) == {"ansoegningsdato", "cpr"}


def test_not_an_object_is_refused_in_danish(small) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_with_schema(small, ["ikke", "et", "objekt"], today=TODAY)
    assert caught.value.messages == {
        "_schema": ["Svarene skal være et JSON-objekt med et svar pr. felt."]
    }


def test_form_level_problem_is_keyed_schema(small) -> None:
    data = copy.deepcopy(json.loads(SMALL.read_text(encoding="utf-8")))
    data["checks"].append(
        {
            "id": "kendt_ydelse",
            "expr": "kendt != true || ydelse != null",
            "message": "Angiv ydelse.",
        }
    )
    definition = load_definition_data(data, source="small/1.0.0.json")
    answers = {"ansoegningsdato": "2025-01-01", "cpr": "0101621234", "kendt": True}
    with pytest.raises(ValidationError) as caught:
        answers_schema(definition)(today=TODAY, complete=False).load(answers)
    assert caught.value.messages == {FORM_LEVEL_KEY: ["Angiv ydelse."]}


def test_validate_with_schema_returns_codes_and_computed(small) -> None:
    result = validate_with_schema(
        small,
        {"ansoegningsdato": "2025-03-01", "ansaettelser": [{"fra": "1990-01-01", "til": "1980"}]},
        today=TODAY,
    )
    assert {(p.path, p.code) for p in result.problems} >= {
        ("cpr", "required"),
        ("ansaettelser[0].til", "date"),
    }
    assert "fuldtidsaar" in result.evaluation.computed


def test_shared_instance_gives_each_thread_its_own_result(small) -> None:
    from concurrent.futures import ThreadPoolExecutor

    documents = [
        json.loads(case_file.read_text(encoding="utf-8"))["answers"] for case_file in CASES
    ] * 8

    def paths(answers: dict) -> tuple[set[str], set[str]]:
        core = {p.path for p in validate(small, answers, today=TODAY).problems}
        through_schema = {
            p.path for p in validate_with_schema(small, answers, today=TODAY).problems
        }
        return core, through_schema

    with ThreadPoolExecutor(max_workers=8) as pool:
        for core, through_schema in pool.map(paths, documents):
            assert core == through_schema
    # yesterday's instance is dropped when today's is made
    validate_with_schema(small, {}, today=TODAY + dt.timedelta(days=1))
    from forms_service.answers import marshmallow_schema

    assert all(key[1] != TODAY for key in marshmallow_schema._instances)
