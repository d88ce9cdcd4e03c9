"""The validator: one corpus of hand-written cases (JSON fixtures) and targeted rules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forms_service.answers import evaluate, validate, validate_answers
from forms_service.definitions.loader import load_definition_data, load_definition_file

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = Path(__file__).parents[1] / "definitions" / "fixtures" / "small" / "1.0.0.json"
CASES = sorted((FIXTURES / "cases").glob("*.json"))


@pytest.fixture(scope="module")
def small():
    return load_definition_file(SMALL)


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_corpus_gives_the_expected_problems(small, case_file):
    case = json.loads(case_file.read_text(encoding="utf-8"))
    problems = validate_answers(small, case["answers"], today=dt.date.fromisoformat(case["today"]))
    assert [{"path": p.path, "code": p.code} for p in problems] == case["expected"]
    for problem in problems:
        assert problem.message.endswith((".", ")")) or problem.code.startswith("check:")


def test_required_message_names_field_and_row(small):
    answers = json.loads((FIXTURES / "cases" / "row_problems.json").read_text())["answers"]
    answers["ansaettelser"][1]["timer_pr_uge"] = None
    problems = {
        p.path: p.message for p in validate_answers(small, answers, today=dt.date(2026, 1, 1))
    }
    assert (
        problems["ansaettelser[1].timer_pr_uge"]
        == "Angiv »Timer pr. uge« for ansættelsen hos Lego."
    )
    # a row without the value its name needs falls back to its number
    assert problems["ansaettelser[2].fra"] == "Angiv »Fra« for række 3 i »Ansættelser«."


def test_type_and_range_messages_are_danish(small):
    answers = {"ansaettelser": [{"fra": "1990-01-01", "arbejdsgiver": "Novo", "timer_pr_uge": -1}]}
    problems = {
        p.path: p.message for p in validate_answers(small, answers, today=dt.date(2026, 1, 1))
    }
    assert problems["ansaettelser[0].timer_pr_uge"] == (
        "»Timer pr. uge« for ansættelsen hos Novo skal være mindst 0."
    )


def test_draft_skips_required_but_keeps_type_problems(small):
    answers = {"ansoegningsdato": "i går", "ansaettelser": [{"arbejdsgiver": "Novo"}]}
    problems = validate_answers(small, answers, today=dt.date(2026, 1, 1), complete=False)
    assert [(p.path, p.code) for p in problems] == [("ansoegningsdato", "date")]


def test_hidden_field_value_is_dropped_from_evaluated_answers(small):
    case = json.loads((FIXTURES / "cases" / "hidden_dropped.json").read_text())
    evaluation = evaluate(small, case["answers"], today=dt.date(2026, 1, 1))
    assert "konkret_vurdering" in evaluation.hidden
    assert "konkret_vurdering" not in evaluation.to_json()
    assert evaluation.computed["fuldtidsaar"] == 31.0


def test_visible_conditional_field_is_kept(small):
    case = json.loads((FIXTURES / "cases" / "valid_full.json").read_text())
    evaluation = evaluate(small, case["answers"], today=dt.date(2026, 1, 1))
    # exact, not rounded to the one decimal the page shows
    assert evaluation.computed["fuldtidsaar"] == pytest.approx(22.4973, abs=1e-4)
    assert evaluation.to_json()["konkret_vurdering"].startswith("Borgeren")


def test_same_answers_same_result_whatever_the_clock(small):
    case = json.loads((FIXTURES / "cases" / "row_problems.json").read_text())
    first = validate(small, case["answers"], today=dt.date(2026, 1, 1))
    second = validate(small, case["answers"], today=dt.date(2026, 1, 1))
    assert first.problems == second.problems
    assert first.evaluation.to_json() == second.evaluation.to_json()


def test_values_are_normalised(small):
    case = json.loads((FIXTURES / "cases" / "danish_number_strings.json").read_text())
    values = evaluate(small, case["answers"], today=dt.date(2026, 1, 1)).to_json()
    assert values["cpr"] == "0101621234"
    assert values["kendt"] is False
    assert values["ansaettelser"][0]["timer_pr_uge"] == 37.5


def _definition(**field_overrides):
    field = {"id": "x", "type": "text", "label": "Tekst"} | field_overrides
    return load_definition_data(
        {
            "form": "t",
            "version": "1.0.0",
            "title": "T",
            "sections": [{"id": "s", "title": "S", "fields": [field]}],
        },
        "t",
    )


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ({"type": "text", "max_length": 3}, "abcd", "max_length"),
        ({"type": "text", "min_length": 3}, "ab", "min_length"),
        ({"type": "text", "pattern": "^SP-\\d+$"}, "SP-x", "pattern"),
        ({"type": "integer"}, 1.5, "type"),
        ({"type": "integer", "min": 2}, 1, "min"),
        ({"type": "date", "max": "2025-12-31"}, "2026-01-01", "max"),
        ({"type": "date", "min": "2020-01-01"}, "2019-12-31", "min"),
        ({"type": "multichoice", "options": [{"value": "a", "label": "A"}]}, ["a", "b"], "choice"),
        ({"type": "cpr"}, "123", "cpr"),
        (
            {"type": "attachment", "sources": [{"value": "egen_laege", "label": "Egen læge"}]},
            {"title": "Attest", "source": "nabo", "date": "2025-01-01"},
            "source",
        ),
        ({"type": "attachment"}, {"source": "x", "date": "2025-01-01"}, "required"),
        ({"type": "boolean", "required": True}, None, "required"),
    ],
)
def test_each_rule(field, value, code):
    definition = _definition(**field)
    problems = validate_answers(definition, {"x": value}, today=dt.date(2026, 1, 1))
    assert [p.code for p in problems] == [code]
    assert "»Tekst«" in problems[0].message


def test_values_within_rules_pass():
    definition = _definition(type="number", min=0, max=80)
    assert validate_answers(definition, {"x": "80"}, today=dt.date(2026, 1, 1)) == []
    assert validate_answers(definition, {"x": 0}, today=dt.date(2026, 1, 1)) == []


def test_required_if_uses_other_answers():
    definition = load_definition_data(
        {
            "form": "t",
            "version": "1.0.0",
            "title": "T",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "fields": [
                        {"id": "udtalt", "type": "boolean", "label": "Partshørt"},
                        {
                            "id": "dato",
                            "type": "date",
                            "label": "Dato for partshøring",
                            "required_if": "udtalt == true",
                        },
                    ],
                }
            ],
        },
        "t",
    )
    today = dt.date(2026, 1, 1)
    assert [p.path for p in validate_answers(definition, {"udtalt": True}, today=today)] == ["dato"]
    assert validate_answers(definition, {"udtalt": False}, today=today) == []


# -- the contact's phone number (issue 15): +45 and spaces from 1.2.0 / pilot 3 --------------

BUNDLED = Path(__file__).parents[2] / "form_definitions" / "sagsoplysningsskema"


def _phone_problems(version: str, phone: str) -> list[str]:
    definition = load_definition_file(BUNDLED / f"{version}.json")
    result = validate(
        definition, {"kontakt_telefon": phone}, today=dt.date(2025, 6, 1), complete=False
    )
    return [p.code for p in result.problems if p.path == "kontakt_telefon"]


@pytest.mark.parametrize("version", ["1.2.0", "2.0.0-pilot.3"])
@pytest.mark.parametrize(
    "phone",
    ["12345678", "12 34 56 78", "+45 12 34 56 78", "+4512345678", "+45 1234 5678", " 12345678 "],
)
def test_a_danish_phone_number_is_accepted_with_country_code_and_spaces(version, phone):
    assert _phone_problems(version, phone) == []


@pytest.mark.parametrize("version", ["1.2.0", "2.0.0-pilot.3"])
@pytest.mark.parametrize(
    "phone", ["1234567", "123456789", "+46 12 34 56 78", "12-34-56-78", "12  34 56 78", "+45"]
)
def test_a_phone_number_that_is_not_eight_digits_is_refused(version, phone):
    assert _phone_problems(version, phone) == ["pattern"]


def test_the_published_1_1_0_still_refuses_the_country_code():
    assert _phone_problems("1.1.0", "+45 12 34 56 78") == ["pattern"]
    assert _phone_problems("1.1.0", "12345678") == []
