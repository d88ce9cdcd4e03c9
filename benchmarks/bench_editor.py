"""The form editor's per-request work, against named baselines measured in the same run.

- checking a draft on save (``check_draft_text``: parse, schema, semantic checks, build)
  against ``json.loads`` of the same text (baseline: reading it at all);
- the review (``diff_definitions`` + ``check_compatibility``) of 1.0.0 against the pilot;
- ``migrate_answers`` 1.0.0 → 2.0.0-pilot.1 of tests/fixtures/answers/v1_complete.json against
  ``copy.deepcopy`` of the same answers (baseline: touching every value once).

Run: .venv/bin/python benchmarks/bench_editor.py
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path

from forms_service.answers.migration import migrate_answers
from forms_service.definitions.diff.compute import diff_definitions
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.editor.compat import check_compatibility
from forms_service.editor.service import check_draft_text
from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
FORM = "sagsoplysningsskema"


def per_second(fn: Callable[[], object], seconds: float = 1.5) -> float:
    fn()
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        count += 1
    return count / elapsed


def main() -> None:
    registry = Registry(definitions_root())
    v1 = registry.get(FORM, "1.0.0")
    v2 = registry.get(FORM, "2.0.0-pilot.1")
    text = (definitions_root() / FORM / "1.0.0.json").read_text("utf-8")
    answers = json.loads((ROOT / "tests/fixtures/answers/v1_complete.json").read_text("utf-8"))

    rows = [
        (
            "check draft on save (v1, 35 fields)",
            per_second(lambda: check_draft_text(text, FORM, "1.0.0")),
            "json.loads",
            per_second(lambda: json.loads(text)),
        ),
        (
            "review: diff + compatibility v1 → pilot",
            per_second(lambda: (diff_definitions(v1, v2), check_compatibility(v1, v2))),
            "json.loads",
            per_second(lambda: json.loads(text)),
        ),
        (
            "migrate_answers v1 → pilot (v1_complete)",
            per_second(lambda: migrate_answers(v1, v2, answers)),
            "copy.deepcopy(answers)",
            per_second(lambda: copy.deepcopy(answers)),
        ),
    ]
    print(f"{'operation':44} {'per s':>10} {'baseline':>24} {'per s':>10} {'ratio':>8}")
    for name, rate, base_name, base in rows:
        print(f"{name:44} {rate:10,.0f} {base_name:>24} {base:10,.0f} {base / rate:7.1f}×")


if __name__ == "__main__":
    main()
