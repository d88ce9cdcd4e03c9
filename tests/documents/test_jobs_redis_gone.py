"""Redis killed while bulk document jobs queue (our own redis-server, never the machine's):
the next job runs locally within seconds, the queued job's last known status is still read,
and no call hangs."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms_service.documents.jobs import job_status, submit_bulk
from tests.documents.test_document_jobs import JOBS, _check_result, _free_port, _wait_finished


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (scripts/test.sh installs it)"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
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
        process.kill()
    process.wait(timeout=10)


def test_redis_killed_while_jobs_queue(tmp_path: Path, own_redis) -> None:  # type: ignore[no-untyped-def]
    url, process = own_redis
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
