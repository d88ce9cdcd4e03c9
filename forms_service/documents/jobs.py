"""Bulk document runs as background jobs, with progress readable by job id.

A web request must not wait for hundreds of documents. ``submit_bulk`` hands the run to:

- an RQ queue (``documents``) when ``FORMS_SERVICE_REDIS_URL`` is set: any number of
  ``forms-service worker`` processes, on any machine, take the runs; progress lives in the RQ
  job's meta in Redis and the zip in the jobs folder (shared storage when workers run on other
  machines);
- otherwise a background thread in this process, which drives the local process pool
  (``bulk.run_bulk``); progress lives in ``status.json`` in the job's folder.

``job_status(job_id)`` reads either the same way. The jobs folder is
``FORMS_SERVICE_DOCUMENT_JOBS_DIR``, else ``<instance>/document_jobs``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from forms_service.documents.bulk import DocumentJob, JobResult, run_bulk

logger = logging.getLogger(__name__)

ENV_REDIS_URL = "FORMS_SERVICE_REDIS_URL"
ENV_JOBS_DIR = "FORMS_SERVICE_DOCUMENT_JOBS_DIR"
QUEUE_NAME = "documents"
JOB_TIMEOUT_SECONDS = 6 * 3600
_ID = re.compile(r"^[0-9a-f]{32}$")
_SAVE_EVERY = 10  # progress is written every few documents, not after each one
KEEP_FINISHED = dt.timedelta(days=7)  # finished jobs (and their zips) are removed after this


@dataclass
class JobStatus:
    id: str
    title: str
    state: str  # queued | running | finished | failed
    total: int
    done: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    output: str | None = None  # file name of the zip inside the job's folder
    message: str | None = None
    created_at: str = ""
    finished_at: str | None = None
    backend: str = "local"
    owner: int | None = None  # the user who started it (the web shows a job to its owner)

    @property
    def finished(self) -> bool:
        return self.state in ("finished", "failed")

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * (self.done + self.failed) / self.total)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"percent": self.percent, "finished": self.finished}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobStatus:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def jobs_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    configured = os.environ.get(ENV_JOBS_DIR)
    if configured:
        return Path(configured)
    from forms_service.cases.db import instance_path

    return instance_path() / "document_jobs"


def redis_url(explicit: str | None = None) -> str | None:
    return explicit or os.environ.get(ENV_REDIS_URL) or None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def job_folder(job_id: str, root: Path) -> Path:
    if not _ID.match(job_id):
        raise KeyError(job_id)
    return root / job_id


# -- progress sinks -------------------------------------------------------------------------


class _FileSink:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "status.json"

    def save(self, status: JobStatus) -> None:
        partial = self.path.with_suffix(".part")
        partial.write_text(json.dumps(status.to_dict(), ensure_ascii=False), encoding="utf-8")
        partial.replace(self.path)


class _RqSink(_FileSink):
    def __init__(self, folder: Path, job: Any) -> None:
        super().__init__(folder)
        self.job = job

    def save(self, status: JobStatus) -> None:
        super().save(status)
        self.job.meta["status"] = status.to_dict()
        self.job.save_meta()


# -- running a job (in a worker or a local thread) ------------------------------------------


def run_bulk_job(
    job_id: str,
    title: str,
    jobs: Sequence[dict[str, Any]],
    root: str,
    workers: int | None = None,
    owner: int | None = None,
) -> dict[str, Any]:
    """Run one bulk job and record its progress; this is the function RQ workers execute."""
    folder = job_folder(job_id, Path(root))
    folder.mkdir(parents=True, exist_ok=True)
    sink: _FileSink = _FileSink(folder)
    backend = "local"
    try:
        from rq import get_current_job

        current = get_current_job()
    except Exception:  # not inside an RQ worker
        current = None
    if current is not None:
        sink, backend = _RqSink(folder, current), "rq"
    status = JobStatus(
        job_id, title, "running", len(jobs), created_at=_now(), backend=backend, owner=owner
    )
    sink.save(status)

    def progress(result: JobResult, done: int, total: int) -> None:
        if result.ok:
            status.done += 1
        else:
            status.failed += 1
            status.errors.append({"name": result.name, "error": result.error or ""})
        if done % _SAVE_EVERY == 0 or done == total:
            sink.save(status)

    try:
        document_jobs = [DocumentJob.from_dict(j) for j in jobs]
        output = folder / "dokumenter.zip"
        run_bulk(document_jobs, output, workers=workers, progress=progress)
        status.output = output.name
        status.state = "finished"
        status.message = f"{status.done} dokumenter lavet, {status.failed} fejlede."
    except Exception as exc:
        status.state = "failed"
        status.message = f"Kørslen stoppede: {type(exc).__name__}: {exc}"
    status.finished_at = _now()
    sink.save(status)
    return status.to_dict()


_local_pool: ThreadPoolExecutor | None = None
_local_lock = threading.Lock()


def _local_executor() -> ThreadPoolExecutor:
    # one run at a time per process: each run already uses every core
    global _local_pool
    with _local_lock:
        if _local_pool is None:
            _local_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="documents")
        return _local_pool


def submit_bulk(
    jobs: Sequence[DocumentJob],
    *,
    title: str,
    root: str | os.PathLike[str] | None = None,
    redis: str | None = None,
    workers: int | None = None,
    owner: int | None = None,
) -> str:
    """Start a bulk run in the background; returns its job id at once."""
    folder_root = jobs_root(root)
    prune_finished_jobs(folder_root)
    job_id = uuid.uuid4().hex
    folder = job_folder(job_id, folder_root)
    folder.mkdir(parents=True)
    payload = [j.to_dict() for j in jobs]
    url = redis_url(redis)
    status = JobStatus(
        job_id,
        title,
        "queued",
        len(payload),
        created_at=_now(),
        backend="rq" if url else "local",
        owner=owner,
    )
    _FileSink(folder).save(status)
    args = (job_id, title, payload, str(folder_root), workers, owner)
    if url:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=_redis(url))
        try:
            queue.enqueue_call(
                run_bulk_job,
                args=args,
                job_id=job_id,
                timeout=JOB_TIMEOUT_SECONDS,
                result_ttl=7 * 24 * 3600,
                meta={"status": status.to_dict()},
                description=f"documents: {title}",
            )
            return job_id
        except (RedisConnectionError, RedisTimeoutError) as error:
            # Redis gone: the job runs here instead of waiting for a queue no one can reach
            logger.warning("Redis unavailable (%s); document job runs locally", error)
            status.backend = "local"
            _FileSink(folder).save(status)
    _local_executor().submit(run_bulk_job, *args)
    return job_id


def _redis(url: str) -> Any:
    """A Redis client that fails within seconds instead of hanging when Redis is gone."""
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)


def prune_finished_jobs(root: Path, keep: dt.timedelta = KEEP_FINISHED) -> list[str]:
    """Remove the folders of jobs that finished more than ``keep`` ago; returns their ids."""
    removed: list[str] = []
    if not root.is_dir():
        return removed
    limit = dt.datetime.now(dt.UTC) - keep
    for folder in root.iterdir():
        path = folder / "status.json"
        if not _ID.match(folder.name) or not path.is_file():
            continue
        try:
            finished_at = json.loads(path.read_text(encoding="utf-8")).get("finished_at")
            finished = dt.datetime.fromisoformat(finished_at) if finished_at else None
        except (ValueError, OSError):
            continue
        if finished is not None and finished < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def job_status(
    job_id: str, *, root: str | os.PathLike[str] | None = None, redis: str | None = None
) -> JobStatus | None:
    """The progress of a job, or None when there is no such job."""
    try:
        folder = job_folder(job_id, jobs_root(root))
    except KeyError:
        return None
    url = redis_url(redis)
    if url:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(job_id, connection=_redis(url))
        except (NoSuchJobError, RedisConnectionError, RedisTimeoutError):
            job = None  # Redis gone: the status file below is the last known state
        if job is not None:
            data = dict(job.get_meta(refresh=True).get("status") or {})
            if data:
                status = JobStatus.from_dict(data)
                if job.is_failed and not status.finished:
                    status.state, status.message = "failed", "Jobbet fejlede i arbejdsprocessen."
                return status
    path = folder / "status.json"
    if not path.exists():
        return None
    return JobStatus.from_dict(json.loads(path.read_text(encoding="utf-8")))


def job_output(job_id: str, *, root: str | os.PathLike[str] | None = None) -> Path | None:
    """The zip of a finished job, when it is in this machine's jobs folder."""
    try:
        path = job_folder(job_id, jobs_root(root)) / "dokumenter.zip"
    except KeyError:
        return None
    return path if path.exists() else None
