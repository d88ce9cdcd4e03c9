"""Which criterion reports a validation problem, and under which name (engine rule 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms_service.answers.validate import Problem
from forms_service.completeness import evaluate_completeness
from forms_service.completeness.engine import _problems_by_field, _ref_name, owners, plan_for
from forms_service.definitions.loader import load_definition_data
from forms_service.definitions.model import Criterion, CriterionCheck, Severity
from forms_service.definitions.registry import default_registry


def _criterion(cid: str, requires: tuple[str, ...], *check_fields: tuple[str, ...]) -> Criterion:
    checks = tuple(
        CriterionCheck("true", "m", f"checks[{i}]", Severity.ATTENTION, fields)
        for i, fields in enumerate(check_fields)
    )
    return Criterion(cid, cid, f"completeness[{cid}]", requires=requires, checks=checks)


def test_a_field_belongs_to_the_first_criterion_requiring_it_else_the_first_naming_it():
    k1 = _criterion("k1", ("a", "b"), ("c",))
    k2 = _criterion("k2", ("c",), ("a", "d"))
    k3 = _criterion("k3", (), ("d", "e"))
    assert owners([k1, k2, k3]) == {"k1": ("a", "b"), "k2": ("c", "d"), "k3": ("e",)}
    assert owners([]) == {}


def test_problems_are_filed_under_the_group_and_the_sub_field():
    problems = [
        Problem("ansaettelser[2].timer_pr_uge", "required", "t"),
        Problem("cpr", "pattern", "c"),
        Problem("helbredsdokumenter[0].dokument.title", "required", "d"),
        Problem("ukendt", "unknown", "u"),
        Problem("ansaettelser", "min_rows", "r"),
    ]
    found = _problems_by_field(problems)
    assert {key: [p.message for p in value] for key, value in found.items()} == {
        "ansaettelser": ["t", "r"],
        "ansaettelser.timer_pr_uge": ["t"],
        "cpr": ["c"],
        "helbredsdokumenter": ["d"],
        "helbredsdokumenter.dokument": ["d"],
    }


def test_a_problem_path_names_its_catalog_entry():
    assert _ref_name("ansaettelser[12].timer_pr_uge") == "ansaettelser.timer_pr_uge"
    assert _ref_name("helbredsdokumenter[0].dokument.title") == "helbredsdokumenter.dokument"
    assert _ref_name("kontakt_email") == "kontakt_email"
    assert _ref_name("dokument.title") == "dokument"
    assert _ref_name("ansaettelser") == "ansaettelser"
    assert _ref_name("ansaettelser[2]") == "ansaettelser"  # a whole row
    # deeper paths inside an attachment still name the field (or the row's field)
    assert _ref_name("helbredsdokumenter[0].dokument.file.name") == "helbredsdokumenter.dokument"
    assert _ref_name("attest.file.name") == "attest"


def test_the_plan_of_1_0_0_lifts_three_checks_and_keeps_the_rest():
    definition = default_registry().resolve("sagsoplysningsskema@1.0.0")
    criteria, conditions, owned = plan_for(definition)
    assert [c.id for c in criteria] == ["kriterie_1", "kriterie_2", "kriterie_3", "kriterie_4"]
    assert [(c.id, c.criterion) for c in conditions] == [
        ("pensionsalder", None),
        ("ikke_foertidspension", None),
        ("fuldtidsaar", "kriterie_1"),
        ("arbejdsevne_hoejst_15_timer", "kriterie_4"),
        ("varigt_nedsat", "kriterie_4"),
    ]
    assert [len(c.checks) for c in criteria] == [3, 4, 1, 1]
    assert conditions[2].requires == ("ansaettelser",)
    assert conditions[2].checks[0].expr == "fuldtidsaar >= 20.0"
    assert owned["kriterie_1"][:2] == ("ansaettelser", "dokumentation_tilknytning")
    assert "sammenlagt_samme_type" in owned["kriterie_2"]
    assert plan_for(definition) is plan_for(definition)  # one plan per version


# A criterion that owns a repeat group's sub-field (``requires``) and, through its check, the
# group itself, a top-level number and a required text: each row problem reaches it twice.
EJER: dict[str, Any] = {
    "form": "ejer",
    "version": "1.0.0",
    "title": "Ejerskab",
    "sections": [
        {
            "id": "s",
            "title": "Sektion",
            "fields": [
                {
                    "id": "rows",
                    "type": "repeat",
                    "label": "Rækker",
                    "min_rows": 2,
                    "fields": [
                        {"id": "a", "type": "number", "label": "A", "required": True, "max": 10},
                        {"id": "b", "type": "number", "label": "B", "max": 10},
                    ],
                },
                {"id": "x", "type": "number", "label": "X", "max": 10},
                {"id": "y", "type": "text", "label": "Y", "required": True},
            ],
        }
    ],
    "completeness": [
        {
            "id": "k",
            "title": "K",
            "requires": ["rows.a"],
            "checks": [
                {
                    "expr": "true",
                    "message": "Altid opfyldt.",
                    "severity": "insufficient",
                    "fields": ["rows", "x", "y"],
                }
            ],
        }
    ],
}


def _k(answers: dict[str, Any]) -> dict[str, Any]:
    definition = load_definition_data(EJER, "ejer/1.0.0.json")
    report = evaluate_completeness(definition, answers, today=dt.date(2025, 3, 1))
    found = report.to_dict()["criteria"][0]
    for key in ("missing_fields", "review_fields"):
        found[key] = [ref["id"] for ref in found[key]]
    return found


def test_a_row_problem_reached_through_the_sub_field_and_the_group_counts_once():
    found = _k({"rows": [{"a": 11, "b": 1}, {"a": 1, "b": 11}], "y": "svar"})
    assert found["status"] == "insufficient"
    assert found["reasons"] == [
        "»A« for række 1 i »Rækker« må højst være 10.",
        "»B« for række 2 i »Rækker« må højst være 10.",
    ]
    assert found["review_fields"] == ["rows.a", "rows.b"]
    assert found["missing_fields"] == []


def test_problems_of_a_field_already_missing_are_passed_over_and_the_others_reported():
    # no row has A: the criterion says so once; each row's own problem in B is still reported
    found = _k({"rows": [{"b": 11}, {"b": 12}], "y": "svar"})
    assert found["status"] == "missing"
    assert found["reasons"] == [
        "»A« i »Rækker« er ikke udfyldt i nogen række.",
        "»B« for række 1 i »Rækker« må højst være 10.",
        "»B« for række 2 i »Rækker« må højst være 10.",
    ]
    assert found["missing_fields"] == ["rows.a"]
    assert found["review_fields"] == ["rows.b"]


def test_too_few_rows_and_an_empty_required_field_are_missing_and_a_wrong_value_for_review():
    found = _k({"rows": [{"a": 1}], "x": 11})
    assert found["status"] == "missing"
    assert found["missing_fields"] == ["rows", "y"]
    assert found["review_fields"] == ["x"]
    assert found["reasons"] == [
        "»Rækker« skal have mindst 2 rækker.",
        "»X« må højst være 10.",
        "Angiv »Y«.",
    ]
