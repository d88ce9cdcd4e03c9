"""Which criterion reports a validation problem, and under which name (engine rule 5)."""

from __future__ import annotations

from forms_service.answers.validate import Problem
from forms_service.completeness.engine import _problems_by_field, _ref_name, owners, plan_for
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
