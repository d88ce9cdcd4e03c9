"""The form page and saving answers, this code against a named git revision in the same run.

    .venv/bin/python benchmarks/bench_answers.py [--baseline main] [--rounds 5] [--requests 30]

Measured in-process through Flask's test client on a SQLite file, one request at a time (the
work a gunicorn worker does per request), median wall and CPU time per request:

* ``form``        GET /cases/<id>/form with the v1 example saved as a draft
* ``draft``       POST the filled-in v1 form with action=draft (the same case, saved again)
* ``submit``      POST the filled-in v1 form with action=submit (a fresh case each time)
* ``api_submit``  POST /api/v1/cases/<id>/answers/submit with the v1 example (fresh cases)

The baseline is the tree of ``--baseline`` exported with ``git archive``; each side runs in a
subprocess of its own, the sides alternate round by round (the machine's other load hits both
alike), and the ratio is this code's median ÷ the baseline's (below 1 = faster). CSRF is off
in both (the same small cost either way).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
MEASURES = ("form", "draft", "submit", "api_submit")


# --- one side, in its own process ------------------------------------------------------------


def _create_app(config: dict[str, Any]) -> Any:
    try:
        from forms_service.app import create_app
    except ImportError:  # a revision from before the factory moved
        from forms_service.web.app import create_app  # type: ignore[no-redef]
    return create_app(config)


def _timed(job: Callable[[], Any], count: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        job()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def measure_side(requests: int, workdir: Path) -> dict[str, tuple[float, float]]:
    from werkzeug.datastructures import MultiDict

    from forms_service.cases.models import Case, User
    from forms_service.cases.roles import Role
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of, create_api_token, create_user, hash_password
    from forms_service.definitions.registry import default_registry
    from tests.test_parity import browser_post

    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = _create_app(
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
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    today = dt.date.today()
    numbers = iter(range(1, 1_000_000))

    def new_case(draft: bool = False) -> int:
        with sessions() as session:
            sp = session.query(User).filter_by(username="sp").one()
            case = CaseService(session, actor_of(sp)).create_case(
                case_number=f"SP-2025-{next(numbers):06d}",
                cpr="150862-2402",
                citizen_name="Karin Holm Madsen",
                application_date=today - dt.timedelta(days=40),
                municipality_code=101,
                send_to_municipality=True,
                request_date=today - dt.timedelta(days=30),
            )
            if draft:
                kbh_user = session.query(User).filter_by(username="kbh").one()
                CaseService(session, actor_of(kbh_user)).save_draft(
                    case.id, answers, base_revision=case.revision
                )
            return case.id

    def revision(case_id: int) -> int:
        with sessions() as session:
            return session.get(Case, case_id).revision

    client = app.test_client()
    response = client.post("/login", data={"username": "kbh", "password": password})
    assert response.status_code in (302, 303), response.status_code
    headers = {"Authorization": f"Bearer {token}"}
    definition = default_registry().get("sagsoplysningsskema", "1.0.0")
    posted = browser_post(definition, answers)

    page_case = new_case(draft=True)
    draft_case = new_case(draft=True)
    fresh = [new_case() for _ in range(requests + 2)]
    fresh_api = [new_case() for _ in range(requests + 2)]

    def form() -> None:
        assert client.get(f"/cases/{page_case}/form").status_code == 200

    def draft() -> None:
        data = MultiDict(
            [*posted, ("action", "draft"), ("base_revision", str(revision(draft_case)))]
        )
        assert client.post(f"/cases/{draft_case}/form", data=data).status_code == 302

    def submit() -> None:
        case_id = fresh.pop()
        data = MultiDict([*posted, ("action", "submit"), ("base_revision", str(revision(case_id)))])
        assert client.post(f"/cases/{case_id}/form", data=data).status_code == 302

    def api_submit() -> None:
        case_id = fresh_api.pop()
        body = {"answers": answers, "base_revision": revision(case_id)}
        response = client.post(
            f"/api/v1/cases/{case_id}/answers/submit", json=body, headers=headers
        )
        assert response.status_code == 200, response.json

    jobs = {"form": form, "draft": draft, "submit": submit, "api_submit": api_submit}
    for job in (form, draft):
        job()  # warm: templates compiled, definitions loaded
    return {name: _timed(job, requests) for name, job in jobs.items()}


# --- the comparison --------------------------------------------------------------------------


def export_revision(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    ).stdout
    target = into / "baseline"
    target.mkdir()
    archive_path = into / "baseline.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(target, filter="data")
    return target


def run_side(source: Path, requests: int) -> dict[str, list[float]]:
    env = dict(os.environ, PYTHONPATH=f"{source}{os.pathsep}{ROOT}")
    # the side's own tree first: its forms_service, with this tree's tests for browser_post
    output = subprocess.run(
        [sys.executable, __file__, "--side", str(source), "--requests", str(requests)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare against")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30, help="requests per measure")
    parser.add_argument("--side", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        import forms_service

        assert Path(forms_service.__file__).is_relative_to(args.side), forms_service.__file__
        with tempfile.TemporaryDirectory() as workdir:
            print(json.dumps(measure_side(args.requests, Path(workdir))))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        baseline = export_revision(args.baseline, Path(tmp))
        sides = {"baseline": baseline, "this": ROOT}
        found: dict[str, dict[str, list[tuple[float, float]]]] = {s: {} for s in sides}
        for number in range(args.rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                result = run_side(sides[side], args.requests)
                for name, figures in result.items():
                    found[side].setdefault(name, []).append(tuple(figures))  # type: ignore[arg-type]
            print(f"round {number + 1}/{args.rounds} done", file=sys.stderr)

    print(f"baseline: {args.baseline}; medians of {args.rounds} rounds × {args.requests} requests")
    print(f"{'':<12}{'baseline ms':>12}{'this ms':>10}{'ratio':>8}{'CPU ratio':>11}")
    for name in MEASURES:
        base = found["baseline"][name]
        this = found["this"][name]
        base_wall = statistics.median(w for w, _ in base)
        this_wall = statistics.median(w for w, _ in this)
        base_cpu = statistics.median(c for _, c in base)
        this_cpu = statistics.median(c for _, c in this)
        print(
            f"{name:<12}{base_wall:>12.1f}{this_wall:>10.1f}{this_wall / base_wall:>8.2f}"
            f"{this_cpu / base_cpu:>11.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
