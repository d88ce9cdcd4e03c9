"""The impact of a publish over many open cases (issue 19): time to replay them all.

Synthetic open cases (default 10,000) on sagsoplysningsskema 1.1.0: the example answers and the
whole-report fixtures' answers, varied with a fixed seed (fields removed, rows changed), one
answers document per case. Two drafts based on 1.1.0:

- ``structural``: a field removed and a required question added (criterion 4 requires it), so
  every case is evaluated under both versions;
- ``criteria only``: a criterion's check and a label changed, so the answers' evaluation under
  1.1.0 can be reused (``completeness.impact.same_evaluation``).

Variants, each over all cases (``editor.impact.replay_cases``, no database):

- baseline ``completeness`` (one ``evaluate_completeness`` per case: today's figure);
- (a) ``structural, 1 process``; ``criteria only, 1 process, cold`` (nothing kept);
- (b) ``criteria only, 1 process, warm``: the answers' evaluations kept from a first look (the
  editor's second look at a draft, or the review page after the draft page); the same for the
  structural draft (only the draft's side is evaluated);
- (c) the same with ``--workers`` processes forked after the definitions are loaded (and the
  evaluations kept), each replaying a share.

Printed: wall time for all cases (the target: at most 1 s for 10,000 on this 2-core machine),
CPU time (this process and its children), cases per wall second, and each variant's wall time
against the completeness baseline of the same run. The machine may be shared: compare ratios.

    .venv/bin/python benchmarks/bench_impact.py [-n 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

from forms_service.completeness import evaluate_completeness  # noqa: E402
from forms_service.completeness.impact import clear_baselines  # noqa: E402
from forms_service.definitions.loader import load_definition_data  # noqa: E402
from forms_service.definitions.registry import default_registry  # noqa: E402
from forms_service.editor.impact import OpenCase, replay_cases  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VERSION = "1.1.0"
TODAY = dt.date(2025, 6, 1)
TARGET_SECONDS = 1.0


def _answers_pool() -> list[dict[str, Any]]:
    pool = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "tests" / "fixtures" / "answers").glob("v1_*.json"))
    ]
    for path in sorted((ROOT / "tests" / "completeness" / "fixtures" / "cases").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["form"].startswith("sagsoplysningsskema@1."):
            pool.append(case["answers"])
    return pool


def synthetic_cases(n: int) -> list[OpenCase]:
    rnd = random.Random(19)
    pool = _answers_pool()
    cases = []
    for number in range(n):
        answers = copy.deepcopy(rnd.choice(pool))
        for _ in range(rnd.randint(0, 3)):
            key = rnd.choice(list(answers))
            value = answers[key]
            if isinstance(value, list) and value and isinstance(value[0], dict):
                rnd.choice(value)["timer_pr_uge"] = rnd.choice([10, 20, 37, None])
            else:
                del answers[key]
        cases.append(OpenCase(number, f"SIM-{number:05d}", 101, VERSION, VERSION, 1, answers))
    return cases


def drafts() -> dict[str, Any]:
    base = json.loads(
        (ROOT / "form_definitions" / "sagsoplysningsskema" / f"{VERSION}.json").read_text(
            encoding="utf-8"
        )
    )
    structural = copy.deepcopy(base)
    for section in structural["sections"]:
        if any(f["id"] == "hjaelpemidler" for f in section["fields"]):
            section["fields"] = [f for f in section["fields"] if f["id"] != "hjaelpemidler"]
            section["fields"].append(
                {"id": "ny_oplysning", "type": "text", "label": "Ny oplysning", "required": True}
            )
    kriterie_4 = next(c for c in structural["completeness"] if c["id"] == "kriterie_4")
    kriterie_4["requires"] = [*kriterie_4.get("requires", []), "ny_oplysning"]
    criteria = copy.deepcopy(base)
    criteria["sections"][0]["fields"][0]["label"] += " (hos Seniorpension)"
    check = next(c for c in criteria["completeness"] if c["id"] == "kriterie_4")["checks"][0]
    check["expr"] = f"({check['expr']}) && partshoering_dato != null"
    found = {}
    for name, data in (("structural", structural), ("criteria only", criteria)):
        data["version"] = "1.99.0"
        data["based_on"] = VERSION
        data["migrations"] = []
        found[name] = load_definition_data(data, f"bench:{name}")
    return found


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    action()
    return time.perf_counter() - wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="open cases")
    parser.add_argument("--workers", type=int, default=2, help="processes for (c)")
    args = parser.parse_args()
    old = default_registry().get("sagsoplysningsskema", VERSION)
    definitions = {VERSION: old}
    cases = synthetic_cases(args.n)
    found = drafts()
    structural, criteria = found["structural"], found["criteria only"]

    def replay(draft: Any, workers: int = 1) -> Callable[[], object]:
        return lambda: replay_cases(cases, definitions, draft, today=TODAY, workers=workers)

    def cold(draft: Any, workers: int = 1) -> Callable[[], object]:
        def run() -> object:
            clear_baselines()
            return replay(draft, workers)()

        return run

    results: list[tuple[str, float, float]] = []
    baseline_wall, baseline_cpu = timed(
        lambda: [evaluate_completeness(old, c.answers, today=TODAY) for c in cases]
    )
    results.append(("baseline: completeness, 1 process", baseline_wall, baseline_cpu))
    results.append(("(a) structural, 1 process", *timed(cold(structural))))
    results.append(("(b) structural, 1 process, warm", *timed(replay(structural))))
    results.append(("(a) criteria only, 1 process, cold", *timed(cold(criteria))))
    results.append(("(b) criteria only, 1 process, warm", *timed(replay(criteria))))
    results.append(
        (
            f"(c) criteria only, {args.workers} processes, warm",
            *timed(replay(criteria, args.workers)),
        )
    )
    results.append(
        (f"(c) structural, {args.workers} processes, cold", *timed(cold(structural, args.workers)))
    )
    affected = sum(
        1 for i in replay_cases(cases, definitions, structural, today=TODAY) if i.affected
    )
    print(f"{args.n:,} open cases on sagsoplysningsskema@{VERSION}; {affected:,} affected by the")
    print(f"structural draft; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':44s} {'wall s':>8s} {'CPU s':>8s} {'cases/s':>9s} {'÷ baseline':>11s}")
    for name, wall, cpu in results:
        print(
            f"{name:44s} {wall:8.2f} {cpu:8.2f} {args.n / wall:9,.0f} {wall / baseline_wall:11.2f}"
        )
    best = min(wall for name, wall, _ in results if not name.startswith("baseline"))
    verdict = "meets" if best * 10_000 / args.n <= TARGET_SECONDS else "MISSES"
    print(
        f"target {TARGET_SECONDS:.0f} s for 10,000: {verdict} (best {best * 10_000 / args.n:.2f} s)"
    )


if __name__ == "__main__":
    main()
