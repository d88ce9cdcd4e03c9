"""Bulk document runs as background jobs, with progress and output in the database.

A web request must not wait for hundreds of documents. ``submit_bulk`` records the job in the
``document_jobs`` table and hands the run to:

- an RQ queue (``documents``) when ``FORMS_SERVICE_REDIS_URL`` is set: any number of
  ``forms-service worker`` processes, on any machine, take the runs;
- otherwise a background thread in this process, which drives the local process pool
  (``bulk.run_bulk``).

Either way the runner writes progress, and at the end the zip, into the job's row, so every
app instance and every worker reads the same job whatever its instance folder or disk: the
instances share nothing but the database (and Redis). ``job_status`` and ``job_output`` read
the row.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, defer

from forms_service.documents.bulk import DocumentJob, JobResult, run_bulk
from forms_service.documents.models import DocumentJobRow

ENV_REDIS_URL = "FORMS_SERVICE_REDIS_URL"
QUEUE_NAME = "documents"
JOB_TIMEOUT_SECONDS = 6 * 3600
OUTPUT_NAME = "dokumenter.zip"
_ID = re.compile(r"^[0-9a-f]{32}$")
_SAVE_EVERY = 10  # progress is written every few documents, not after each one
KEEP_FINISHED = dt.timedelta(days=7)  # finished jobs (and their zips) are removed after this
logger = logging.getLogger(__name__)


@dataclass
class JobStatus:
    id: str
    title: str
    state: str  # queued | running | finished | failed
    total: int
    done: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    output: str | None = None  # file name of the finished zip
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
    def of_row(cls, row: DocumentJobRow) -> JobStatus:
        return cls(
            id=row.id,
            title=row.title,
            state=row.state,
            total=row.total,
            done=row.done,
            failed=row.failed,
            errors=list(row.errors or []),
            output=row.output_name,
            message=row.message,
            created_at=_iso(row.created_at) or "",
            finished_at=_iso(row.finished_at),
            backend=row.backend,
            owner=row.owner_id,
        )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def redis_url(explicit: str | None = None) -> str | None:
    import os

    return explicit or os.environ.get(ENV_REDIS_URL) or None


# -- the database, from a URL (a worker has nothing else) -----------------------------------

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _engine(database_url: str) -> Engine:
    from forms_service.cases import db as cases_db

    with _engines_lock:
        engine = _engines.get(database_url)
        if engine is None:
            engine = _engines[database_url] = cases_db.make_engine(database_url)
        return engine


def _session(database_url: str) -> Session:
    return Session(_engine(database_url), expire_on_commit=False)


# -- running a job (in a worker or a local thread) ------------------------------------------


def run_bulk_job(
    job_id: str,
    jobs: Sequence[dict[str, Any]],
    database_url: str,
    workers: int | None = None,
) -> dict[str, Any]:
    """Run one bulk job, its progress and zip into its row; the function RQ workers execute."""
    try:
        from rq import get_current_job

        backend = "rq" if get_current_job() is not None else "local"
    except Exception:  # not inside an RQ worker
        backend = "local"
    done = failed = 0
    errors: list[dict[str, str]] = []

    def save(**values: Any) -> None:
        with _session(database_url) as session:
            session.execute(
                update(DocumentJobRow).where(DocumentJobRow.id == job_id).values(**values)
            )
            session.commit()

    save(state="running", backend=backend)

    def progress(result: JobResult, count: int, total: int) -> None:
        nonlocal done, failed
        if result.ok:
            done += 1
        else:
            failed += 1
            errors.append({"name": result.name, "error": result.error or ""})
        if count % _SAVE_EVERY == 0 or count == total:
            save(done=done, failed=failed, errors=list(errors))

    try:
        document_jobs = [DocumentJob.from_dict(j) for j in jobs]
        with tempfile.TemporaryDirectory(prefix="forms-service-job-") as folder:
            output = Path(folder) / OUTPUT_NAME
            run_bulk(document_jobs, output, workers=workers, progress=progress)
            data = output.read_bytes()
        values: dict[str, Any] = {
            "state": "finished",
            "output": data,
            "output_name": OUTPUT_NAME,
            "message": f"{done} dokumenter lavet, {failed} fejlede.",
        }
    except Exception as exc:
        values = {"state": "failed", "message": f"Kørslen stoppede: {type(exc).__name__}: {exc}"}
    save(done=done, failed=failed, errors=errors, finished_at=_now(), **values)
    with _session(database_url) as session:
        row = session.get(DocumentJobRow, job_id, options=[defer(DocumentJobRow.output)])
        return JobStatus.of_row(row).to_dict() if row is not None else {}


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
    database_url: str,
    redis: str | None = None,
    workers: int | None = None,
    owner: int | None = None,
) -> str:
    """Record a bulk run and start it in the background; returns its job id at once."""
    prune_finished_jobs(database_url)
    job_id = uuid.uuid4().hex
    payload = [j.to_dict() for j in jobs]
    url = redis_url(redis)
    with _session(database_url) as session:
        session.add(
            DocumentJobRow(
                id=job_id,
                title=title,
                state="queued",
                total=len(payload),
                errors=[],
                backend="rq" if url else "local",
                owner_id=owner,
                created_at=_now(),
            )
        )
        session.commit()
    args = (job_id, payload, database_url, workers)
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
                result_ttl=24 * 3600,
                description=f"documents: {title}",
            )
            return job_id
        except (RedisConnectionError, RedisTimeoutError) as error:
            # Redis gone: the job runs here instead of waiting for a queue no one can reach
            logger.warning("Redis unavailable (%s); document job runs locally", error)
            with _session(database_url) as session:
                session.execute(
                    update(DocumentJobRow)
                    .where(DocumentJobRow.id == job_id)
                    .values(backend="local")
                )
                session.commit()
    _local_executor().submit(run_bulk_job, *args)
    return job_id


def _redis(url: str) -> Any:
    """A Redis client that fails within seconds instead of hanging when Redis is gone."""
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)


def prune_finished_jobs(database_url: str, keep: dt.timedelta = KEEP_FINISHED) -> int:
    """Remove the jobs (and zips) that finished more than ``keep`` ago; returns how many."""
    with _session(database_url) as session:
        result = session.execute(
            delete(DocumentJobRow).where(DocumentJobRow.finished_at < _now() - keep)
        )
        session.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def job_status(job_id: str, *, database_url: str, redis: str | None = None) -> JobStatus | None:
    """The progress of a job, or None when there is no such job."""
    if not _ID.match(job_id):
        return None
    with _session(database_url) as session:
        row = session.get(DocumentJobRow, job_id, options=[defer(DocumentJobRow.output)])
        if row is None:
            return None
        status = JobStatus.of_row(row)
    url = redis_url(redis)
    if url and status.backend == "rq" and not status.finished:
        # a worker killed mid-run never writes "failed": RQ knows
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            if Job.fetch(job_id, connection=_redis(url)).is_failed:
                status.state, status.message = "failed", "Jobbet fejlede i arbejdsprocessen."
        except (NoSuchJobError, RedisConnectionError, RedisTimeoutError):
            pass  # Redis gone: the row is the last known state
    return status


def job_output(job_id: str, *, database_url: str) -> bytes | None:
    """The zip of a finished job, from the database."""
    if not _ID.match(job_id):
        return None
    with _session(database_url) as session:
        return session.scalar(select(DocumentJobRow.output).where(DocumentJobRow.id == job_id))
