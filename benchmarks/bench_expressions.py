"""The worst evaluation time per case that the expression limits allow, beside the bundled
versions' own evaluation time (the baseline, same run).

The limits (forms_service/definitions/expression_limits.py) bound each expression's estimated
cost (MAX_COST steps) and a definition's total (MAX_DEFINITION_COST steps, a row expression
counting once per row). What a step costs in time depends on its kind, so this runs several
hostile shapes, each built to sit just under MAX_COST, with 100-row inputs
(MAX_INPUT_ITEMS, the evaluation bound), and takes the slowest time per step:

- one comprehension over 100 answer rows with a long body;
- two nested comprehensions over literal lists;
- the answer rows iterated inside a comprehension over a literal list;
- a sum chain as deep as MAX_DEPTH allows;
- ``in`` over a 100-element literal list inside a comprehension.

worst per case = slowest seconds per step × MAX_DEFINITION_COST. Baseline: ``evaluate()`` of
the bundled versions on their complete example answers (tests/fixtures/answers).

    .venv/bin/python benchmarks/bench_expressions.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

import cel

from forms_service.answers import evaluate
from forms_service.definitions import expression_limits as limits
from forms_service.definitions.expressions import compile_expression
from forms_service.definitions.registry import default_registry
from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "fixtures" / "answers"
CASES = {"1.0.0": "v1_complete.json", "2.0.0-pilot.1": "v2_complete.json"}
TODAY = dt.date(2025, 6, 1)
ROWS = [
    {"fra": dt.datetime(2000 + i % 20, 1, 1, tzinfo=dt.UTC), "timer": 37.0 + i % 5, "navn": f"A{i}"}
    for i in range(limits.MAX_INPUT_ITEMS)
]


def _largest_under_cost(make: object) -> str:
    """The biggest expression ``make(n)`` whose estimated cost stays within MAX_COST."""
    best = None
    for n in range(1, 400):
        source = make(n)  # type: ignore[operator]
        try:
            compile_expression(source)
        except ValueError:
            break
        best = source
    assert best is not None
    return best


def hostile_shapes() -> dict[str, str]:
    def literal(n: int) -> str:
        return "[" + ", ".join(str(i) for i in range(n)) + "]"

    return {
        "one comprehension over 100 rows, long body": _largest_under_cost(
            lambda n: "rows.map(r, " + " + ".join(["r.timer"] * n) + ")"
        ),
        "two nested comprehensions over literals": _largest_under_cost(
            lambda n: f"{literal(n)}.map(x, {literal(n)}.map(y, x * y + x))"
        ),
        "rows inside a comprehension over a literal": _largest_under_cost(
            lambda n: f"{literal(n)}.map(i, rows.map(r, r.timer > 1.0))"
        ),
        "sum chain at the depth limit": _largest_under_cost(
            lambda n: " + ".join(["rows[0].timer"] * n)
        ),
        "'in' over a literal inside a comprehension": _largest_under_cost(
            lambda n: f"rows.filter(r, r.navn in {literal(min(n, 100))}.map(i, string(i)))"
        ),
    }


def seconds_per_step(source: str, repeat: int) -> tuple[float, int]:
    compiled = compile_expression(source)
    context = cel.Context(variables={"rows": ROWS})
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        compiled.program.execute(context)
        samples.append(time.process_time() - start)
    return statistics.median(samples) / compiled.cost, compiled.cost


def bundled_seconds(repeat: int) -> dict[str, float]:
    registry = default_registry()
    out = {}
    for version, name in CASES.items():
        definition = registry.get("sagsoplysningsskema", version)
        answers = json.loads((ANSWERS / name).read_text("utf-8"))
        evaluate(definition, answers, today=TODAY)
        samples = []
        for _ in range(repeat * 20):
            start = time.process_time()
            evaluate(definition, answers, today=TODAY)
            samples.append(time.process_time() - start)
        out[version] = statistics.median(samples)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(
        f"limits: MAX_COST={limits.MAX_COST} steps per expression, "
        f"MAX_DEFINITION_COST={limits.MAX_DEFINITION_COST} per definition, "
        f"{limits.MAX_INPUT_ITEMS} rows per repeat group"
    )
    baseline = bundled_seconds(args.repeat)
    for version, seconds in baseline.items():
        print(f"baseline: evaluate() sagsoplysningsskema@{version}: {seconds * 1000:.2f} ms")
    worst = 0.0
    for label, source in hostile_shapes().items():
        per_step, cost = seconds_per_step(source, args.repeat)
        worst = max(worst, per_step)
        print(
            f"{label}: cost {cost}, {per_step * cost * 1000:.2f} ms per expression, "
            f"{per_step * 1e9:.0f} ns per step"
        )
    per_case = worst * limits.MAX_DEFINITION_COST
    slowest_bundled = max(baseline.values())
    print(
        f"worst per case allowed by the limits: {per_case * 1000:.0f} ms "
        f"({per_case / slowest_bundled:.0f}x the slowest bundled version's evaluate())"
    )


if __name__ == "__main__":
    main()
