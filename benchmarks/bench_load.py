"""A 60-second load run of the service's daily mix on PostgreSQL, beside the plain form page.

    .venv/bin/python benchmarks/bench_load.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        [--duration 60] [--baseline-duration 30] [--connections 16] [--workers 2]

In one run, on 127.0.0.1: the service under gunicorn (sync workers) on a fresh PostgreSQL
schema (dropped afterwards; SQLite without ``--database-url``) with one municipal caseworker
and one v1 case per connection holding a saved draft. ``--connections`` client threads, each
with its own keep-alive connection and its own case, run the mix for ``--duration`` seconds:

- the form page of the case, ``GET /cases/<id>/form`` (session cookie)  — 4 in 10;
- save the draft, ``PUT /api/v1/cases/<id>/answers/draft`` (bearer token, its own revision,
  so no save is stale)                                                   — 2 in 10;
- validate, ``POST /api/v1/forms/sagsoplysningsskema/1.0.0/validate``  — 2 in 10;
- the case list, ``GET /cases/``                                        — 2 in 10.

Then the baseline, the plain form page alone with the same connections, for
``--baseline-duration`` seconds. Printed: requests, errors (any status other than 200, or a
failed connection), throughput and p50/p95 per kind and overall, and the mix's throughput and
p95 as a ratio of the plain form page's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_forms_http import (  # noqa: E402
    EXAMPLE,
    database,
    free_port,
    gunicorn,
    login,
    seed,
)

MIX = ["form", "save", "form", "validate", "list", "form", "save", "validate", "form", "list"]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1


BENCH_KEYS = "b1:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
BENCH_INDEX_KEY = "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE="


def more_cases(url: str, count: int) -> list[int]:
    """``count`` more v1 cases of kbh's municipality, each with a saved draft."""
    from forms_service.cases import db as cases_db
    from forms_service.cases.models import User
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of, user_by_username

    engine = cases_db.make_engine(url)
    session = cases_db.make_session_factory(engine)()
    sp = actor_of(user_by_username(session, "sp"))  # type: ignore[arg-type]
    kbh_user: User = user_by_username(session, "kbh")  # type: ignore[assignment]
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    today = dt.date.today()
    ids = []
    for index in range(count):
        case = CaseService(session, sp).create_case(
            case_number=f"SP-LOAD-{index:05d}",
            cpr="150862-2402",
            citizen_name="Karin Holm Madsen",
            application_date=today - dt.timedelta(days=40),
            municipality_code=101,
            send_to_municipality=True,
            request_date=today - dt.timedelta(days=30),
        )
        CaseService(session, actor_of(kbh_user)).save_draft(
            case.id, answers, base_revision=case.revision
        )
        ids.append(case.id)
    session.close()
    engine.dispose()
    return ids


def client(
    port: int,
    case_id: int,
    cookie: str,
    token: str,
    kinds: list[str],
    until: float,
    tally: Tally,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    body = json.dumps(answers).encode()
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    revision = _revision(connection, case_id, api)
    step = 0
    while time.monotonic() < until:
        kind = kinds[step % len(kinds)]
        step += 1
        started = time.perf_counter()
        ok = False
        try:
            if kind == "form":
                connection.request("GET", f"/cases/{case_id}/form", headers={"Cookie": cookie})
            elif kind == "list":
                connection.request("GET", "/cases/", headers={"Cookie": cookie})
            elif kind == "validate":
                path = "/api/v1/forms/sagsoplysningsskema/1.0.0/validate"
                connection.request("POST", path, body=body, headers=api)
            else:
                payload = json.dumps({"base_revision": revision, "answers": answers}).encode()
                path = f"/api/v1/cases/{case_id}/answers/draft"
                connection.request("PUT", path, body=payload, headers=api)
            response = connection.getresponse()
            data = response.read()
            ok = response.status == 200
            if kind == "save" and ok:
                revision = json.loads(data)["revision"]
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        tally.add(kind, time.perf_counter() - started, ok)
    connection.close()


def _revision(connection: http.client.HTTPConnection, case_id: int, api: dict[str, str]) -> int:
    connection.request("GET", f"/api/v1/cases/{case_id}/answers", headers=api)
    response = connection.getresponse()
    return int(json.loads(response.read())["revision"])


def run_load(
    port: int, cases: list[int], cookie: str, token: str, kinds: list[str], seconds: float
) -> tuple[Tally, float]:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client,
            args=(
                port,
                case_id,
                cookie,
                token,
                kinds[i % len(kinds) :] + kinds[: i % len(kinds)],
                until,
                tally,
            ),
        )
        for i, case_id in enumerate(cases)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - started


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(label: str, tally: Tally, elapsed: float) -> tuple[float, float, int]:
    every = [v for values in tally.latencies.values() for v in values]
    errors = sum(tally.errors.values())
    rate = len(every) / elapsed
    print(
        f"{label}: {len(every)} requests in {elapsed:.1f} s, {errors} errors, {rate:.1f} req/s, "
        f"p50 {_p(every, 0.5):.0f} ms, p95 {_p(every, 0.95):.0f} ms"
    )
    for kind, values in sorted(tally.latencies.items()):
        print(
            f"    {kind:<9} {len(values):>6} requests, {tally.errors[kind]} errors, "
            f"{len(values) / elapsed:6.1f} req/s, p50 {_p(values, 0.5):.0f} ms, "
            f"p95 {_p(values, 0.95):.0f} ms, mean {statistics.mean(values) * 1000:.0f} ms"
        )
    return rate, _p(every, 0.95), errors


def main() -> int:
    # personal data is encrypted at rest (issue 18); PostgreSQL needs keys: benchmark keys
    # unless the environment brings its own (the servers inherit them)
    os.environ.setdefault("FORMS_SERVICE_ENCRYPTION_KEYS", BENCH_KEYS)
    os.environ.setdefault("FORMS_SERVICE_BLIND_INDEX_KEY", BENCH_INDEX_KEY)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--baseline-duration", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        with database(args.database_url, workdir) as url:
            _first, token = seed(url)
            cases = more_cases(url, args.connections)
            env = {
                "FORMS_SERVICE_DATABASE_URL": url,
                "FORMS_SERVICE_SECRET_KEY": "benchmark-secret",
                "FORMS_SERVICE_INSTANCE_PATH": str(workdir / "instance"),
            }
            backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            port = free_port()
            print(
                f"load run: gunicorn {args.workers} sync workers, {args.connections} "
                f"connections, database {backend}, {os.cpu_count()} CPUs, load average "
                f"{os.getloadavg()[0]:.1f} before",
                flush=True,
            )
            with gunicorn("forms_service.app:create_app()", port, env, args.workers):
                cookie = login(f"http://127.0.0.1:{port}", "kbh")
                run_load(port, cases, cookie, token, MIX, 3)  # warm-up
                mix, mix_elapsed = run_load(port, cases, cookie, token, MIX, args.duration)
                page, page_elapsed = run_load(
                    port, cases, cookie, token, ["form"], args.baseline_duration
                )
            mix_rate, mix_p95, mix_errors = report(f"mix ({args.duration:g} s)", mix, mix_elapsed)
            page_rate, page_p95, page_errors = report(
                f"baseline: plain form page ({args.baseline_duration:g} s)", page, page_elapsed
            )
            print(
                f"mix / plain form page: throughput {mix_rate / page_rate:.2f}x, "
                f"p95 {mix_p95 / page_p95:.2f}x; errors {mix_errors + page_errors}"
            )
            return 1 if mix_errors or page_errors else 0


if __name__ == "__main__":
    sys.exit(main())
