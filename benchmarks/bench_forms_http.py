"""HTTP throughput of the form page and the validate endpoint, beside a bare Flask+WTForms page.

    .venv/bin/python benchmarks/bench_forms_http.py [--duration 10] [--connections 16]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--profile]

In one run, on 127.0.0.1:

* the service (``forms_service.app:create_app()``) and the baseline
  (``benchmarks/bare_app.py``) each under gunicorn with 2 sync workers, started here and
  stopped at the end;
* a database with one municipal caseworker, one v1 case and a saved draft of the v1 example
  answers (SQLite file by default; with ``--database-url`` a fresh PostgreSQL schema, dropped
  afterwards);
* ``wrk`` (Debian package) as the load generator: 16 connections, 2 threads, a warm-up, then
  ``--duration`` seconds per measurement, p95 from wrk's latency histogram;
* measured: (a) ``GET /cases/<id>/form`` logged in (session cookie) — the filled-in v1 form;
  (b) ``POST /api/v1/forms/sagsoplysningsskema/1.0.0/validate`` with the v1 example (bearer
  token); the baseline's ``GET /form`` and ``POST /form`` with as many fields as the v1 page
  has inputs; ratio = service / baseline. Target: ≥ 0.8× and p95 < 100 ms;
* beside req/s, the CPU each server (gunicorn master + workers, from ``/proc``) spent per
  request in that measurement: other processes on the machine move req/s a lot and CPU per
  request little, so bare CPU ÷ service CPU is the throughput ratio on CPUs of their own.

Afterwards the same four requests run in this process one at a time (Flask's test client):
the service time per request, which bounds throughput (2 workers: at most 2 / t) and latency
(16 connections on 2 workers: about 8 × t). ``--profile`` adds cProfile of the form page and
the validate request: where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `benchmarks.bare_app` for the in-process measurements
VENV_BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
PASSWORD = "benchmark-hest-batteri"
TARGET_RATIO = 0.8
TARGET_P95_MS = 100.0

LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass
class Server:
    """A gunicorn started here: its address and master process."""

    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers so far (Linux ``/proc``)."""
        ticks = 0
        for pid in (self.pid, *self._workers()):
            fields = _proc_stat(pid)
            if fields:
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def _workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                fields = _proc_stat(int(entry.name))
                if fields and int(fields[1]) == self.pid:  # parent pid
                    found.append(int(entry.name))
        return found


BENCH_KEYS = "b1:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
BENCH_INDEX_KEY = "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE="


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (index 0 is the state)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


@dataclass
class Scenario:
    name: str
    url: str
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] | None = None
    server: Server | None = None


@dataclass
class Result:
    scenario: str
    requests: int
    seconds: float
    status_errors: int
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms: float = 0.0  # the server's CPU per request (master + workers)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


# --- setup -----------------------------------------------------------------------------------


