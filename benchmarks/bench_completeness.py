"""Completeness evaluations per second on one core, for a realistic v1 case.

The case is tests/fixtures/answers/v1_complete.json (three employment periods, two health
documents, every criterion met: every check runs) on sagsoplysningsskema 1.0.0 and 1.1.0 (what new
cases get), and v2_complete.json on 2.0.0-pilot.2 (``--versions``). Measured in the same run, one process
(single-threaded, so one core), as calls per CPU second:

- ``completeness``: ``evaluate_completeness(definition, answers, today=...)`` from the raw
  answers document: coercion, computed values, visibility, then the criteria (the figure with
  the target of 3,000 a second, issue 19). The domain functions memoise their results within
  one evaluation only (forms_service/seniorpension/cel_functions.py), so every call measures a
  fresh answers document;
- baseline ``evaluate() alone``: the evaluated answer set every consumer needs anyway; the ratio
  says what the criteria add on top;
- baseline ``validate() alone``: what saving a draft costs (evaluation plus field rules);
- ``criteria only``: ``evaluate_completeness_for`` on an answer set evaluated once;
- baseline ``CEL compiled per call``: completeness with the compile cache cleared before each
  evaluation, i.e. what caching the compiled programs per version saves.

    .venv/bin/python benchmarks/bench_completeness.py [-n 500] [--repeat 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from forms_service.answers import evaluate, validate
from forms_service.completeness import evaluate_completeness, evaluate_completeness_for
from forms_service.definitions.expressions import compile_expression
from forms_service.definitions.registry import default_registry
from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
PILOT_CASE = ROOT / "tests" / "fixtures" / "answers" / "v2_complete.json"  # its fields
TODAY = dt.date(2025, 6, 1)
TARGET = 3000.0
VERSIONS = ("1.0.0", "1.1.0", "2.0.0-pilot.2")


def interleaved_rates(
    actions: dict[str, tuple[Callable[[], object], int]], repeat: int
) -> dict[str, float]:
    """Median calls per CPU second of each action (process time, so other processes on the
    machine do not count); runs alternate, so what remains of their effect hits all alike."""
    for action, _ in actions.values():
        action()  # warm-up: compiled programs and the registry's cache
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, (action, n) in actions.items():
            start = time.process_time()
            for _ in range(n):
                action()
            samples[name].append(n / (time.process_time() - start))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="evaluations per run")
    parser.add_argument("--repeat", type=int, default=9, help="runs (the median is shown)")
    parser.add_argument("--versions", default=",".join(VERSIONS), help="comma-separated")
    args = parser.parse_args()
    for version in args.versions.split(","):
        measure(version, args.n, args.repeat)


def measure(version: str, n: int, repeat: int) -> None:
    definition = default_registry().get("sagsoplysningsskema", version)
    case = PILOT_CASE if "pilot" in version else CASE
    answers = json.loads(case.read_text(encoding="utf-8"))
    report = evaluate_completeness(definition, answers, today=TODAY)
    assert report.sufficient, "the benchmark case should pass every criterion"
    evaluation = evaluate(definition, answers, today=TODAY)

    def fresh_completeness() -> object:
        return evaluate_completeness(definition, answers, today=TODAY)

    def fresh_evaluate() -> object:
        return evaluate(definition, answers, today=TODAY)

    def fresh_validate() -> object:
        return validate(definition, answers, today=TODAY)

    def cold_completeness() -> object:
        compile_expression.cache_clear()
        return evaluate_completeness(definition, answers, today=TODAY)

    rates = interleaved_rates(
        {
            "completeness": (fresh_completeness, n),
            "evaluate() alone": (fresh_evaluate, n),
            "validate() alone": (fresh_validate, n),
            "criteria only": (lambda: evaluate_completeness_for(evaluation), n),
            "CEL compiled per call": (cold_completeness, max(1, n // 10)),
        },
        repeat,
    )
    compile_expression.cache_clear()

    main_rate = rates["completeness"]
    print(f"case: {case.relative_to(ROOT)} on {definition.ref}, today {TODAY}, 1 process")
    print(f"{'':34s} {'per second':>12s} {'ms each':>9s} {'completeness ÷ this':>20s}")
    for name, rate in rates.items():
        print(f"{name:34s} {rate:12,.0f} {1000 / rate:9.3f} {main_rate / rate:20.2f}")
    verdict = "meets" if main_rate >= TARGET else "MISSES"
    print(f"target {TARGET:,.0f}/s: {verdict} ({main_rate / TARGET:.2f} × target)\n")


if __name__ == "__main__":
    main()
