"""Background bulk jobs: the local pool without Redis, an RQ queue with a real Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms_service.cli import main
from forms_service.documents.bulk import DocumentJob
from forms_service.documents.jobs import (
    ENV_REDIS_URL,
    job_output,
    job_status,
    prune_finished_jobs,
    submit_bulk,
)
from tests.documents.docx_helpers import all_text, open_docx

JOBS = [
    DocumentJob("pjece", "brochure"),
    DocumentJob("vejledning", "guidance", {"form": "sagsoplysningsskema", "version": "1.0.0"}),
    DocumentJob("forkert", "guidance", {"form": "sagsoplysningsskema", "version": "0.0.1"}),
]


def _wait_finished(job_id: str, root: Path, redis: str | None = None, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job_status(job_id, root=root, redis=redis)
        assert status is not None
        if status.finished:
            return status
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {status}")


def _check_result(status, root: Path) -> None:  # type: ignore[no-untyped-def]
    assert status.state == "finished", status
    assert (status.total, status.done, status.failed) == (3, 2, 1)
    assert status.percent == 100
    assert status.errors[0]["name"] == "forkert"
    assert "0.0.1" in status.errors[0]["error"]
    output = job_output(status.id, root=root)
    assert output is not None
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["pjece.docx", "vejledning.docx"]
        assert "Sagsoplysningsskema – seniorpension, version 1.0.0" in all_text(
            open_docx(archive.read("vejledning.docx"))
        )


def test_local_background_job_reports_progress_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_REDIS_URL, raising=False)
    started = time.monotonic()
    job_id = submit_bulk(JOBS, title="Test", root=tmp_path, workers=2)
    assert time.monotonic() - started < 2  # the caller does not wait for the documents
    first = job_status(job_id, root=tmp_path)
    assert first is not None and first.backend == "local" and first.title == "Test"
    _check_result(_wait_finished(job_id, tmp_path), tmp_path)


def test_unknown_job_ids(tmp_path: Path) -> None:
    assert job_status("0" * 32, root=tmp_path) is None
    assert job_status("../../etc/passwd", root=tmp_path) is None
    assert job_output("../x", root=tmp_path) is None


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
    tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "jobs"
    job_id = submit_bulk(JOBS, title="Via kø", root=root, redis=redis_url, workers=1)
    queued = job_status(job_id, root=root, redis=redis_url)
    assert queued is not None
    assert (queued.state, queued.backend, queued.done) == ("queued", "rq", 0)

    monkeypatch.setenv(ENV_REDIS_URL, redis_url)
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 0, result.output

    status = job_status(job_id, root=root, redis=redis_url)
    assert status is not None and status.backend == "rq"
    _check_result(status, root)


def test_worker_without_redis_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_REDIS_URL, raising=False)
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 1
    assert "FORMS_SERVICE_REDIS_URL er ikke sat" in result.output


def test_finished_jobs_are_pruned_after_a_week(tmp_path: Path) -> None:
    import datetime as dt
    import json

    old, recent = "a" * 32, "b" * 32
    for job_id, days in ((old, 8), (recent, 1)):
        (tmp_path / job_id).mkdir()
        finished = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        (tmp_path / job_id / "status.json").write_text(
            json.dumps({"id": job_id, "finished_at": finished.isoformat()})
        )
    (tmp_path / "c").mkdir()  # not a job folder: left alone
    assert prune_finished_jobs(tmp_path) == [old]
    assert not (tmp_path / old).exists()
    assert (tmp_path / recent).exists() and (tmp_path / "c").exists()


def test_redis_killed_while_jobs_queue(
    tmp_path: Path, redis_server: tuple[str, subprocess.Popen[bytes]]
) -> None:
    """Redis killed with a job in its queue: the next job runs locally within seconds, the
    queued job's last known status is still read, and no call hangs."""
    url, process = redis_server
    root = tmp_path / "jobs"
    queued_id = submit_bulk(JOBS, title="I køen", root=root, redis=url, workers=1)
    assert job_status(queued_id, root=root, redis=url).backend == "rq"  # type: ignore[union-attr]

    process.kill()  # Redis gone, with a job in its queue
    process.wait(timeout=10)

    started = time.monotonic()
    fallback_id = submit_bulk(JOBS, title="Efter Redis", root=root, redis=url, workers=1)
    assert time.monotonic() - started < 5  # a clear fallback, not a hang
    status = _wait_finished(fallback_id, root, redis=url)
    assert status.backend == "local"
    _check_result(status, root)

    started = time.monotonic()
    last_known = job_status(queued_id, root=root, redis=url)
    assert time.monotonic() - started < 5
    assert last_known is not None and last_known.state == "queued"
