"""Filled-in v1 case forms: the service's renderer against a plain docxtpl loop.

Renders the filled-in sagsoplysningsskema 1.0.0 for N cases (default 500) in one run:

- baseline "plain docxtpl": per document ``DocxTemplate(path)``, ``render(context,
  autoescape=True)``, ``save``; the same template file and the same prepared contexts, in
  chunks alternating with the service's so both see the same machine load;
- "service, 1 core": ``template_for("case_form").render(context)`` (compiled once, parts
  re-zipped);
- cold path: the first document of a process (cache cleared: read, re-parse, patch, check and
  compile the template, then render) against one plain docxtpl document, 20 times each;
- end to end (context built from the raw answers: evaluation, formatting, rendering, writing
  into a zip) on 1 process and on all cores with ``run_bulk``;
- memory: RSS before and after, RSS growth between the first 100 documents and the end,
  tracemalloc peak of a rendering pass.

    .venv/bin/python benchmarks/bench_documents.py [-n 500]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from forms_service.definitions.registry import default_registry
from forms_service.documents.bulk import DocumentJob, default_workers, run_bulk
from forms_service.documents.context import CaseFacts, case_form_context
from forms_service.documents.kinds import template_for, templates_dir
from forms_service.documents.template import clear_cache
from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2025, 6, 1)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_answers(n: int) -> list[dict[str, Any]]:
    base = json.loads((ROOT / "tests/fixtures/answers/v1_complete.json").read_text("utf-8"))
    cases = []
    for i in range(n):
        answers = copy.deepcopy(base)
        answers["sagsnummer"] = f"SP-2025-{i:06d}"
        answers["navn"] = f'Borger {i} & <Familie> "Test"'
        rows = answers["ansaettelser"]
        answers["ansaettelser"] = rows[: 1 + i % len(rows)] + rows[: i % 3]
        answers["faglig_forklaring"] += f"\nSag nr. {i}: supplerende bemærkning."
        cases.append(answers)
    return cases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=500)
    args = parser.parse_args()
    n = args.n

    definition = default_registry().get("sagsoplysningsskema", "1.0.0")
    answers = make_answers(n)
    case = CaseFacts(reference="SP", municipality="561 Esbjerg", cpr="1508622402")
    started = time.perf_counter()
    contexts = [case_form_context(definition, a, case=case, today=TODAY) for a in answers]
    context_s = time.perf_counter() - started
    path = templates_dir() / "udfyldt_skema.docx"
    print(f"{n} filled-in forms of {definition.ref}, template {path.name}")
    print(f"contexts built (evaluate + format): {n / context_s:8.1f} docs/s")

    # baseline and service in alternating chunks of the same contexts, so the load other work
    # puts on the shared machine falls on both alike
    compiled = template_for("case_form")
    plain_s = service_s = 0.0
    plain_sizes = service_sizes = 0
    chunk = max(1, n // 10)
    for first in range(0, n, chunk):
        part = contexts[first : first + chunk]
        started = time.perf_counter()
        for context in part:
            template = DocxTemplate(path)
            template.render(context, autoescape=True)
            buffer = io.BytesIO()
            template.save(buffer)
            plain_sizes += buffer.tell()
        plain_s += time.perf_counter() - started
        started = time.perf_counter()
        for context in part:
            service_sizes += len(compiled.render(context))
        service_s += time.perf_counter() - started

    plain_rate, service_rate = n / plain_s, n / service_s
    print(f"plain docxtpl loop (baseline):      {plain_rate:8.1f} docs/s")
    print(f"service renderer, 1 core:           {service_rate:8.1f} docs/s")
    print(f"ratio service / plain:              {service_rate / plain_rate:8.1f}x")
    print(
        f"average size: plain {plain_sizes / n / 1024:.1f} KiB, "
        f"service {service_sizes / n / 1024:.1f} KiB"
    )

    # cold path: a template not compiled yet, against one plain docxtpl document
    repeats = 20
    plain_one = cold_one = 0.0
    for i in range(repeats):
        context = contexts[i % n]
        started = time.perf_counter()
        template = DocxTemplate(path)
        template.render(context, autoescape=True)
        template.save(io.BytesIO())
        plain_one += time.perf_counter() - started
        clear_cache()
        started = time.perf_counter()
        template_for("case_form").render(context)
        cold_one += time.perf_counter() - started
    print(f"plain docxtpl, one document:        {1000 * plain_one / repeats:8.1f} ms")
    print(f"service cold (compile + render):    {1000 * cold_one / repeats:8.1f} ms")
    print(f"ratio cold service / plain (speed): {plain_one / cold_one:8.2f}x")

    # end to end from raw answers, 1 process and all cores
    jobs = [
        DocumentJob(
            f"SP-{i:06d}",
            "case_form",
            {
                "form": definition.form,
                "version": definition.version,
                "answers": a,
                "case": {"reference": f"SP-{i:06d}", "municipality": "561 Esbjerg"},
                "today": TODAY.isoformat(),
            },
        )
        for i, a in enumerate(answers)
    ]
    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        one = run_bulk(jobs, Path(tmp) / "one.zip", workers=1)
        one_s = time.perf_counter() - started
        started = time.perf_counter()
        many = run_bulk(jobs, Path(tmp) / "many.zip", workers=workers)
        many_s = time.perf_counter() - started
    assert not one.failed and not many.failed, (one.failed[:1], many.failed[:1])
    print(f"end to end, 1 process:              {n / one_s:8.1f} docs/s")
    print(f"end to end, bulk on {workers} processes:     {n / many_s:8.1f} docs/s")
    print(f"ratio bulk {workers} processes / 1 process: {one_s / many_s:8.1f}x")
    print(f"ratio bulk end to end / plain loop (render only): {(n / many_s) / plain_rate:8.1f}x")

    # memory: a pass of the service alone
    rss_start = rss_mib()
    rss_after_100 = None
    for i, context in enumerate(contexts):
        compiled.render(context)
        if i == 99:
            rss_after_100 = rss_mib()
    rss_end = rss_mib()
    print(
        f"RSS: before the service renders {rss_start:.1f} MiB, after 100 service docs "
        f"{rss_after_100:.1f} MiB, after {n} {rss_end:.1f} MiB "
        f"(growth over the last {n - 100}: {rss_end - (rss_after_100 or rss_end):+.1f} MiB)"
    )
    tracemalloc.start()
    for context in contexts[:100]:
        compiled.render(context)
    first_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    for context in contexts:
        compiled.render(context)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"tracemalloc: peak over 100 docs {first_peak / 2**20:.2f} MiB, "
        f"over {n} docs {peak / 2**20:.2f} MiB, still allocated after {current / 2**20:.2f} MiB"
    )


if __name__ == "__main__":
    main()
