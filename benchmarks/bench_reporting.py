"""Status page and pilot comparison on 1,000,000 simulated cases, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_reporting.py [--cases 1000000] [--backend sqlite|postgres|both]

Seeds two years of simulated history (the demo's generator, ~9,600 applications a week, the
forum pilot) with bulk inserts into cases, case_metrics and case_findings (no status events:
no report reads them), runs ANALYZE, then times, median of 5 after one warm-up:

- the status page (``status_report``) for the dashboard's default period (last 12 months)
  and for the whole two years;
- the pilot comparison (``compare_pilot``: both groups, every measure and its test).

Baseline in the same run: the same figures computed in Python from the rows (the
per-municipality table, the weekly counts and the pilot's sufficient share and returns), after
loading the needed columns of every case in the period — what the page would cost without
aggregating in SQL. The ratio is baseline / SQL.

PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/ (override with --pg-server); a
database of its own is created and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms_service.cases import db as cases_db  # noqa: E402
from forms_service.cases.demo_history import PILOT_NAME, WEEKS, seed_history  # noqa: E402
from forms_service.cases.models import Case  # noqa: E402
from forms_service.pilots.comparison import cohorts_of, compare_pilot  # noqa: E402
from forms_service.pilots.models import CaseMetrics, Pilot  # noqa: E402
from forms_service.reporting.status import StatusFilter, status_report  # noqa: E402

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


def baseline_status(session: Session, f: StatusFilter) -> dict[str, object]:
    """The per-municipality table and weekly counts, from every row loaded into Python."""
    query = (
        select(
            Case.municipality_code,
            Case.application_date,
            Case.request_date,
            Case.municipality_deadline,
            CaseMetrics.first_submitted_on,
            CaseMetrics.sufficient_at_submission,
            CaseMetrics.decided_on,
        )
        .join(CaseMetrics, CaseMetrics.case_id == Case.id)
        .where(*f.conditions())
    )
    per: dict[int, Counter[str]] = defaultdict(Counter)
    weeks: Counter[dt.date] = Counter()
    for code, applied, requested, deadline, submitted, sufficient, decided in session.execute(
        query
    ):
        c = per[code]
        c["received"] += 1
        weeks[applied - dt.timedelta(days=applied.weekday())] += 1
        if submitted is not None:
            c["submitted"] += 1
            c["sufficient"] += bool(sufficient)
            c["kept"] += submitted <= deadline
        elif requested is not None and decided is None:
            c["waiting"] += 1
    return {"municipalities": per, "weeks": weeks}


def baseline_pilot(session: Session, pilot: Pilot) -> dict[str, object]:
    out = {}
    for name, cohort in zip(("candidate", "comparison"), cohorts_of(pilot), strict=True):
        query = (
            select(CaseMetrics.sufficient_at_submission, CaseMetrics.returns)
            .select_from(Case)
            .join(CaseMetrics, CaseMetrics.case_id == Case.id)
            .where(*cohort.conditions(), CaseMetrics.first_submitted_on.is_not(None))
        )
        rows = session.execute(query).all()
        out[name] = (sum(1 for s, _ in rows if s), Counter(r for _, r in rows), len(rows))
    return out


def seed(engine: Engine, cases: int) -> tuple[int, float]:
    cases_db.upgrade(engine)
    start = time.perf_counter()
    result = seed_history(
        engine, today=TODAY, per_week=round(cases / WEEKS), seed=1, with_events=False
    )
    seconds = time.perf_counter() - start
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return result.cases, seconds


def measure(engine: Engine, label: str, cases: int) -> dict[str, float]:
    count, seconds = seed(engine, cases)
    print(f"\n{label}: {count:,} cases seeded in {seconds:.0f} s".replace(",", "."))
    results: dict[str, float] = {}
    with Session(engine) as session:
        pilot = session.scalar(select(Pilot).where(Pilot.name == PILOT_NAME))
        assert pilot is not None
        year = StatusFilter(TODAY - dt.timedelta(days=365), TODAY, TODAY)
        whole = StatusFilter(TODAY - dt.timedelta(weeks=WEEKS + 1), TODAY, TODAY)
        results["status, last 12 months"] = timed(lambda: status_report(session, year))
        results["status, two years"] = timed(lambda: status_report(session, whole))
        results["pilot comparison"] = timed(lambda: compare_pilot(session, pilot, as_of=TODAY))
        results["baseline: status rows in Python, 12 months"] = timed(
            lambda: baseline_status(session, year), runs=2
        )
        results["baseline: pilot rows in Python"] = timed(
            lambda: baseline_pilot(session, pilot), runs=2
        )
        # the SQL and the Python baseline agree (a check, not a timing)
        sql = status_report(session, year)
        python = baseline_status(session, year)
        assert sql.summary["received"] == sum(
            c["received"]
            for c in python["municipalities"].values()  # type: ignore[attr-defined]
        )
    base_status = results["baseline: status rows in Python, 12 months"]
    base_pilot = results["baseline: pilot rows in Python"]
    for name, seconds in results.items():
        ratio = ""
        if name.startswith("status"):
            ratio = f"  (baseline / this = {base_status / seconds:.1f}×)"
        elif name == "pilot comparison":
            ratio = f"  (baseline / this = {base_pilot / seconds:.1f}×)"
        flag = (
            "" if name.startswith("baseline") else ("  OK < 2 s" if seconds < 2 else "  OVER 2 s")
        )
        print(f"  {name:<45} {seconds * 1000:9.0f} ms{ratio}{flag}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            engine = cases_db.make_engine(f"sqlite:///{folder}/bench.sqlite3")
            try:
                measure(engine, "SQLite", args.cases)
            finally:
                engine.dispose()

    if args.backend in ("postgres", "both"):
        name = f"bench_reporting_{int(time.time())}"
        admin = cases_db.make_engine(f"{args.pg_server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine = cases_db.make_engine(f"{args.pg_server}/{name}")
        try:
            measure(engine, "PostgreSQL", args.cases)
        finally:
            engine.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
