"""The definition language takes its functions by registration (issue 12): the domain's
functions are known only once registered (tests/conftest.py does it as the wiring does), a
function registered later is checked and evaluated like the domain's, and forgetting one makes
a definition that calls it invalid again."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms_service.answers import evaluate
from forms_service.definitions.functions import (
    FUNCTIONS,
    register_functions,
    unregister_functions,
)
from forms_service.definitions.loader import check_definition_data, load_definition_data
from forms_service.seniorpension import cel_functions

BUNDLED = Path(__file__).parents[2] / "form_definitions" / "sagsoplysningsskema" / "1.1.0.json"


@pytest.fixture
def doubled() -> Iterator[None]:
    register_functions({"doubled": lambda x: x * 2})
    yield
    unregister_functions(["doubled"])


def _small(expr: str) -> dict:
    return {
        "form": "lille",
        "version": "1.0.0",
        "title": "Lille",
        "sections": [
            {"id": "s", "title": "S", "fields": [{"id": "a", "type": "integer", "label": "A"}]}
        ],
        "computed": [{"id": "b", "label": "B", "type": "integer", "expr": expr}],
    }


def test_the_domain_functions_are_registered_by_the_wiring() -> None:
    assert {name: FUNCTIONS[name] for name in cel_functions.FUNCTIONS} == cel_functions.FUNCTIONS


def test_a_registered_function_is_checked_and_evaluated(doubled: None) -> None:
    definition = load_definition_data(_small("doubled(a) + 1"), "test")
    evaluation = evaluate(definition, {"a": 20}, today=dt.date(2025, 1, 1))
    assert evaluation.computed["b"] == 41
    # a CEL-evaluated expression (not a direct call) sees it too
    assert evaluation.run("doubled(a) > 39") is True


def test_a_function_nobody_registered_is_unknown() -> None:
    problems = check_definition_data(_small("doubled(a) + 1"), "test")
    assert [p.message for p in problems] == ["ukendt funktion 'doubled'"]


def test_without_the_domain_functions_a_bundled_version_is_invalid() -> None:
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    unregister_functions(list(cel_functions.FUNCTIONS))
    try:
        messages = {p.message for p in check_definition_data(data, "1.1.0")}
    finally:
        register_functions(cel_functions.FUNCTIONS)
    assert "ukendt funktion 'fulltime_years'" in messages
    assert "ukendt funktion 'pension_age_date'" in messages
    assert check_definition_data(data, "1.1.0") == []
