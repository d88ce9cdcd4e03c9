"""The fast evaluation path gives the reports the plain path gives, on every fixture.

The fast path (issue 19) converts only the cells of a repeat group that the definition's
expressions read, registers only the domain functions they call, runs each criterion's checks as
one expression with a prebuilt complete result, and runs a row check over all rows at once. The
plain path is the same code with those shortcuts switched off: every cell converted, every
function registered, every check run alone. Both must agree on the evaluation, the validation
problems and the whole report, for every whole-report fixture and the example answers on every
bundled version of the form, and on answers varied from them (a fixed seed: repeatable).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import random
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers.evaluate import evaluate
from forms_service.answers.validate import validate_evaluation
from forms_service.completeness import engine
from forms_service.completeness.engine import evaluate_completeness_for
from forms_service.completeness.fields import catalog_for
from forms_service.definitions.model import CriterionCheck
from forms_service.definitions.registry import default_registry

# the package exports the function under the module's name
evaluate_module = importlib.import_module("forms_service.answers.evaluate")
HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures" / "cases").glob("*.json"))
EXAMPLES = sorted((HERE.parent / "fixtures" / "answers").glob("*.json"))
VERSIONS = ("1.0.0", "1.1.0", "2.0.0-pilot.1", "2.0.0-pilot.2")


def _corpus() -> list[tuple[str, dict[str, Any], dt.date]]:
    cases: list[tuple[str, dict[str, Any], dt.date]] = []
    for path in FIXTURES:
        case = json.loads(path.read_text(encoding="utf-8"))
        cases.append((path.stem, case["answers"], dt.date.fromisoformat(case["today"])))
    for path in EXAMPLES:
        answers = json.loads(path.read_text(encoding="utf-8"))
        cases.append((f"example:{path.stem}", answers, dt.date(2025, 6, 1)))
    return cases


def _varied(count: int) -> list[tuple[str, dict[str, Any], dt.date]]:
    """Answers varied from the fixtures: fields removed or made wrong, rows changed, added and
    removed, periods ending before they start, cells the version does not know."""
    rnd = random.Random(19)
    base = _corpus()
    values = [None, "", "x", 3, 12.5, True, "2024-02-30", "31.02.2019", [], {}, "1508622402"]
    cells = [None, "", "2019-01-01", "1990-01-01", "2030-05-05", 5, 40, "fleksjob", "abc"]
    varied = []
    for number in range(count):
        name, answers, today = rnd.choice(base)
        answers = copy.deepcopy(answers)
        for _ in range(rnd.randint(1, 5)):
            key = rnd.choice(list(answers))
            value = answers[key]
            if isinstance(value, list) and value and isinstance(value[0], dict):
                row = rnd.choice(value)
                row[rnd.choice(list(row))] = rnd.choice(cells)
                if rnd.random() < 0.3:
                    value.append(copy.deepcopy(row))
                if rnd.random() < 0.1:
                    row["ukendt_celle"] = 1
            elif rnd.random() < 0.5:
                del answers[key]
            else:
                answers[key] = rnd.choice(values)
        varied.append((f"{name}-varied-{number}", answers, today))
    return varied


def _everything(definition: Any, answers: dict[str, Any], today: dt.date) -> tuple[Any, ...]:
    evaluation = evaluate(definition, answers, today=today)
    report = evaluate_completeness_for(evaluation)
    return (
        evaluation.values,
        evaluation.computed,
        evaluation.hidden,
        evaluation.undetermined,
        evaluation.type_problems,
        evaluation.unknown,
        validate_evaluation(evaluation).problems,
        json.loads(report.to_json()),
    )


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the shortcuts off (fresh plans, so none made with them is reused)."""
    make_plan = evaluate_module._make_plan

    def plain_plan(definition: Any) -> Any:
        plan = make_plan(definition)
        functions = frozenset(evaluate_module.DOMAIN_FUNCTIONS)
        return plan.__class__(
            **{
                **{name: getattr(plan, name) for name in plan.__dataclass_fields__},
                "projected": {},
                "functions": functions,
            }
        )

    monkeypatch.setattr(evaluate_module, "_plans", {})
    monkeypatch.setattr(evaluate_module, "_make_plan", plain_plan)
    monkeypatch.setattr(evaluate_module, "map_keys_read", lambda source, name: None)
    monkeypatch.setattr(
        evaluate_module.Evaluation, "holds_in_every_row", lambda self, source, rows: False
    )
    monkeypatch.setattr(engine, "_FAST", {})
    monkeypatch.setattr(engine, "_all_pass", lambda checks: None)
    monkeypatch.setattr(engine, "_passes", lambda evaluation, source, checks: False)


def test_the_fast_path_gives_the_plain_paths_results(monkeypatch: pytest.MonkeyPatch) -> None:
    definitions = [default_registry().get("sagsoplysningsskema", v) for v in VERSIONS]
    corpus = _corpus() + _varied(120)
    assert len(corpus) >= 68 + 120
    fast = {
        (name, d.version): _everything(d, answers, today)
        for name, answers, today in corpus
        for d in definitions
    }
    _plain(monkeypatch)
    assert engine._passes(None, "true", 1) is False  # the switch took
    differing = [
        (name, d.version)
        for name, answers, today in corpus
        for d in definitions
        if _everything(d, answers, today) != fast[(name, d.version)]
    ]
    assert differing == []


