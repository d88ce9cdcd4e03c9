"""The caseworker's case list on 100,000 cases, with and without the case-list indexes.

Seeds 100,000 cases (bulk insert, 98 municipalities, København weighted ×10, every status,
application dates over two years) into a fresh SQLite file and a fresh PostgreSQL schema, then
times ``CaseService.list_cases`` exactly as the case list page calls it:

- municipal: a København caseworker, status "draft_in_progress", first page of 25, ordered by the
  municipality deadline (the query and the count of matching cases for the pager);
- seniorpension: a Seniorpension caseworker, status "submitted", first page, by decision deadline.

Baseline in the same run: the same queries after dropping the ``ix_cases_*`` indexes.
Prints median and p95 in ms and the ratio baseline / indexed. Target: under 50 ms.

PostgreSQL: FORMS_SERVICE_BENCH_POSTGRES_URL, else FORMS_SERVICE_TEST_POSTGRES_URL, else the
local server (postgresql+psycopg://postgres@127.0.0.1:5432/postgres); skipped if unreachable.

    .venv/bin/python benchmarks/bench_case_list.py [--cases 100000] [--runs 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, insert, inspect, text
from sqlalchemy.engine import make_url

from forms_service.cases import db as cases_db
from forms_service.cases.lifecycle import MUNICIPALITY_EDITABLE, Status
from forms_service.cases.models import Case
from forms_service.cases.roles import Actor, Role
from forms_service.cases.service import CaseFilter, CaseService
from forms_service.seniorpension.deadlines import decision_deadline, municipality_deadline
from forms_service.seniorpension.municipalities import all_municipalities

TODAY = dt.date(2026, 6, 1)
CASE_INDEXES = (
    "ix_cases_municipality_status_deadline",
    "ix_cases_municipality_deadline",
    "ix_cases_status_decision_deadline",
    "ix_cases_decision_deadline",
)


def seed(engine: Engine, count: int) -> float:
    rng = random.Random(100_000)
    codes = [m.code for m in all_municipalities()]
    weights = [10 if code == 101 else 1 for code in codes]
    statuses = list(Status)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with engine.begin() as connection:
        batch: list[dict[str, object]] = []
        for i in range(count):
            application = TODAY - dt.timedelta(days=rng.randrange(730))
            status = rng.choice(statuses)
            request = None if status is Status.RECEIVED else application + dt.timedelta(days=7)
            batch.append(
                {
                    "case_number": f"SP-BENCH-{i:07d}",
                    "cpr": f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}6{rng.randrange(10)}"
                    f"{rng.randrange(4)}{rng.randrange(1000):03d}",
                    "citizen_name": "Borger",
                    "application_date": application,
                    "municipality_code": rng.choices(codes, weights)[0],
                    "request_date": request,
                    "form": "sagsoplysningsskema",
                    "form_version": "1.0.0",
                    "status": status.value,
                    "decision_outcome": "granted" if status is Status.DECIDED else None,
                    "municipality_deadline": municipality_deadline(request) if request else None,
                    "decision_deadline": decision_deadline(application),
                    "revision": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(batch) == 10_000:
                connection.execute(insert(Case), batch)
                batch = []
        if batch:
            connection.execute(insert(Case), batch)
    analyze(engine)
    return time.perf_counter() - started


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        # VACUUM sets the visibility map (as autovacuum would on a live database), which lets
        # PostgreSQL count from the index alone; it cannot run inside a transaction.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE cases"))
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def drop_indexes(engine: Engine) -> None:
    with engine.begin() as connection:
        for name in CASE_INDEXES:
            connection.execute(text(f"DROP INDEX {name}"))
    analyze(engine)


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    call()  # warm the connection pool and caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def queries(engine: Engine) -> dict[str, Callable[[], object]]:
    factory = cases_db.make_session_factory(engine)
    municipal = Actor(
        id=None, username="bench-kbh", role=Role.MUNICIPAL_CASEWORKER, municipality_code=101
    )
    seniorpension = Actor(id=None, username="bench-sp", role=Role.SENIORPENSION_CASEWORKER)
    assert Status.DRAFT_IN_PROGRESS in MUNICIPALITY_EDITABLE

    def run(actor: Actor, case_filter: CaseFilter) -> Callable[[], object]:
        def call() -> object:
            with factory() as session:
                page = CaseService(session, actor, today=lambda: TODAY).list_cases(case_filter)
                assert len(page.items) == case_filter.per_page, page.total
                return page

        return call

    return {
        "municipal (101, draft_in_progress, by municipality deadline)": run(
            municipal, CaseFilter(status="draft_in_progress")
        ),
        "seniorpension (submitted, by decision deadline)": run(
            seniorpension, CaseFilter(status="submitted")
        ),
    }


def measure(label: str, engine: Engine, count: int, runs: int) -> list[tuple[str, ...]]:
    cases_db.upgrade(engine)
    seconds = seed(engine, count)
    print(f"{label}: seeded {count:,} cases in {seconds:.1f} s")
    indexed = {name: timed(call, runs) for name, call in queries(engine).items()}
    present = {ix["name"] for ix in inspect(engine).get_indexes("cases")}
    assert set(CASE_INDEXES) <= present
    drop_indexes(engine)
    baseline = {name: timed(call, runs) for name, call in queries(engine).items()}
    rows = []
    for name, (median, p95) in indexed.items():
        base_median, base_p95 = baseline[name]
        rows.append(
            (
                label,
                name,
                f"{base_median:.2f} / {base_p95:.2f}",
                f"{median:.2f} / {p95:.2f}",
                f"{base_median / median:.1f}×",
                "yes" if p95 < 50 else "NO",
            )
        )
    return rows


def postgres_url() -> str:
    return cases_db.normalize_url(
        os.environ.get("FORMS_SERVICE_BENCH_POSTGRES_URL")
        or os.environ.get("FORMS_SERVICE_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )


def main() -> None:
    # personal data is encrypted at rest (issue 18): benchmark keys unless the environment
    # brings its own (PostgreSQL has no development key)
    os.environ.setdefault(
        "FORMS_SERVICE_ENCRYPTION_KEYS", "b1:" + "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
    )
    os.environ.setdefault(
        "FORMS_SERVICE_BLIND_INDEX_KEY", "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE="
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    rows: list[tuple[str, ...]] = []

    with tempfile.TemporaryDirectory() as folder:
        engine = cases_db.make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        rows += measure("SQLite", engine, args.cases, args.runs)
        engine.dispose()

    base = postgres_url()
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = cases_db.make_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        print(f"PostgreSQL not reachable ({type(error).__name__}); measured SQLite only")
    else:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = cases_db.make_engine(url.render_as_string(hide_password=False))
        try:
            rows += measure("PostgreSQL", engine, args.cases, args.runs)
        finally:
            engine.dispose()
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()

    print()
    print(f"case list, first page of 25 + count, {args.cases:,} cases, {args.runs} runs (ms)")
    print(
        "| database | query | baseline: no indexes, median / p95 | indexed, median / p95 | ratio | p95 < 50 ms |"
    )
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
