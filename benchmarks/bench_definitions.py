"""Loading the bundled form definitions, cold and warm.

Cold: a new Registry and an empty CEL compile cache, so every version is parsed, checked
(schema, references, cycles), compiled and built. Warm: ``registry.get`` on an unchanged file,
which only stats the file. Both are compared with a named baseline measured in the same run:
``json.loads`` of the same files (the least any load must do).

    .venv/bin/python benchmarks/bench_definitions.py [--cold N] [--warm N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from forms_service.definitions.expressions import compile_expression
from forms_service.definitions.registry import Registry
from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "form_definitions"
BUNDLED_VERSIONS = [("sagsoplysningsskema", "1.0.0"), ("sagsoplysningsskema", "2.0.0-pilot.1")]
FALLBACK = ROOT / "tests" / "definitions" / "fixtures"
FALLBACK_VERSIONS = [("small", "1.0.0")]


def _median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _targets() -> tuple[Path, list[tuple[str, str]], str]:
    if all((BUNDLED / form / f"{version}.json").is_file() for form, version in BUNDLED_VERSIONS):
        return BUNDLED, BUNDLED_VERSIONS, "bundled"
    return FALLBACK, FALLBACK_VERSIONS, "FALLBACK (bundled definitions absent): small fixture"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=30, help="cold repetitions")
    parser.add_argument("--warm", type=int, default=2000, help="warm repetitions")
    args = parser.parse_args()

    root, versions, what = _targets()
    files = [root / form / f"{version}.json" for form, version in versions]
    size = sum(f.stat().st_size for f in files)

    def cold() -> None:
        compile_expression.cache_clear()
        registry = Registry(root)
        for form, version in versions:
            registry.get(form, version)

    warm_registry = Registry(root)
    for form, version in versions:
        warm_registry.get(form, version)

    def warm() -> None:
        for form, version in versions:
            warm_registry.get(form, version)

    def baseline() -> None:
        for file in files:
            json.loads(file.read_text("utf-8"))

    cold()  # import-time work (CEL, marshmallow) is not what we measure
    expressions = compile_expression.cache_info().currsize
    t_baseline = _median_seconds(baseline, args.warm)
    t_cold = _median_seconds(cold, args.cold)
    t_warm = _median_seconds(warm, args.warm)

    print(f"definitions: {what}")
    for form, version in versions:
        print(f"  {form}@{version}")
    print(f"  {len(files)} files, {size / 1024:.1f} KiB, {expressions} distinct CEL expressions")
    print(f"baseline json.loads of the files  median {t_baseline * 1e3:9.3f} ms  ({args.warm}x)")
    print(f"cold load (new Registry, no cache) median {t_cold * 1e3:9.3f} ms  ({args.cold}x)"
          f"  = {t_cold / t_baseline:7.1f} x baseline")  # fmt: skip
    print(f"warm load (cached registry.get)   median {t_warm * 1e3:9.3f} ms  ({args.warm}x)"
          f"  = {t_warm / t_baseline:7.2f} x baseline")  # fmt: skip
    print(f"warm / cold ratio: {t_warm / t_cold:.4f}  (cold is {t_cold / t_warm:.0f}x warm)")


if __name__ == "__main__":
    main()
