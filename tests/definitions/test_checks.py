"""Whole-document checks: dependency order and cycles among computed values, and that they
run on raw JSON even when the structure is broken (so one pass reports everything)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from forms_service.definitions.checks import dependency_order, find_cycle, semantic_problems
from forms_service.definitions.loader import load_definition_data

SMALL = Path(__file__).parent / "fixtures" / "small" / "1.0.0.json"


@pytest.fixture
def small() -> dict[str, Any]:
    return json.loads(SMALL.read_text("utf-8"))


def test_find_cycle_returns_the_cycle_in_order() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c"]
    assert find_cycle({"a": {"a"}}) == ["a"]
    assert find_cycle({"x": {"a"}, "a": {"b"}, "b": {"a"}}) == ["a", "b"]


def test_no_cycle_in_a_diamond() -> None:
    assert find_cycle({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}) is None


def test_dependency_order_puts_dependencies_first() -> None:
    order = dependency_order({"total": {"a", "b"}, "a": {"base"}, "b": {"a"}, "base": set()})
    assert order.index("base") < order.index("a") < order.index("b") < order.index("total")
    assert sorted(order) == ["a", "b", "base", "total"]


def test_the_loaded_model_evaluates_computed_values_in_dependency_order(
    small: dict[str, Any],
) -> None:
    small["computed"] = [
        {"id": "samlet", "expr": "halv * 2.0"},
        {"id": "halv", "expr": "fuldtidsaar / 2.0"},
        {"id": "fuldtidsaar", "expr": "fulltime_years(ansaettelser, ansoegningsdato)"},
    ]
    definition = load_definition_data(small, "small/1.0.0.json")
    assert definition.computed_order == ("fuldtidsaar", "halv", "samlet")
    # the declared order is kept for display
    assert [c.id for c in definition.computed] == ["samlet", "halv", "fuldtidsaar"]


def test_semantic_checks_still_run_when_the_structure_is_broken(small: dict[str, Any]) -> None:
    data = copy.deepcopy(small)
    data["sections"][0]["fields"][0]["required"] = "ja"  # structural problem
    data["sections"][0]["fields"][2]["visible_if"] = "ukendt > 1"  # semantic problem
    data["sections"][1]["fields"] = "ikke en liste"  # shape the checks must skip
    assert semantic_problems(data) == [
        ("sections[0].fields[2].visible_if", "ukendt felt 'ukendt'"),
        # with the repeat group gone, what referred to it is reported, not crashed on
        ("computed[0].expr", "ukendt felt 'ansaettelser'"),
        ("checks[0].repeat", "'ansaettelser' er ikke en gentagen gruppe"),
        ("checks[0].expr", "'row' kan kun bruges inden for en gentagen gruppe"),
        ("completeness[0].requires[0]", "ukendt felt 'ansaettelser'"),
    ]


def test_computed_values_may_refer_to_each_other_and_to_fields(small: dict[str, Any]) -> None:
    small["computed"].append({"id": "over_20", "expr": "fuldtidsaar >= 20.0 && kendt == true"})
    small["sections"][0]["fields"][3]["visible_if"] = "over_20"
    assert semantic_problems(small) == []