def test_the_fast_path_is_taken_for_the_bundled_versions() -> None:
    """Not vacuous: the bundled versions' groups are converted in part, and their criteria run
    as one expression each."""
    definition = default_registry().get("sagsoplysningsskema", "1.1.0")
    plan = evaluate_module._plan(definition)
    assert plan.projected == {
        "ansaettelser": frozenset({"ansaettelsestype", "timer_pr_uge"}),
        "helbredsdokumenter": frozenset({"dokument"}),
    }
    assert plan.functions == {"application_earliest_date", "pension_age_date"}
    criteria, conditions, _owned = engine.plan_for(definition)

    fast = engine._fast_for(definition, criteria, conditions, catalog_for(definition))
    assert all(p.all_pass is not None for p in fast.criteria)
    assert all(p.all_pass is not None for p in fast.conditions)


def _check(expr: str, when: str | None = None) -> CriterionCheck:
    return CriterionCheck(expr=expr, message="m", path="p", when=when)


def test_all_checks_as_one_expression() -> None:
    assert engine._all_pass(()) is None
    assert engine._all_pass((_check("a > 1"),)) == "((a > 1) == true)"
    assert engine._all_pass((_check("a > 1"), _check("b", when="c == 2"))) == (
        "((a > 1) == true) && ((c == 2) ? ((b) == true) : true)"
    )
    # joined, the checks would be over the length limit: they run one by one
    long = _check(" || ".join(["a > 1"] * 150))
    assert len(long.expr) < 2_000
    assert engine._all_pass((long, long)) is None


def test_passes_is_true_only_for_a_true_expression() -> None:
    definition = default_registry().get("sagsoplysningsskema", "1.1.0")
    evaluation = evaluate(definition, {}, today=dt.date(2025, 6, 1))
    assert engine._passes(evaluation, "true", 1) is True
    assert engine._passes(evaluation, "1 == 1", 2) is True
    assert engine._passes(evaluation, "false", 1) is False
    assert engine._passes(evaluation, "1", 1) is False  # not a boolean
    assert engine._passes(evaluation, "navn.size() > 0", 1) is False  # reads an absent answer
    # no expression: passes only when there is nothing to check
    assert engine._passes(evaluation, None, 0) is True
    assert engine._passes(evaluation, None, 1) is False


@pytest.mark.parametrize("version", VERSIONS)
def test_a_complete_case_takes_the_fast_path_for_every_criterion_and_condition(
    version: str,
) -> None:
    """The prebuilt results are what the report holds: nothing was run one by one."""
    definition = default_registry().get("sagsoplysningsskema", version)
    name = "v1_complete.json" if version.startswith("1.") else "v2_complete.json"
    answers = json.loads((EXAMPLES[0].parent / name).read_text(encoding="utf-8"))
    report = evaluate_completeness_for(evaluate(definition, answers, today=dt.date(2025, 6, 1)))
    assert report.sufficient
    key = (definition.form, definition.version, definition.content_hash)
    fast = engine._FAST[key]
    assert all(r is p.result for r, p in zip(report.criteria, fast.criteria, strict=True))
    assert all(r is p.result for r, p in zip(report.conditions, fast.conditions, strict=True))
    # the plan and the prebuilt results are kept for the version
    assert engine.plan_for(definition) is engine._PLANS[key]
    assert (
        engine._fast_for(definition, *engine.plan_for(definition)[:2], catalog_for(definition))
        is fast
    )


def test_an_incomplete_criterion_or_unmet_condition_is_run_one_by_one() -> None:
    definition = default_registry().get("sagsoplysningsskema", "1.1.0")
    answers = json.loads((EXAMPLES[0].parent / "v1_complete.json").read_text(encoding="utf-8"))
    del answers["arbejdsfunktioner"]  # criterion 2 requires it
    answers["arbejdsevne_timer"] = 16  # the capacity condition is not met
    # criterion 1's checks pass, but validation refuses a row's hours in a field it owns
    answers["ansaettelser"][0]["timer_pr_uge"] = 90
    report = evaluate_completeness_for(evaluate(definition, answers, today=dt.date(2025, 6, 1)))
    fast = engine._FAST[(definition.form, definition.version, definition.content_hash)]
    taken = {r.id for r, p in zip(report.criteria, fast.criteria, strict=True) if r is p.result}
    met = {r.id for r, p in zip(report.conditions, fast.conditions, strict=True) if r is p.result}
    statuses = {r.id: r.status.value for r in (*report.criteria, *report.conditions)}
    assert statuses["kriterie_1"] == "insufficient"
    assert statuses["kriterie_2"] == "missing"
    assert statuses["arbejdsevne_hoejst_15_timer"] == "not_met"
    assert taken == {"kriterie_3", "kriterie_4"}
    assert "arbejdsevne_hoejst_15_timer" not in met
    assert taken == {r.id for r in report.criteria if r.status.value == "complete"}
    assert met == {r.id for r in report.conditions if r.status.value == "met"}
