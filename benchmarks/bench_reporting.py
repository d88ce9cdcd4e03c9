"""Status page and pilot comparison on 1,000,000 simulated cases, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_reporting.py [--cases 1000000]
        [--backend sqlite|postgres|both] [--sqlite-file PATH]

Seeds two years of simulated history (the demo's generator, ~9,600 applications a week, the
forum pilot) with bulk inserts into cases, case_metrics and case_findings (no status events:
no report reads them) and the daily roll-ups, runs ANALYZE, then times, median of 5 after
one warm-up:

- the status page (``status_report``) for the dashboard's default period (last 12 months)
  and for the whole two years;
- the pilot comparison (``compare_pilot``: both groups, every measure and its test).

Baseline in the same run: the same page computed by the row-level queries (``source="rows"``,
``by_rows=True``: every count over every ``case_metrics`` row, findings joined row by row),
as before the daily roll-ups. The figures of both are checked equal; the ratio is
baseline / roll-up.

``--sqlite-file`` / ``--pg-database``: seed that file or database once and reuse it on later
runs (migrated to head first; a database named with --pg-database is kept).
PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/ (override with --pg-server); a
database of its own is created and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms_service.cases import db as cases_db  # noqa: E402
from forms_service.cases.models import Case  # noqa: E402
from forms_service.demo.history import PILOT_NAME, WEEKS, seed_history  # noqa: E402
from forms_service.pilots.comparison import compare_pilot  # noqa: E402
from forms_service.pilots.models import Pilot  # noqa: E402
from forms_service.reporting.status import (  # noqa: E402
    ROLLUP,
    ROWS,
    StatusFilter,
    StatusReport,
    status_report,
)

TODAY = dt.date(2026, 11, 23)
RUNS = 5


def timed(action: Callable[[], object], runs: int = RUNS) -> float:
    action()  # warm-up: caches, compiled statements
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seed(engine: Engine, cases: int) -> tuple[int, float, bool]:
    start = time.perf_counter()
    cases_db.upgrade(engine)  # a reused file: the migration builds the roll-ups
    result = seed_history(
        engine, today=TODAY, per_week=round(cases / WEEKS), seed=1, with_events=False
    )
    seconds = time.perf_counter() - start
    # PostgreSQL: VACUUM too, so the visibility map lets index-only scans skip the table (as
    # autovacuum would soon after a bulk load)
    analyze = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(analyze)
        count = connection.scalar(select(func.count()).select_from(Case))
    return int(count or 0), seconds, result.skipped


def measure(engine: Engine, label: str, cases: int) -> dict[str, float]:
    count, seconds, reused = seed(engine, cases)
    how = "reused (migrated and analyzed)" if reused else "seeded"
    print(f"\n{label}: {count:,} cases {how} in {seconds:.0f} s".replace(",", "."))
    results: dict[str, float] = {}
    with Session(engine) as session:
        pilot = session.scalar(select(Pilot).where(Pilot.name == PILOT_NAME))
        assert pilot is not None
        year = StatusFilter(TODAY - dt.timedelta(days=365), TODAY, TODAY)
        whole = StatusFilter(TODAY - dt.timedelta(weeks=WEEKS + 1), TODAY, TODAY)
        pages: dict[str, Callable[[str], object]] = {
            "status, last 12 months": lambda source: status_report(session, year, source=source),
            "status, two years": lambda source: status_report(session, whole, source=source),
            "pilot comparison": lambda source: compare_pilot(
                session, pilot, as_of=TODAY, by_rows=source == ROWS
            ),
        }
        for name, page in pages.items():
            fast, slow = page(ROLLUP), page(ROWS)
            if isinstance(fast, StatusReport) and isinstance(slow, StatusReport):
                assert (fast.summary, fast.tables) == (slow.summary, slow.tables), name
            else:
                assert fast.to_dict() == slow.to_dict(), name  # type: ignore[attr-defined]
            results[f"baseline (rows): {name}"] = timed(lambda page=page: page(ROWS))
            results[name] = timed(lambda page=page: page(ROLLUP))
    print(f"  {'':<45} {'rows':>9} {'roll-up':>9}  ratio")
    for name in pages:
        before, after = results[f"baseline (rows): {name}"], results[name]
        flag = "OK < 2 s" if after < 2 else "OVER 2 s"
        print(
            f"  {name:<45} {before * 1000:7.0f} ms {after * 1000:7.0f} ms"
            f"  {before / after:5.1f}×  {flag}"
        )
    return results


def main() -> int:
    # personal data is encrypted at rest (issue 18): benchmark keys unless the environment
    # brings its own (PostgreSQL has no development key)
    os.environ.setdefault(
        "FORMS_SERVICE_ENCRYPTION_KEYS", "b1:" + "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
    )
    os.environ.setdefault(
        "FORMS_SERVICE_BLIND_INDEX_KEY", "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE="
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sqlite-file", type=Path, help="seed once, reuse on later runs")
    parser.add_argument(
        "--pg-database", help="seed this PostgreSQL database once and keep it for later runs"
    )
    parser.add_argument("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    if args.backend in ("sqlite", "both") and args.sqlite_file:
        engine = cases_db.make_engine(f"sqlite:///{args.sqlite_file}")
        try:
            measure(engine, "SQLite", args.cases)
        finally:
            engine.dispose()
    elif args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            engine = cases_db.make_engine(f"sqlite:///{folder}/bench.sqlite3")
            try:
                measure(engine, "SQLite", args.cases)
            finally:
                engine.dispose()

    if args.backend in ("postgres", "both"):
        name = args.pg_database or f"bench_reporting_{int(time.time())}"
        admin = cases_db.make_engine(f"{args.pg_server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine = cases_db.make_engine(f"{args.pg_server}/{name}")
        try:
            measure(engine, "PostgreSQL", args.cases)
        finally:
            engine.dispose()
            if not args.pg_database:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
