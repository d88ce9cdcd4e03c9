"""Limits on CEL expressions: the two hostile expressions found in the security review, and
each limit reported as a definition problem with its JSON path and a Danish message."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers.evaluate import evaluate
from forms_service.definitions import expression_limits as limits
from forms_service.definitions.checks import semantic_problems
from forms_service.definitions.expressions import ExpressionSyntaxError, compile_expression
from forms_service.definitions.loader import load_definition_data

SMALL = Path(__file__).parent / "fixtures" / "small" / "1.0.0.json"
ITEMS = "[" + ", ".join(str(i) for i in range(100)) + "]"
# 15,000 terms: evaluating it overflowed the CEL library's native stack (SIGSEGV)
LONG_SUM = "+".join(["1"] * 15_000)
# 911 bytes, three nested maps over 100 items: 19.6 s of CPU before the limits
NESTED_MAPS = f"{ITEMS}.map(x, {ITEMS}.map(y, {ITEMS}.map(z, x + y + z)))"


@pytest.fixture
def small() -> dict[str, Any]:
    return json.loads(SMALL.read_text("utf-8"))


def _problems_with_computed(data: dict[str, Any], expr: str) -> list[tuple[str, str]]:
    """The problems of ``data`` with one more computed value, ``farlig``, at ``computed[N]``."""
    data.setdefault("computed", []).append({"id": "farlig", "type": "number", "expr": expr})
    index = len(data["computed"]) - 1
    return [(p.replace(f"computed[{index}]", "computed[N]"), m) for p, m in semantic_problems(data)]


def test_the_long_sum_is_a_definition_problem_not_a_crash(small: dict[str, Any]) -> None:
    assert _problems_with_computed(small, LONG_SUM) == [
        ("computed[N].expr", "udtrykket er for langt (29999 tegn; højst 2000)")
    ]

    # under the length limit, the depth (= number of terms of a left-leaning sum) refuses it
    medium = "+".join(["1"] * 900)
    with pytest.raises(ExpressionSyntaxError, match="for dybt"):
        compile_expression(medium)


def test_the_long_sum_really_crashes_the_cel_library_on_its_own() -> None:
    # Shows what the limits protect against (in a child process, which is what dies).
    script = f"import cel; cel.compile({LONG_SUM!r}).execute({{}})"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert result.returncode != 0


def test_nested_maps_are_refused_for_their_nesting(small: dict[str, Any]) -> None:
    assert len(NESTED_MAPS) < limits.MAX_LENGTH
    started = time.process_time()
    problems = _problems_with_computed(small, NESTED_MAPS)
    assert time.process_time() - started < 1.0  # checked without being evaluated
    assert problems == [
        (
            "computed[N].expr",
            "for mange indlejrede gennemløb (all/exists/map/filter: 3; højst 2)",
        )
    ]


def test_nested_comprehensions_over_answers_are_refused_for_their_cost() -> None:
    # a comprehension over answers counts MAX_INPUT_ITEMS rows: every pair of 100 rows
    pairs = "ansaettelser.exists(a, ansaettelser.exists(b, a.fra < b.fra && a.til > b.til))"
    with pytest.raises(ExpressionSyntaxError, match="for dyrt at beregne"):
        compile_expression(pairs)
    one_pass = "ansaettelser.exists(a, a.fra < ansoegningsdato && a.til > ansoegningsdato)"
    measure = limits.check_expression_limits(one_pass)
    assert measure is not None and measure.nesting == 1
    assert limits.MAX_INPUT_ITEMS < measure.cost <= limits.MAX_COST


def test_a_definition_of_many_costly_expressions_is_refused_as_a_whole(
    small: dict[str, Any],
) -> None:
    costly = "ansaettelser.exists(a, a.timer_pr_uge > 1 && a.timer_pr_uge < 2 || a.til == null)"
    cost = compile_expression(costly).cost
    count = limits.MAX_DEFINITION_COST // cost + 1
    small["computed"] = small.get("computed", []) + [
        {"id": f"dyr_{i}", "type": "boolean", "expr": costly} for i in range(count)
    ]
    problems = semantic_problems(small)
    assert problems[-1][0] == ""
    assert problems[-1][1].startswith("udtrykkene er tilsammen for dyre at beregne")
    assert problems[:-1] == []


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("[" + ", ".join(["1"] * 101) + "]", "for mange elementer (101; højst 100)"),
        ("{" + ", ".join(f"'k{i}': 1" for i in range(101)) + "}", "for mange elementer"),
        ("f(" + ", ".join(f"a{i}" for i in range(301)) + ")", "for mange led (301; højst 300)"),
        ("(" * 60 + "1" + ")" * 60, "for dybt"),
        ("f(" * 60 + "1" + ")" * 60, "for dybt"),
        ("x" * 2001, "for langt (2001 tegn; højst 2000)"),
    ],
)
def test_each_limit_has_its_danish_message(expr: str, message: str) -> None:
    with pytest.raises(
        ExpressionSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        compile_expression(expr)


def test_ordinary_expressions_pass_and_are_measured() -> None:
    measure = limits.check_expression_limits(
        "size(ansaettelser.filter(r, r.ansaettelsestype == 'selvstaendig')) > 0"
    )
    assert measure is not None
    assert (measure.nesting, measure.terms) == (1, 5)
    assert limits.check_expression_limits("a ? b : c.d[0] in [1, 2u, 3.5, 'x', b\"y\"]")
    assert limits.check_expression_limits("!has(row.til) && -x < 0x1F") is not None
    # what the limits' parser cannot read is left to CEL's syntax error
    assert limits.check_expression_limits("aar >= ") is None
    with pytest.raises(ExpressionSyntaxError, match="syntaksfejl"):
        compile_expression("aar >= ")


def test_more_rows_than_the_evaluation_bound_are_a_problem_not_work(
    small: dict[str, Any],
) -> None:
    definition = load_definition_data(small, "small/1.0.0.json")
    row = {"fra": "2001-01-01", "arbejdsgiver": "A", "timer_pr_uge": 37}
    answers = {"ansaettelser": [row] * (limits.MAX_INPUT_ITEMS + 1)}
    evaluation = evaluate(definition, answers, today=dt.date(2026, 12, 6))
    assert [(p.path, p.code) for p in evaluation.type_problems] == [
        ("ansaettelser", "too_many_rows")
    ]
    assert len(evaluation.values["ansaettelser"]) == limits.MAX_INPUT_ITEMS
