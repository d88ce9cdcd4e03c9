"""Rendering many documents on all cores, into a folder or a zip.

The input is a list of ``DocumentJob``: a unique name, a document kind and JSON-able
parameters the worker turns into a context (``build_job``). Workers read definitions from the
registry and keep their own compiled templates, so the parent only ships small dicts and
receives bytes or paths. A failing job is reported with its error and does not stop the rest.
Where the jobs come from (files, the case database) is the caller's business.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from forms_service.answers import evaluate
from forms_service.definitions.functions import FUNCTIONS, register_functions
from forms_service.definitions.loader import (
    content_hash,
    load_definition_data,
    load_definition_file,
)
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import default_registry
from forms_service.documents.brochure import brochure_context, get_brochure
from forms_service.documents.context import (
    CaseFacts,
    blank_form_context,
    case_form_context,
    guidance_context,
)
from forms_service.documents.kinds import template_for
from forms_service.documents.pdf import convert_to_pdf

_SAFE_NAME = re.compile(r"[^0-9A-Za-zÆØÅæøå_.@-]+")
CHUNK = 8


@dataclass(frozen=True, slots=True)
class DocumentJob:
    """One document: ``name`` becomes the file name, ``params`` build the context.

    Parameters by kind (all JSON-able):

    - ``case_form``: ``form``, ``version`` (with ``definition_path`` or ``definition``, see
      ``definition_params``), ``answers``, optional
      ``case`` (``CaseFacts`` fields), ``completeness`` (report as a dict), ``today``
      (``YYYY-MM-DD``), ``mask_cpr``, ``with_completeness`` (evaluate the report here),
      ``documents`` (the uploaded files listed in the form: filename, content_type, size, sha256);
    - ``guidance`` / ``blank_form``: ``form``, ``version`` (or ``definition_path``);
    - ``brochure``: optional ``version`` and ``year`` (the year it is printed for: amounts and
      contribution rates of that year).
    """

    name: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentJob:
        return cls(str(data["name"]), str(data["kind"]), dict(data.get("params") or {}))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class JobResult:
    name: str
    files: tuple[str, ...] = ()  # names written (in the folder or the zip)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BulkResult:
    output: Path
    total: int
    done: list[JobResult] = field(default_factory=list)
    failed: list[JobResult] = field(default_factory=list)


ProgressCallback = Callable[[JobResult, int, int], None]


def safe_name(name: str) -> str:
    cleaned = _SAFE_NAME.sub("_", name).strip("._")
    return cleaned[:150] or "dokument"


# -- building one job (runs in the worker) --------------------------------------------------


def definition_params(form: str, version: str, registry: Any = None) -> dict[str, Any]:
    """Where a worker finds ``form@version``: the file when the registry has one, else the
    definition itself (a version published in the editor lives in the database, which a
    worker process — forked, from a fork server, on another machine — need not reach)."""
    registry = registry if registry is not None else default_registry()
    params: dict[str, Any] = {"form": form, "version": version}
    path_of = getattr(registry, "path_of", None)
    if path_of is not None and path_of(form, version).exists():
        params["definition_path"] = str(path_of(form, version).resolve())
    else:
        params["definition"] = plain_data(registry.get(form, version).raw)
    return params


def plain_data(value: Any) -> Any:
    """A loaded definition's raw JSON (read-only mappings, tuples) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    return value


@lru_cache(maxsize=64)
def _definition_from_path(path: str, mtime: float) -> FormDefinition:
    return load_definition_file(path)


_shipped: dict[str, FormDefinition] = {}


def _definition_from_data(data: Mapping[str, Any]) -> FormDefinition:
    key = content_hash(data)
    definition = _shipped.get(key)
    if definition is None:
        source = f"{data.get('form')}/{data.get('version')}.json (job)"
        definition = _shipped[key] = load_definition_data(data, source)
    return definition


def resolve_definition(params: Mapping[str, Any]) -> FormDefinition:
    path = params.get("definition_path")
    if path:
        return _definition_from_path(str(path), os.stat(path).st_mtime)
    if params.get("definition"):
        return _definition_from_data(params["definition"])
    return default_registry().get(str(params["form"]), str(params["version"]))


def build_job(job: DocumentJob) -> dict[str, Any]:
    """The template context of a job (the kind's builder applied to its parameters)."""
    p = job.params
    today = dt.date.fromisoformat(p["today"]) if p.get("today") else None
    if job.kind == "case_form":
        definition = resolve_definition(p)
        # one evaluation serves the completeness report and the document
        evaluation = evaluate(definition, p.get("answers") or {}, today=today or dt.date.today())
        completeness = p.get("completeness")
        if completeness is None and p.get("with_completeness"):
            from forms_service.completeness import evaluate_completeness_for

            completeness = evaluate_completeness_for(evaluation)
        return case_form_context(
            definition,
            evaluation,
            case=CaseFacts.from_mapping(p["case"]) if p.get("case") else None,
            completeness=completeness,
            mask_cpr=bool(p.get("mask_cpr")),
            today=today,
            documents=p.get("documents") or (),
        )
    if job.kind == "guidance":
        return guidance_context(resolve_definition(p), generated=today)
    if job.kind == "blank_form":
        return blank_form_context(resolve_definition(p), generated=today)
    if job.kind == "brochure":
        return brochure_context(get_brochure(p.get("version")), generated=today, year=p.get("year"))
    raise ValueError(f"ukendt dokumenttype '{job.kind}'")


