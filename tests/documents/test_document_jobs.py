"""Background bulk jobs: the local pool without Redis, an RQ queue with a real Redis, and a job
started on one app instance, worked by a worker and served by another instance."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from forms_service.cli import main
from forms_service.documents.bulk import DocumentJob
from forms_service.documents.jobs import (
    ENV_REDIS_URL,
    job_output,
    job_status,
    prune_finished_jobs,
    submit_bulk,
)
from forms_service.documents.models import DocumentJobRow
from tests.documents.docx_helpers import all_text, open_docx

JOBS = [
    DocumentJob("pjece", "brochure"),
    DocumentJob("vejledning", "guidance", {"form": "sagsoplysningsskema", "version": "1.0.0"}),
    DocumentJob("forkert", "guidance", {"form": "sagsoplysningsskema", "version": "0.0.1"}),
]
ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"


def _wait_finished(job_id: str, db_url: str, redis: str | None = None, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job_status(job_id, database_url=db_url, redis=redis)
        assert status is not None
        if status.finished:
            return status
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {status}")


def _check_result(status, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert status.state == "finished", status
    assert (status.total, status.done, status.failed) == (3, 2, 1)
    assert status.percent == 100
    assert status.errors[0]["name"] == "forkert"
    assert "0.0.1" in status.errors[0]["error"]
    output = job_output(status.id, database_url=db_url)
    assert output is not None
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        assert sorted(archive.namelist()) == ["pjece.docx", "vejledning.docx"]
        assert "Sagsoplysningsskema – seniorpension, version 1.0.0" in all_text(
            open_docx(archive.read("vejledning.docx"))
        )


def test_local_background_job_reports_progress_by_id(
    db_url: str, db_engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_REDIS_URL, raising=False)
    started = time.monotonic()
    job_id = submit_bulk(JOBS, title="Test", database_url=db_url, workers=2)
    assert time.monotonic() - started < 2  # the caller does not wait for the documents
    first = job_status(job_id, database_url=db_url)
    assert first is not None and first.backend == "local" and first.title == "Test"
    _check_result(_wait_finished(job_id, db_url), db_url)


def test_unknown_job_ids(db_url: str, db_engine) -> None:
    assert job_status("0" * 32, database_url=db_url) is None
    assert job_status("../../etc/passwd", database_url=db_url) is None
    assert job_output("../x", database_url=db_url) is None
    assert job_output("0" * 32, database_url=db_url) is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Our own redis-server on a free port (never the machine's): its URL and process."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed for the RQ tests (apt-get install redis-server)"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    from redis import Redis

    client = Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except Exception:
            time.sleep(0.05)
    yield url, process
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: tuple[str, subprocess.Popen[bytes]]) -> str:
    return redis_server[0]


def test_rq_job_worked_by_forms_service_worker(
    db_url: str, db_engine, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = submit_bulk(JOBS, title="Via kø", database_url=db_url, redis=redis_url, workers=1)
    queued = job_status(job_id, database_url=db_url, redis=redis_url)
    assert queued is not None
    assert (queued.state, queued.backend, queued.done) == ("queued", "rq", 0)

    monkeypatch.setenv(ENV_REDIS_URL, redis_url)
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 0, result.output

    status = job_status(job_id, database_url=db_url, redis=redis_url)
    assert status is not None and status.backend == "rq"
    _check_result(status, db_url)


def test_worker_without_redis_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_REDIS_URL, raising=False)
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 1
    assert "FORMS_SERVICE_REDIS_URL er ikke sat" in result.output


def test_finished_jobs_are_pruned_after_a_week(db_url: str, db_engine) -> None:
    now = dt.datetime.now(dt.UTC)
    with Session(db_engine) as session:
        for job_id, finished in (
            ("a" * 32, now - dt.timedelta(days=8)),
            ("b" * 32, now - dt.timedelta(days=1)),
            ("c" * 32, None),  # still running
        ):
            session.add(
                DocumentJobRow(
                    id=job_id,
                    title="t",
                    state="finished" if finished else "running",
                    total=1,
                    done=0,
                    failed=0,
                    errors=[],
                    backend="local",
                    created_at=now - dt.timedelta(days=9),
                    finished_at=finished,
                    output=b"zip",
                )
            )
        session.commit()
    assert prune_finished_jobs(db_url) == 1
    assert job_status("a" * 32, database_url=db_url) is None
    assert job_status("b" * 32, database_url=db_url) is not None
    assert job_status("c" * 32, database_url=db_url) is not None


def test_a_job_started_on_one_instance_is_worked_elsewhere_and_served_by_another(
    db_url: str, db_engine, users, tmp_path: Path, login, redis_url: str
) -> None:
    """Two app instances and a worker, each with an instance folder of its own, sharing only
    the database and Redis: the zip of a job started on A is downloaded from B."""
    from forms_service.app import create_app
    from forms_service.cases.models import User
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of

    def instance(name: str):  # type: ignore[no-untyped-def]
        return create_app(
            {
                "DATABASE_URL": db_url,
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "shared-between-instances",
                "INSTANCE_PATH": str(tmp_path / name),
                "REDIS_URL": redis_url,
            }
        )

    a, b = instance("a"), instance("b")
    with a.extensions["forms_service.sessions"]() as session:
        sp = CaseService(session, actor_of(session.get(User, users["sp"].id)))
        case = sp.create_case(
            case_number="SP-DELT-00001",
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=dt.date.today() - dt.timedelta(days=30),
            municipality_code=101,
            send_to_municipality=True,
        )
        kbh = CaseService(session, actor_of(session.get(User, users["kbh"].id)))
        answers = json.loads((ANSWERS / "v1_complete.json").read_text("utf-8"))
        kbh.submit(case.id, answers, base_revision=case.revision)

    on_a = a.test_client()
    login(on_a, "sp")
    started = on_a.post("/api/v1/documents/bulk", json={"municipality_code": 101})
    assert started.status_code == 202, started.get_json()
    job_id = started.get_json()["id"]

    worker_home = tmp_path / "worker"
    worker_home.mkdir()
    env = dict(
        os.environ,
        FORMS_SERVICE_REDIS_URL=redis_url,
        FORMS_SERVICE_DATABASE_URL=db_url,
        FORMS_SERVICE_INSTANCE_PATH=str(worker_home / "instance"),
    )
    command = [str(Path(sys.executable).parent / "forms-service"), "worker", "--burst"]
    worked = subprocess.run(
        command, cwd=worker_home, env=env, capture_output=True, text=True, timeout=300
    )
    assert worked.returncode == 0, worked.stderr[-3000:]

    # the browser's session moves to instance B (same secret), as behind a load balancer
    on_b = b.test_client()
    cookie = on_a.get_cookie("forms_service_session")
    assert cookie is not None
    on_b.set_cookie("forms_service_session", cookie.value)
    status = on_b.get(f"/api/v1/documents/jobs/{job_id}").get_json()
    assert (status["state"], status["done"], status["failed"]) == ("finished", 1, 0), status
    archive = on_b.get(status["download_url"])
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        assert zipped.namelist() == ["SP-DELT-00001.docx"]
        assert "SP-DELT-00001" in all_text(open_docx(zipped.read("SP-DELT-00001.docx")))
    # nothing of the job on any disk: not in A's, B's or the worker's folders
    for folder in (tmp_path / "a", tmp_path / "b", worker_home):
        assert not any(p.name in (job_id, "dokumenter.zip") for p in folder.rglob("*"))


def test_redis_killed_while_jobs_queue(
    db_url: str, db_engine, redis_server: tuple[str, subprocess.Popen[bytes]]
) -> None:
    """Redis killed with a job in its queue: the next job runs locally within seconds, the
    queued job's last known status is still read, and no call hangs."""
    url, process = redis_server
    queued_id = submit_bulk(JOBS, title="I køen", database_url=db_url, redis=url, workers=1)
    assert job_status(queued_id, database_url=db_url, redis=url).backend == "rq"  # type: ignore[union-attr]

    process.kill()  # Redis gone, with a job in its queue
    process.wait(timeout=10)

    started = time.monotonic()
    fallback_id = submit_bulk(JOBS, title="Efter Redis", database_url=db_url, redis=url, workers=1)
    assert time.monotonic() - started < 5  # a clear fallback, not a hang
    status = _wait_finished(fallback_id, db_url, redis=url)
    assert status.backend == "local"
    _check_result(status, db_url)

    started = time.monotonic()
    last_known = job_status(queued_id, database_url=db_url, redis=url)
    assert time.monotonic() - started < 5
    assert last_known is not None and last_known.state == "queued"
