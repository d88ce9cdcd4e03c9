"""The bundled forms' completeness, case by case: each fixture holds the whole expected report.

The fixtures in fixtures/cases/ are written by build_case_fixtures.py from expectations
reasoned out by hand from the law (each fixture's ``why`` says why); the engine is never used
to produce them. The test compares the whole report, after resolving the ``@definition:``
markers (guidance texts and the content hash, copied verbatim from the loaded definition).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers import evaluate
from forms_service.completeness import evaluate_completeness, evaluate_completeness_for
from forms_service.completeness.engine import results_for
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import default_registry

CASES = sorted((Path(__file__).parent / "fixtures" / "cases").glob("*.json"))
MARKER = "@definition:"


def _definition_value(definition: FormDefinition, path: str) -> Any:
    if path == "content_hash":
        return definition.content_hash
    head, _, rest = path.partition(".")
    if head == "guidance":
        return getattr(definition.guidance, rest)
    if head == "completeness":
        criterion_id, _, attribute = rest.partition(".")
        criterion = next(c for c in definition.completeness if c.id == criterion_id)
        return getattr(criterion, attribute)
    raise AssertionError(f"unknown marker {path}")


def _resolve(node: Any, definition: FormDefinition) -> Any:
    if isinstance(node, str) and node.startswith(MARKER):
        return _definition_value(definition, node[len(MARKER) :])
    if isinstance(node, dict):
        return {key: _resolve(value, definition) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(value, definition) for value in node]
    return node


def test_there_are_enough_cases_over_both_versions():
    forms = [json.loads(p.read_text(encoding="utf-8"))["form"] for p in CASES]
    assert len(CASES) >= 30
    assert {"sagsoplysningsskema@1.0.0", "sagsoplysningsskema@2.0.0-pilot.1"} <= set(forms)


def test_every_criterion_and_condition_is_seen_in_every_status():
    seen: dict[str, set[str]] = {}
    for path in CASES:
        case = json.loads(path.read_text(encoding="utf-8"))
        for item in [*case["expected"]["criteria"], *case["expected"]["conditions"]]:
            seen.setdefault(item["id"], set()).add(item["status"])
    for criterion in ("kriterie_1", "kriterie_2", "kriterie_3", "kriterie_4"):
        assert {"complete", "missing"} <= seen[criterion], criterion
    # criterion 2's "no latest job of about 12 months" is the information check left that
    # can make a criterion insufficient in the published versions
    assert "insufficient" in seen["kriterie_2"]
    for condition in (
        "pensionsalder",
        "ikke_foertidspension",
        "fuldtidsaar",
        "arbejdsevne_hoejst_15_timer",
        "varigt_nedsat",
    ):
        assert seen[condition] == {"met", "not_met", "undetermined"}, condition


def test_a_condition_not_met_never_makes_a_case_insufficient():
    for path in CASES:
        expected = json.loads(path.read_text(encoding="utf-8"))["expected"]
        informed = all(c["status"] == "complete" for c in expected["criteria"])
        assert expected["sufficient"] is informed, path.stem


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_gives_the_expected_report(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    definition = default_registry().resolve(case["form"])
    today = dt.date.fromisoformat(case["today"])
    report = evaluate_completeness(definition, case["answers"], today=today)
    expected = _resolve(case["expected"], definition)
    actual = json.loads(report.to_json())
    assert actual == expected, case["why"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_criterion_and_condition_alone_is_as_in_the_whole_report(path: Path):
    """``engine.results_for`` (what a publish's impact runs for the entries a draft changed)
    gives each entry's result as the whole report has it, asked for alone or with others."""
    case = json.loads(path.read_text(encoding="utf-8"))
    definition = default_registry().resolve(case["form"])
    evaluation = evaluate(definition, case["answers"], today=dt.date.fromisoformat(case["today"]))
    report = evaluate_completeness_for(evaluation)
    criteria = {r.id: r for r in report.criteria}
    conditions = {r.id: r for r in report.conditions}
    for criterion_id in criteria:
        assert results_for(evaluation, frozenset({criterion_id}), frozenset()) == (
            {criterion_id: criteria[criterion_id]},
            {},
        )
    for condition_id in conditions:
        assert results_for(evaluation, frozenset(), frozenset({condition_id})) == (
            {},
            {condition_id: conditions[condition_id]},
        )
    assert results_for(evaluation, frozenset(criteria), frozenset(conditions)) == (
        criteria,
        conditions,
    )