def render_job(job: DocumentJob) -> bytes:
    return template_for(job.kind).render(build_job(job))


def _run_one(job: DocumentJob, folder: str | None, pdf: bool) -> tuple[JobResult, dict[str, bytes]]:
    """Render one job; with ``folder`` write the files there, else return their bytes."""
    name = safe_name(job.name)
    try:
        data = render_job(job)
        files = {f"{name}.docx": data}
        if pdf:
            with tempfile.TemporaryDirectory(prefix="forms-service-pdf-") as tmp:
                source = Path(tmp) / f"{name}.docx"
                source.write_bytes(data)
                files[f"{name}.pdf"] = convert_to_pdf(source, Path(tmp)).read_bytes()
    except Exception as exc:  # one bad case must not stop the run
        return JobResult(job.name, error=f"{type(exc).__name__}: {exc}"), {}
    if folder is None:
        return JobResult(job.name, tuple(files)), files
    for file_name, content in files.items():
        target = Path(folder) / file_name
        partial = target.with_name(f".{file_name}.part")
        partial.write_bytes(content)
        partial.replace(target)
    return JobResult(job.name, tuple(files)), {}


def _run_chunk(
    jobs: Sequence[DocumentJob], folder: str | None, pdf: bool
) -> list[tuple[JobResult, dict[str, bytes]]]:
    return [_run_one(job, folder, pdf) for job in jobs]


# -- the run (parent) -----------------------------------------------------------------------


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _chunks(jobs: Iterable[DocumentJob], size: int) -> Iterator[list[DocumentJob]]:
    chunk: list[DocumentJob] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_unique_names(jobs: Sequence[DocumentJob]) -> None:
    seen: set[str] = set()
    for job in jobs:
        name = safe_name(job.name)
        if name in seen:
            raise ValueError(f"to dokumenter ville få samme filnavn: '{name}'")
        seen.add(name)


def run_bulk(
    jobs: Sequence[DocumentJob],
    output: str | os.PathLike[str],
    *,
    workers: int | None = None,
    pdf: bool = False,
    progress: ProgressCallback | None = None,
    chunk_size: int = CHUNK,
) -> BulkResult:
    """Render ``jobs`` into ``output``: a folder, or a zip when the name ends in ``.zip``.

    ``workers`` processes (default: all cores; 1 renders in this process). At most a few
    chunks per worker are in flight, so memory stays flat however many jobs there are.
    """
    check_unique_names(jobs)
    target = Path(output)
    as_zip = target.suffix.lower() == ".zip"
    if as_zip:
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)
    result = BulkResult(target, len(jobs))
    workers = workers or default_workers()
    folder = None if as_zip else str(target)

    # the zip is written under a temporary name, so a half-made zip is never taken for a result
    partial = target.with_name(f".{target.name}.part")
    archive = zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) if as_zip else None
    count = 0

    def collect(items: list[tuple[JobResult, dict[str, bytes]]]) -> None:
        nonlocal count
        for job_result, files in items:
            count += 1
            if archive is not None:
                for file_name, content in files.items():
                    # .docx is compressed already; storing keeps the parent cheap
                    archive.writestr(file_name, content)
            (result.done if job_result.ok else result.failed).append(job_result)
            if progress is not None:
                progress(job_result, count, len(jobs))

    try:
        if workers == 1:
            for chunk in _chunks(jobs, chunk_size):
                collect(_run_chunk(chunk, folder, pdf))
        else:
            _run_pool(jobs, workers, folder, pdf, chunk_size, collect)
    except BaseException:
        if archive is not None:
            archive.close()
            partial.unlink(missing_ok=True)
        raise
    if archive is not None:
        archive.close()
        partial.replace(target)
    return result


def _run_pool(
    jobs: Sequence[DocumentJob],
    workers: int,
    folder: str | None,
    pdf: bool,
    chunk_size: int,
    collect: Callable[[list[tuple[JobResult, dict[str, bytes]]]], None],
) -> None:
    # A single-threaded parent (the CLI) forks: workers start at once and inherit the loaded
    # definitions and compiled templates. Forking a threaded process (the web app, an RQ
    # worker with its heartbeat) can deadlock, so there workers come from a fork server.
    if threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["forms_service.documents.bulk"])
    pending: dict[Future[list[tuple[JobResult, dict[str, bytes]]]], list[DocumentJob]] = {}
    chunks = _chunks(jobs, chunk_size)
    # a worker from the fork server starts without the parent's wiring: it gets the functions
    # the parent's definitions may call (the domain's, registered by forms_service.wiring)
    library = dict(FUNCTIONS)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=register_functions,
        initargs=(library,),
    ) as pool:
        for chunk in chunks:
            pending[pool.submit(_run_chunk, chunk, folder, pdf)] = chunk
            if len(pending) >= workers * 3:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    collect(_outcome(future, pending.pop(future)))
        for future in list(pending):
            collect(_outcome(future, pending.pop(future)))


def _outcome(
    future: Future[list[tuple[JobResult, dict[str, bytes]]]], chunk: list[DocumentJob]
) -> list[tuple[JobResult, dict[str, bytes]]]:
    try:
        return future.result()
    except Exception as exc:  # a worker died: its chunk is reported, the run goes on
        return [(JobResult(job.name, error=f"{type(exc).__name__}: {exc}"), {}) for job in chunk]
