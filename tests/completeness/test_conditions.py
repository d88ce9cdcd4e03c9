"""Eligibility conditions run one by one (conditions.py) on the small definition (lille):
met, not met, attention, checks that cannot be evaluated, and answers that are absent."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers import evaluate
from forms_service.completeness.conditions import ConditionSpec, evaluate_condition
from forms_service.completeness.fields import catalog_for
from forms_service.definitions.model import CriterionCheck, FormDefinition, Severity
from forms_service.definitions.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def lille() -> FormDefinition:
    return Registry(FIXTURES / "definitions").get("lille", "1.0.0")


@pytest.fixture(scope="module")
def complete() -> dict[str, Any]:
    return json.loads((FIXTURES / "lille_answers.json").read_text(encoding="utf-8"))["complete"]


def _check(expr: str, message: str = "Betingelsen.", **kw: Any) -> CriterionCheck:
    return CriterionCheck(expr=expr, message=message, path="completeness[9].checks[0]", **kw)


def _run(lille: FormDefinition, answers: dict, *checks: CriterionCheck, requires=()) -> dict:
    spec = ConditionSpec("c", "Titel", "§ 1", "Vejledning.", tuple(requires), tuple(checks))
    evaluation = evaluate(lille, answers, today=TODAY)
    return evaluate_condition(spec, evaluation, catalog_for(lille)).to_dict()


def test_a_passed_check_is_met_and_names_the_fields_in_form_order(lille, complete):
    result = _run(
        lille, complete, _check("ydelse != 'x'", fields=("attest", "ydelse")), requires=["ydelse"]
    )
    assert result == {
        "id": "c",
        "kind": "eligibility",
        "title": "Titel",
        "legal_ref": "§ 1",
        "status": "met",
        "status_label": "Opfyldt",
        "reasons": [],
        "fields": [
            {
                "id": "ydelse",
                "label": result["fields"][0]["label"],
                "section": "sagen",
                "section_title": result["fields"][0]["section_title"],
                "group": None,
                "group_label": None,
                "anchor": "field-ydelse",
            },
            result["fields"][1],
        ],
        "criterion": None,
        "guidance": "Vejledning.",
    }
    assert [f["id"] for f in result["fields"]] == ["ydelse", "attest"]


def test_a_failed_check_on_answers_that_are_there_is_not_met(lille, complete):
    result = _run(lille, complete, _check("ydelse == 'foertidspension'", "Ikke på ydelsen."))
    assert (result["status"], result["reasons"]) == ("not_met", ["Ikke på ydelsen."])


def test_an_attention_check_leaves_the_condition_undetermined_with_its_message(lille, complete):
    check = _check("ydelse == 'x'", "Seniorpension vurderer.", severity=Severity.ATTENTION)
    result = _run(lille, complete, check)
    assert (result["status"], result["reasons"]) == ("undetermined", ["Seniorpension vurderer."])
    # not met wins over undetermined
    plain = _check("ydelse == 'foertidspension'", "Ikke på ydelsen.")
    both = _run(lille, complete, check, plain)
    assert (both["status"], both["reasons"]) == ("not_met", ["Ikke på ydelsen."])


def test_a_failed_check_over_an_absent_answer_says_what_is_needed(lille, complete):
    answers = copy.deepcopy(complete)
    del answers["ydelse"]
    result = _run(lille, answers, _check("ydelse == 'ingen'", "Ingen ydelse."))
    assert result["status"] == "undetermined"
    assert result["reasons"] == [
        "Kan ikke vurderes, før »Nuværende ydelse« (Sagen) er udfyldt. Betingelsen: Ingen ydelse."
    ]
    # two absent answers, named in form order
    del answers["attest"]
    either = _run(lille, answers, _check("ydelse == 'ingen' || attest.title == 'x'", "M."))
    assert either["reasons"] == [
        "Kan ikke vurderes, før »Nuværende ydelse« (Sagen) og »Attest« (Helbred) er udfyldt. "
        "Betingelsen: M."
    ]


def test_an_absent_required_answer_skips_the_checks(lille, complete):
    answers = copy.deepcopy(complete)
    del answers["ydelse"]
    result = _run(lille, answers, _check("1 == 2", "Kører ikke."), requires=["ydelse"])
    assert result["status"] == "undetermined"
    assert result["reasons"] == ["Kan ikke vurderes, før »Nuværende ydelse« (Sagen) er udfyldt."]


def test_a_check_that_cannot_run_on_answers_that_are_there_names_what_it_reads(lille, complete):
    # attest.date compared with a number: an evaluation error, though every answer is there
    result = _run(lille, complete, _check("attest.date > 3", "Attesten er ny."))
    assert result["status"] == "undetermined"
    assert result["reasons"] == [
        "Kan ikke kontrolleres med de nuværende svar i »Attest« (Helbred). "
        "Kontrollen: Attesten er ny."
    ]


def test_a_when_that_cannot_be_evaluated_does_not_apply(lille, complete):
    # the guard errs (a text compared with a number), so the failing check never runs
    guarded = _check("1 == 2", "Kører ikke.", when="ydelse > 3")
    assert _run(lille, complete, guarded)["status"] == "met"
    # a guard that holds lets it run
    runs = _check("1 == 2", "Kører.", when="ydelse == 'ingen'")
    assert _run(lille, complete, runs)["reasons"] == ["Kører."]


def test_the_fields_of_names_outside_the_form_keep_their_order(lille, complete):
    # a hand-built spec may name something the catalog does not know: it is listed as named
    spec = ConditionSpec("c", "Titel", None, None, (), (_check("true", fields=("zz", "aa")),))
    evaluation = evaluate(lille, complete, today=TODAY)
    result = evaluate_condition(spec, evaluation, catalog_for(lille))
    assert [ref.id for ref in result.fields] == ["zz", "aa"]
    assert result.met
