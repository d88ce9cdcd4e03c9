"""What encryption at rest costs: the same requests with the encrypted columns and with them
passing values through in plain, in the same run.

    .venv/bin/python benchmarks/bench_encryption.py [--rounds 3] [--requests 30] [--cases 2000]

Each side runs in a subprocess of its own on a fresh SQLite file, the sides alternating round
by round (the machine's other load hits both alike). The plain side replaces the bind and
result processing of ``EncryptedText``/``EncryptedJSON``/``EncryptedBytes`` by a pass-through
before anything is stored, so it is this code as it was before issue 18's encryption. In-process
through Flask's test client, one request at a time, median wall and CPU time per request:

* ``case_list``     GET /cases/ as Seniorpension (the first page of 25 of ``--cases`` cases:
                    every row's CPR number and name decrypted) and the count for the pager
* ``form``          GET /cases/<id>/form with the v1 example saved as a draft (the answer set
                    decrypted, evaluated and rendered)
* ``completeness``  GET /api/v1/cases/<id>/completeness (the answer set decrypted and checked)
* ``draft``         PUT /api/v1/cases/<id>/answers/draft (the answer set and its completeness
                    report encrypted on the way in)

The ratio is encrypted ÷ plain (the target: below 1.10).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
MEASURES = ("case_list", "form", "completeness", "draft")
KEYS = {
    "FORMS_SERVICE_ENCRYPTION_KEYS": "b1:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE=",
    "FORMS_SERVICE_BLIND_INDEX_KEY": "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE=",
}


def _plain_columns() -> None:
    """The encrypted column types as pass-throughs: the values stored as they are."""
    from forms_service.cases import encrypted

    for kind in encrypted.ENCRYPTED_TYPES:
        kind.process_bind_param = lambda self, value, dialect: value  # type: ignore[method-assign]
        kind.process_result_value = lambda self, value, dialect: value  # type: ignore[method-assign]


def _timed(job: Callable[[], Any], count: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        job()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def measure_side(plain: bool, requests: int, cases: int, workdir: Path) -> dict[str, Any]:
    if plain:
        _plain_columns()
    from sqlalchemy import text

    from forms_service.app import create_app
    from forms_service.cases.models import Case, User
    from forms_service.cases.roles import Role
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of, create_api_token, create_user, hash_password
    from forms_service.reporting.bulk import SimCase, bulk_insert

    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "AUTO_MIGRATE": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "INSTANCE_PATH": str(workdir / "instance"),
        }
    )
    sessions = app.extensions["forms_service.sessions"]
    engine = app.extensions["forms_service.engine"]
    password = "benchmark-hest-batteri"
    with sessions() as session:
        secret = hash_password(password)
        kbh = create_user(
            session,
            "kbh",
            role=Role.MUNICIPAL_CASEWORKER,
            password_hash=secret,
            display_name="Bench København",
            municipality_code=101,
        )
        create_user(
            session,
            "sp",
            role=Role.SENIORPENSION_CASEWORKER,
            password_hash=secret,
            display_name="Bench Seniorpension",
        )
        token = create_api_token(session, kbh, "benchmark")
        session.commit()
    today = dt.date.today()
    with engine.begin() as connection:
        bulk_insert(
            connection,
            (
                SimCase(
                    case_number=f"SP-BULK-{n:06d}",
                    cpr=f"{(n % 28) + 1:02d}0160{n % 10000:04d}",
                    citizen_name=f"Borger nummer {n}",
                    application_date=today - dt.timedelta(days=n % 700),
                    municipality_code=101 if n % 3 else 329,
                    form_version="1.1.0",
                    status="submitted" if n % 2 else "draft_in_progress",
                    request_date=today - dt.timedelta(days=n % 700),
                    assignment_note="Borgeren har ringet." if n % 5 == 0 else None,
                )
                for n in range(cases)
            ),
        )
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    with sessions() as session:
        sp = session.query(User).filter_by(username="sp").one()
        case = CaseService(session, actor_of(sp)).create_case(
            case_number="SP-BENCH-1",
            cpr="150862-2402",
            citizen_name="Karin Holm Madsen",
            application_date=today - dt.timedelta(days=40),
            municipality_code=101,
            send_to_municipality=True,
            request_date=today - dt.timedelta(days=30),
        )
        kbh_user = session.query(User).filter_by(username="kbh").one()
        CaseService(session, actor_of(kbh_user)).save_draft(
            case.id, answers, base_revision=case.revision
        )
        session.commit()
        case_id = case.id
    with engine.connect() as connection:  # the side stores what it says it stores
        stored = connection.execute(text("SELECT cpr FROM cases WHERE id = :id"), {"id": case_id})
        assert stored.scalar_one().startswith("fse1:") != plain

    def revision() -> int:
        with sessions() as session:
            return session.get(Case, case_id).revision

    sp_client = app.test_client()
    assert sp_client.post("/login", data={"username": "sp", "password": password}).status_code in (
        302,
        303,
    )
    kbh_client = app.test_client()
    assert kbh_client.post(
        "/login", data={"username": "kbh", "password": password}
    ).status_code in (302, 303)
    headers = {"Authorization": f"Bearer {token}"}

    def case_list() -> None:
        response = sp_client.get("/cases/")
        assert response.status_code == 200 and b"Borger nummer" in response.data

    def form() -> None:
        assert kbh_client.get(f"/cases/{case_id}/form").status_code == 200

    def completeness() -> None:
        response = kbh_client.get(f"/api/v1/cases/{case_id}/completeness", headers=headers)
        assert response.status_code == 200, response.json

    def draft() -> None:
        body = {"answers": answers, "base_revision": revision()}
        response = kbh_client.put(f"/api/v1/cases/{case_id}/answers/draft", json=body)
        assert response.status_code == 200, response.json

    jobs = {"case_list": case_list, "form": form, "completeness": completeness, "draft": draft}
    for job in jobs.values():
        job()  # warm: templates compiled, definitions loaded
    return {name: _timed(job, requests) for name, job in jobs.items()}


# --- the comparison --------------------------------------------------------------------------


def run_side(plain: bool, requests: int, cases: int) -> dict[str, list[float]]:
    env = dict(os.environ, **KEYS, PYTHONPATH=str(ROOT))
    env.pop("FORMS_SERVICE_DATABASE_URL", None)
    args = [sys.executable, __file__, "--side", "plain" if plain else "encrypted"]
    args += ["--requests", str(requests), "--cases", str(cases)]
    output = subprocess.run(
        args, check=True, capture_output=True, text=True, env=env, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--side", choices=("plain", "encrypted"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.side:
        with tempfile.TemporaryDirectory() as tmp:
            result = measure_side(args.side == "plain", args.requests, args.cases, Path(tmp))
        print(json.dumps(result))
        return

    results: dict[str, dict[str, list[tuple[float, float]]]] = {
        "plain": {m: [] for m in MEASURES},
        "encrypted": {m: [] for m in MEASURES},
    }
    for round_number in range(args.rounds):
        for side in ("plain", "encrypted") if round_number % 2 == 0 else ("encrypted", "plain"):
            figures = run_side(side == "plain", args.requests, args.cases)
            for measure in MEASURES:
                results[side][measure].append(tuple(figures[measure]))  # type: ignore[arg-type]
        print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)

    print(
        f"{args.rounds} rounds × {args.requests} requests, {args.cases} cases, SQLite; "
        "ms per request, median of the rounds' medians (wall / CPU)"
    )
    print("| request | plain ms | encrypted ms | ratio (wall) | ratio (CPU) |")
    print("|---|---|---|---|---|")
    for measure in MEASURES:
        plain = results["plain"][measure]
        enc = results["encrypted"][measure]
        pw, pc = (statistics.median(x[i] for x in plain) for i in (0, 1))
        ew, ec = (statistics.median(x[i] for x in enc) for i in (0, 1))
        print(
            f"| {measure} | {pw:.1f} / {pc:.1f} | {ew:.1f} / {ec:.1f} | "
            f"{ew / pw:.3f} | {ec / pc:.3f} |"
        )


if __name__ == "__main__":
    main()
