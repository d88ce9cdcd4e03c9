"""Whether each process-wide cache pays: the operation it serves with every cache warm (the
baseline), against the same operation with one cache emptied before every call, in one run.

With one evaluation per request (issue 12) a cache pays only if it is hit across requests (or
inside one operation). Emptying one cache before every call gives what the operation costs
without that cache's reuse across calls; ``warm ÷ emptied`` above the noise (shown by the
baseline measured twice) is what the cache saves. Operations, all in this process:

- ``report``: ``evaluate_completeness`` of tests/fixtures/answers/v1_complete.json on
  sagsoplysningsskema 1.1.0 (evaluation plus criteria: what a form page or a submission does);
- ``form page``: ``GET /cases/<id>/form`` through Flask's test client (SQLite, one draft of the
  same answers; the setup of bench_forms_http);
- ``validate (API)``: ``POST /api/v1/forms/sagsoplysningsskema/1.0.0/validate`` (marshmallow);
- ``Word document``: ``documents.bulk.render_job`` of one case form from raw answers (what a
  bulk worker does per case);
- ``receipt HTML``: ``archive.render.render_html`` of the v1 answers (the archive's Jinja
  environment; the PDF around it costs far more);
- ``municipality lookups``: 100 ``municipality(code)`` calls (a case list page's worth).

Process time (CPU of this process), variants interleaved in a random order per round, median
of ``--repeat`` rounds.

    .venv/bin/python benchmarks/bench_caches.py [--repeat 5] [--only report,form]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from forms_service.wiring import register_domain_functions  # noqa: E402

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ANSWERS = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
TODAY = dt.date(2025, 6, 1)

Variant = tuple[Callable[[], object], Callable[[], None] | None]


def rates(action: Callable[[], object], variants: dict[str, Variant], n: int, repeat: int) -> dict:
    """Median calls per CPU second of ``action`` per variant: (setup before every call,
    restore after the variant's run). The variants run in a new random order each round,
    after a garbage collection, so neither machine load nor the garbage an emptied cache
    leaves behind falls on one variant more than another."""
    for before, after in variants.values():
        before()
        action()
        if after is not None:
            after()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    shuffler = random.Random(12)
    for _ in range(repeat):
        shuffler.shuffle(order)
        for name in order:
            before, after = variants[name]
            gc.collect()
            spent = 0.0
            for _ in range(n):
                before()
                start = time.process_time()
                action()
                spent += time.process_time() - start
            if after is not None:
                after()
            samples[name].append(n / spent)
    return {name: statistics.median(samples[name]) for name in variants}


def show(title: str, found: dict[str, float]) -> None:
    base = found["baseline: every cache warm"]
    print(f"\n{title}")
    print(f"{'':52s} {'per s':>9s} {'ms each':>8s} {'warm ÷ this':>12s}")
    for name, rate in found.items():
        print(f"{name:52s} {rate:9,.0f} {1000 / rate:8.3f} {base / rate:12.2f}")


def nothing() -> None:
    return None


def clearing(*clears: Callable[[], None]) -> Variant:
    def before() -> None:
        for clear in clears:
            clear()

    return before, None


def replacing(module: Any, name: str, value: Any) -> Variant:
    """Run with ``module.name`` replaced (restored after the variant's run)."""
    original = getattr(module, name)

    def before() -> None:
        setattr(module, name, value)

    def after() -> None:
        setattr(module, name, original)

    return before, after


# -- the report: evaluation and criteria ---------------------------------------------------------


def report_variants() -> tuple[Callable[[], object], dict[str, Variant]]:
    evaluate_module = importlib.import_module("forms_service.answers.evaluate")
    from forms_service.completeness import engine, evaluate_completeness, fields
    from forms_service.definitions import expressions, projection
    from forms_service.definitions.registry import default_registry
    from forms_service.seniorpension import cel_functions, employment

    definition = default_registry().get("sagsoplysningsskema", "1.1.0")
    answers = json.loads(ANSWERS.read_text("utf-8"))

    def action() -> object:
        return evaluate_completeness(definition, answers, today=TODAY)

    def unmemoised(rows: Any, ref_date: Any, name: str) -> Any:
        ref = cel_functions._required_date(ref_date, name)
        return cel_functions._Employment(rows, ref)

    variants: dict[str, Variant] = {
        "baseline: every cache warm": (nothing, None),
        "employment memo of one evaluation: off": replacing(
            cel_functions, "_employment", unmemoised
        ),
        "employment._day_fraction": clearing(employment._day_fraction.cache_clear),
        "projection.map_keys_read + list_keys_read": clearing(
            projection.map_keys_read.cache_clear, projection.list_keys_read.cache_clear
        ),
        "expressions.compile_expression": clearing(expressions.compile_expression.cache_clear),
        "evaluate._plans (per version)": clearing(evaluate_module._plans.clear),
        "completeness engine._PLANS + _FAST (per version)": clearing(
            engine._PLANS.clear, engine._FAST.clear
        ),
        "completeness fields._CATALOGS (per version)": clearing(fields._CATALOGS.clear),
        "baseline again (noise)": (nothing, None),
    }
    return action, variants


# -- the web: form page and the API's validate ---------------------------------------------------


def web_variants(workdir: Path) -> dict[str, tuple[Callable[[], object], dict[str, Variant]]]:
    from benchmarks.bench_forms_http import (
        BENCH_INDEX_KEY,
        BENCH_KEYS,
        database,
        in_process_jobs,
        seed,
    )
    from forms_service.answers import marshmallow_schema
    from forms_service.definitions.registry import default_registry
    from forms_service.web import markdown

    os.environ.setdefault("FORMS_SERVICE_ENCRYPTION_KEYS", BENCH_KEYS)
    os.environ.setdefault("FORMS_SERVICE_BLIND_INDEX_KEY", BENCH_INDEX_KEY)
    url = workdir / "db"
    url.mkdir()
    context = database(None, url)
    database_url = context.__enter__()
    case_id, token = seed(database_url)
    env = {
        "FORMS_SERVICE_DATABASE_URL": database_url,
        "FORMS_SERVICE_SECRET_KEY": "benchmark-secret",
        "FORMS_SERVICE_INSTANCE_PATH": str(workdir / "instance"),
    }
    jobs = in_process_jobs(env, case_id, token, 10)
    registry = default_registry()
    page = {
        "baseline: every cache warm": (nothing, None),
        "registry._cache (parsed versions)": clearing(registry.clear_cache),
        "web markdown._render": clearing(markdown._render.cache_clear),
        "baseline again (noise)": (nothing, None),
    }
    validate = {
        "baseline: every cache warm": (nothing, None),
        "marshmallow_schema._classes + _instances": clearing(
            marshmallow_schema._classes.clear, marshmallow_schema._instances.clear
        ),
        "baseline again (noise)": (nothing, None),
    }
    return {"form page": (jobs["form"], page), "validate (API)": (jobs["validate"], validate)}


# -- documents, the receipt, municipalities ------------------------------------------------------


def document_variants() -> tuple[Callable[[], object], dict[str, Variant]]:
    from forms_service.documents import bulk, template
    from forms_service.documents.bulk import DocumentJob, render_job
    from forms_service.documents.bulk import definition_params as params_of

    answers = json.loads(ANSWERS.read_text("utf-8"))
    params = params_of("sagsoplysningsskema", "1.0.0")
    job = DocumentJob(
        "SP-000001",
        "case_form",
        {
            **params,
            "answers": answers,
            "case": {"reference": "SP-000001", "municipality": "561 Esbjerg"},
            "today": TODAY.isoformat(),
        },
    )
    variants: dict[str, Variant] = {
        "baseline: every cache warm": (nothing, None),
        "documents template._cache (compiled .docx)": clearing(template.clear_cache),
        "bulk._definition_from_path + _shipped": clearing(
            bulk._definition_from_path.cache_clear, bulk._shipped.clear
        ),
        "baseline again (noise)": (nothing, None),
    }
    return (lambda: render_job(job)), variants


def receipt_variants() -> tuple[Callable[[], object], dict[str, Variant]]:
    from forms_service.archive import render
    from forms_service.archive.context import Submission, archive_context
    from forms_service.completeness import evaluate_completeness
    from forms_service.definitions.registry import default_registry
    from forms_service.documents.context import CaseFacts

    definition = default_registry().get("sagsoplysningsskema", "1.0.0")
    answers = json.loads(ANSWERS.read_text("utf-8"))
    context = archive_context(
        definition,
        answers,
        completeness=evaluate_completeness(definition, answers, today=TODAY).to_dict(),
        case=CaseFacts(reference="SP-000001", municipality="561 Esbjerg"),
        submission=Submission(
            number=1,
            sequence=1,
            submitted_at=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC),
            submitted_by="Bench",
        ),
        documents=[],
    )
    variants: dict[str, Variant] = {
        "baseline: every cache warm": (nothing, None),
        "archive render._environment": clearing(render._environment.cache_clear),
        "baseline again (noise)": (nothing, None),
    }
    return (lambda: render.render_html(context)), variants


def municipality_variants() -> tuple[Callable[[], object], dict[str, Variant]]:
    from forms_service.seniorpension import municipalities

    codes = [m.code for m in municipalities.all_municipalities()][:100]

    def action() -> object:
        return [municipalities.municipality_by_code(code) for code in codes]

    variants: dict[str, Variant] = {
        "baseline: every cache warm": (nothing, None),
        "municipalities._registry (the CSV)": clearing(municipalities._registry.cache_clear),
        "baseline again (noise)": (nothing, None),
    }
    return action, variants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("-n", type=int, default=100, help="calls per run and variant")
    parser.add_argument("--only", default="", help="comma-separated: report,web,word,receipt,mun")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    print(f"load average {os.getloadavg()[0]:.1f} before; repeat {args.repeat}, n {args.n}")
    if not only or "report" in only:
        action, variants = report_variants()
        show("report (evaluate_completeness, 1.1.0)", rates(action, variants, args.n, args.repeat))
    if not only or "web" in only:
        with tempfile.TemporaryDirectory() as tmp:
            for title, (action, variants) in web_variants(Path(tmp)).items():
                show(title, rates(action, variants, max(1, args.n // 4), args.repeat))
    if not only or "word" in only:
        action, variants = document_variants()
        show(
            "Word document (render_job)", rates(action, variants, max(1, args.n // 10), args.repeat)
        )
    if not only or "receipt" in only:
        action, variants = receipt_variants()
        show("receipt HTML", rates(action, variants, args.n, args.repeat))
    if not only or "mun" in only:
        action, variants = municipality_variants()
        show("100 municipality lookups", rates(action, variants, args.n, args.repeat))
    print(f"\nload average {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()