@contextlib.contextmanager
def database(url: str | None, workdir: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a fresh schema in PostgreSQL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from forms_service.cases import db as cases_db

    if url is None:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    base = cases_db.normalize_url(url)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = cases_db.make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed(url: str) -> tuple[int, str]:
    """One municipal caseworker (kbh), one v1 case with a saved draft; (case id, API token)."""
    from forms_service.cases import db as cases_db
    from forms_service.cases.roles import Role
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of, create_api_token, create_user, hash_password
    from forms_service.wiring import register_domain_functions

    # the definitions call the domain's functions: registered as the app and the CLI do
    register_domain_functions()

    engine = cases_db.make_engine(url)
    cases_db.upgrade(engine)
    session = cases_db.make_session_factory(engine)()
    password_hash = hash_password(PASSWORD)
    kbh = create_user(
        session,
        "kbh",
        role=Role.MUNICIPAL_CASEWORKER,
        password_hash=password_hash,
        display_name="Bench København",
        municipality_code=101,
    )
    sp = create_user(
        session,
        "sp",
        role=Role.SENIORPENSION_CASEWORKER,
        password_hash=password_hash,
        display_name="Bench Seniorpension",
    )
    token = create_api_token(session, kbh, "benchmark")
    session.commit()
    today = dt.date.today()
    case = CaseService(session, actor_of(sp)).create_case(
        case_number="SP-2025-004711",
        cpr="150862-2402",
        citizen_name="Karin Holm Madsen",
        application_date=today - dt.timedelta(days=40),
        municipality_code=101,
        send_to_municipality=True,
        request_date=today - dt.timedelta(days=30),
    )
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    CaseService(session, actor_of(kbh)).save_draft(case.id, answers, base_revision=case.revision)
    case_id = case.id
    session.close()
    engine.dispose()
    return case_id, token


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(app: str, port: int, env: dict[str, str], workers: int) -> Iterator[Server]:
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # a loaded machine boots two workers (CEL, WeasyPrint, the models) slowly
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn {app} stopped:\n{log.read()}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=10):
                    break
            except OSError:  # refused, reset or timed out while the workers boot
                if time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn {app} did not start:\n{log.read()}") from None
                time.sleep(0.2)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        os.unlink(log.name)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def login(base: str, username: str) -> str:
    """Log in through the real login form (with its CSRF token); the session cookie."""
    with urllib.request.urlopen(base + "/login") as response:
        page = response.read().decode()
        cookie = _cookie(response.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"username": username, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    request = urllib.request.Request(
        base + "/login",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": cookie},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request)
    except urllib.error.HTTPError as error:
        if error.code not in (302, 303):
            raise
        cookie = _cookie(error.headers.get_all("Set-Cookie") or []) or cookie
        return cookie
    raise RuntimeError("login did not redirect")


def _cookie(headers: list[str]) -> str:
    return "; ".join(h.split(";", 1)[0] for h in headers)


def fetch(base: str, path: str, **kwargs: Any) -> tuple[int, str]:
    request = urllib.request.Request(base + path, **kwargs)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def bare_form_body(fields: int) -> str:
    """A valid answer to every field of the bare page (select and radio: an option)."""
    return urllib.parse.urlencode(
        {f"felt_{i}": ("a" if i % 5 in (2, 3) else "Et svar") for i in range(fields)}
    )


def count_inputs(page: str) -> int:
    """Distinct named inputs (input, select, textarea) a caseworker fills in on the page."""
    names = set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', page))
    return len(names - {"csrf_token", "base_revision", "action", "shown_validation"})


# --- load -------------------------------------------------------------------------------------


def run_wrk(scenario: Scenario, *, seconds: float, connections: int, threads: int) -> Result:
    lines = [f'wrk.method = "{scenario.method}"']
    if scenario.body is not None:
        lines.append(f"wrk.body = [==[{scenario.body}]==]")
    for key, value in (scenario.headers or {}).items():
        lines.append(f'wrk.headers["{key}"] = [==[{value}]==]')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n" + LUA_DONE)
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                scenario.url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk gave no summary:\n{output}")
    values = dict(part.split("=") for part in match.group(1).split())
    return Result(
        scenario=scenario.name,
        requests=int(values["requests"]),
        seconds=int(values["duration_us"]) / 1e6,
        status_errors=int(values["status_errors"]),
        socket_errors=int(values["socket_errors"]),
        p50_ms=int(values["p50_us"]) / 1000,
        p95_ms=int(values["p95_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
    )


def measure(
    scenario: Scenario, *, seconds: float, connections: int, threads: int, warmup: float
) -> Result:
    run_wrk(scenario, seconds=warmup, connections=connections, threads=threads)
    cpu_before = scenario.server.cpu_seconds() if scenario.server else 0.0
    result = run_wrk(scenario, seconds=seconds, connections=connections, threads=threads)
    if scenario.server and result.requests:
        result.cpu_ms = (scenario.server.cpu_seconds() - cpu_before) / result.requests * 1000
    print(
        f"  {scenario.name:<44} {result.rps:8.1f} req/s   p50 {result.p50_ms:6.1f} ms   "
        f"p95 {result.p95_ms:6.1f} ms   p99 {result.p99_ms:6.1f} ms   "
        f"CPU {result.cpu_ms:5.2f} ms/req   errors {result.status_errors}+{result.socket_errors}",
        flush=True,
    )
    return result


# --- profile ----------------------------------------------------------------------------------


def in_process_jobs(
    env: dict[str, str], case_id: int, token: str, fields: int
) -> dict[str, Callable[[], Any]]:
    """The four measured requests through the WSGI apps in this process (Flask's test client)."""
    os.environ.update(env)
    from benchmarks.bare_app import create_app as create_bare_app
    from forms_service.app import create_app

    client = create_app({"SESSION_COOKIE_SECURE": False}).test_client()
    page = client.get("/login").get_data(as_text=True)
    token_match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    client.post(
        "/login",
        data={
            "username": "kbh",
            "password": PASSWORD,
            "csrf_token": token_match.group(1) if token_match else "",
        },
    )
    bare = create_bare_app(fields).test_client()
    body = EXAMPLE.read_text(encoding="utf-8")
    bare_body = bare_form_body(fields)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    jobs: dict[str, Callable[[], Any]] = {
        "bare_get": lambda: bare.get("/form"),
        "form": lambda: client.get(f"/cases/{case_id}/form"),
        "bare_post": lambda: bare.post(
            "/form", data=bare_body, content_type="application/x-www-form-urlencoded"
        ),
        "validate": lambda: client.post(
            "/api/v1/forms/sagsoplysningsskema/1.0.0/validate", data=body, headers=headers
        ),
    }
    for name, job in jobs.items():
        status = job().status_code
        assert status == 200, (name, status)
    return jobs


def service_times(jobs: dict[str, Callable[[], Any]], requests: int = 60) -> None:
    """One request at a time, in-process: the work a worker does per request.

    With 2 workers, throughput is at most 2 / t, and 16 connections queue 8 deep per worker,
    so the latency under that load is about 8 × t however fast the network is.
    """
    print(f"\nin-process service time, one request at a time (median of {requests}):")
    for name, job in jobs.items():
        times, cpu = [], []
        for _ in range(requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            job()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        median = statistics.median(times)
        print(
            f"  {name:<10} {median:6.1f} ms (CPU {statistics.median(cpu):5.1f} ms)   → at most "
            f"{2000 / median:6.1f} req/s on 2 workers, ≈ {8 * median:6.0f} ms latency at 16 "
            "connections"
        )


def profile(jobs: dict[str, Callable[[], Any]], requests: int = 200) -> None:
    """Where a worker's time goes: the same requests under cProfile."""
    import cProfile
    import io
    import pstats

    for name in ("form", "validate"):
        job = jobs[name]
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            job()
        profiler.disable()
        elapsed = (time.perf_counter() - started) / requests * 1000
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(40)
        print(f"\n--- profile: {name}, {elapsed:.2f} ms per request in-process (with profiler)")
        print("\n".join(out.getvalue().splitlines()[:70]))


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    # personal data is encrypted at rest (issue 18); PostgreSQL needs keys: benchmark keys
    # unless the environment brings its own (the servers inherit them)
    os.environ.setdefault("FORMS_SERVICE_ENCRYPTION_KEYS", BENCH_KEYS)
    os.environ.setdefault("FORMS_SERVICE_BLIND_INDEX_KEY", BENCH_INDEX_KEY)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (default SQLite)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="bench-forms-http-"))
    try:
        with database(args.database_url, workdir) as url:
            return run(args, url, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, url: str, workdir: Path) -> int:
    case_id, token = seed(url)
    env = {
        "FORMS_SERVICE_DATABASE_URL": url,
        "FORMS_SERVICE_SECRET_KEY": "benchmark-secret",
        "FORMS_SERVICE_INSTANCE_PATH": str(workdir / "instance"),
    }
    body = EXAMPLE.read_text(encoding="utf-8")
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"forms HTTP benchmark: gunicorn {args.workers} sync workers per server, wrk "
        f"{args.connections} connections / {args.threads} threads, {args.duration:g} s per "
        f"measurement, database {backend}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} before",
        flush=True,
    )
    with gunicorn("forms_service.app:create_app()", free_port(), env, args.workers) as real_server:
        real = real_server.base
        cookie = login(real, "kbh")
        status, page = fetch(real, f"/cases/{case_id}/form", headers={"Cookie": cookie})
        if status != 200 or "ansaettelser-2-fra" not in page:
            raise RuntimeError(f"the form page did not show the saved draft ({status})")
        fields = count_inputs(page)
        api = "/api/v1/forms/sagsoplysningsskema/1.0.0/validate"
        api_headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, answer = fetch(real, api, data=body.encode(), headers=api_headers, method="POST")
        if status != 200 or json.loads(answer)["valid"] is not True:
            raise RuntimeError(f"validate did not accept the v1 example ({status}): {answer}")
        print(f"v1 form page: {len(page) // 1024} KiB, {fields} named inputs", flush=True)

        bare_env = {"BARE_FIELDS": str(fields)}
        with gunicorn(
            "benchmarks.bare_app:create_app()", free_port(), bare_env, args.workers
        ) as bare_server:
            bare = bare_server.base
            status, bare_page = fetch(bare, "/form")
            assert status == 200 and count_inputs(bare_page) == fields
            bare_body = bare_form_body(fields)
            status, _ = fetch(
                bare,
                "/form",
                data=bare_body.encode(),
                method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert status == 200, status
            print(f"bare page: {len(bare_page) // 1024} KiB, {fields} fields", flush=True)

            scenarios = {
                "bare_get": Scenario(
                    "baseline: bare WTForms page, GET", bare + "/form", server=bare_server
                ),
                "form": Scenario(
                    "(a) v1 form of a case, GET",
                    real + f"/cases/{case_id}/form",
                    headers={"Cookie": cookie},
                    server=real_server,
                ),
                "bare_post": Scenario(
                    "baseline: bare WTForms page, POST (validate)",
                    bare + "/form",
                    method="POST",
                    body=bare_body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    server=bare_server,
                ),
                "validate": Scenario(
                    "(b) API validate, v1 example, POST",
                    real + api,
                    method="POST",
                    body=body,
                    headers=api_headers,
                    server=real_server,
                ),
            }
            options = {
                "seconds": args.duration,
                "connections": args.connections,
                "threads": args.threads,
                "warmup": args.warmup,
            }
            # interleaved rounds, medians: the machine's other load drifts over a run
            rounds: dict[str, list[Result]] = {key: [] for key in scenarios}
            for number in range(1, args.rounds + 1):
                print(f"round {number}/{args.rounds}", flush=True)
                for key, scenario in scenarios.items():
                    rounds[key].append(measure(scenario, **options))

    print(f"load average {os.getloadavg()[0]:.1f} after (other processes share the CPUs)")
    ok = report(rounds)
    jobs = in_process_jobs(env, case_id, token, fields)
    service_times(jobs)
    if args.profile:
        profile(jobs)
    return 0 if ok else 1


def median_result(found: list[Result]) -> Result:
    """The round with the median throughput (its own latencies, errors summed)."""
    chosen = sorted(found, key=lambda r: r.rps)[len(found) // 2]
    chosen.status_errors = sum(r.status_errors for r in found)
    chosen.socket_errors = sum(r.socket_errors for r in found)
    return chosen


def report(rounds: dict[str, list[Result]]) -> bool:
    results = {key: median_result(list(found)) for key, found in rounds.items()}
    print("\nmedian round of each:")
    for result in results.values():
        print(
            f"  {result.scenario:<44} {result.rps:8.1f} req/s   p50 {result.p50_ms:6.1f} ms   "
            f"p95 {result.p95_ms:6.1f} ms   CPU {result.cpu_ms:5.2f} ms/req"
        )
    print("\nratios (service / bare page measured next to it in the same round; median of rounds):")
    ok = True
    for key, baseline_key in (("form", "bare_get"), ("validate", "bare_post")):
        result = results[key]
        pairs = zip(rounds[key], rounds[baseline_key], rounds["bare_get"], strict=True)
        ratios = sorted(r.rps / b.rps for r, b, _g in pairs)
        against_get = sorted(
            r.rps / g.rps for r, g in zip(rounds[key], rounds["bare_get"], strict=True)
        )
        ratio = ratios[len(ratios) // 2]
        met = ratio >= TARGET_RATIO and result.p95_ms < TARGET_P95_MS
        ok = ok and met and not result.status_errors and not result.socket_errors
        label = rounds[baseline_key][0].scenario.split(", ")[-1]
        # the other load on the machine moves req/s a lot and CPU per request little: the
        # CPU ratio is the throughput ratio the two would have on CPUs of their own
        cpu_ratios = sorted(
            b.cpu_ms / r.cpu_ms
            for r, b in zip(rounds[key], rounds[baseline_key], strict=True)
            if r.cpu_ms
        )
        cpu_ratio = cpu_ratios[len(cpu_ratios) // 2] if cpu_ratios else float("nan")
        print(
            f"  {result.scenario:<44} {ratio:5.2f}× {label} "
            f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}; "
            f"{against_get[len(against_get) // 2]:.2f}× bare GET)   p95 {result.p95_ms:.1f} ms   "
            f"target ≥ {TARGET_RATIO}× and p95 < {TARGET_P95_MS:.0f} ms: "
            f"{'met' if met else 'MISSED'}"
        )
        print(
            f"  {'':<44} server CPU per request {result.cpu_ms:.2f} ms: {cpu_ratio:5.2f}× "
            f"{label} by CPU (rounds: {', '.join(f'{r:.2f}' for r in cpu_ratios)})"
        )
    return ok


if __name__ == "__main__":
    sys.exit(main())
