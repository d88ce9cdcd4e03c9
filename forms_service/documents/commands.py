"""``forms-service documents …``: single documents, template checks and bulk runs."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # the engine is imported by the command that runs, not for --help
    from forms_service.documents.bulk import DocumentJob, JobResult


@click.group("documents")
def documents() -> None:
    """Word-dokumenter: udfyldt skema, vejledning, blankt skema og pjece."""


@documents.command("check")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None)
def check(templates: Path | None) -> None:
    """Kontrollér skabelonerne (Jinja-syntaks, variable konteksten ikke har) og pjecerne."""
    from forms_service.documents.brochure import BrochureError, brochure_versions, get_brochure
    from forms_service.documents.kinds import check_templates, templates_dir

    problems: list[str] = [str(p) for p in check_templates(templates)]
    for version in brochure_versions():
        try:
            get_brochure(version)
        except BrochureError as exc:
            problems += exc.problems
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(
        f"Alle skabeloner i {templates or templates_dir()} og alle pjeceversioner er i orden."
    )


def _definition_params(ref: str) -> dict[str, Any]:
    from forms_service.documents.bulk import definition_params

    path = Path(ref)
    if path.suffix == ".json":
        return {"definition_path": str(path.resolve())}
    form, sep, version = ref.partition("@")
    if not sep:
        raise click.BadParameter(
            "brug FORMULAR@VERSION, fx sagsoplysningsskema@1.0.0, eller en fil"
        )
    from forms_service.definitions.registry import UnknownFormError, default_registry

    registry = default_registry()  # the files and the versions published in the editor
    try:
        if version == "latest":
            version = registry.latest(form).version
        return definition_params(form, version, registry)
    except UnknownFormError as error:
        raise click.BadParameter(str(error)) from None


def _render_single(job: DocumentJob, out: Path, pdf: bool) -> None:
    from forms_service.documents.bulk import DocumentJob, run_bulk

    _require_pdf_if(pdf)
    folder = out.parent
    result = run_bulk([DocumentJob(out.stem, job.kind, job.params)], folder, workers=1, pdf=pdf)
    if result.failed:
        raise click.ClickException(result.failed[0].error or "ukendt fejl")
    for name in result.done[0].files:
        click.echo(str(folder / name))


def _require_pdf_if(pdf: bool) -> None:
    from forms_service.documents.pdf import PdfUnavailableError, require_pdf

    if pdf:
        try:
            require_pdf()
        except PdfUnavailableError as exc:
            raise click.ClickException(str(exc)) from None


_out = click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help=".docx"
)
_pdf = click.option("--pdf", is_flag=True, help="Lav også PDF (kræver LibreOffice).")


@documents.command("guidance")
@click.argument("definition")
@_out
@_pdf
def guidance(definition: str, out: Path, pdf: bool) -> None:
    """Vejledning til en skemaversion (FORMULAR@VERSION eller en definitionsfil)."""
    from forms_service.documents.bulk import DocumentJob

    _render_single(DocumentJob(out.stem, "guidance", _definition_params(definition)), out, pdf)


@documents.command("blank")
@click.argument("definition")
@_out
@_pdf
def blank(definition: str, out: Path, pdf: bool) -> None:
    """Blankt skema for en skemaversion."""
    from forms_service.documents.bulk import DocumentJob

    _render_single(DocumentJob(out.stem, "blank_form", _definition_params(definition)), out, pdf)


@documents.command("brochure")
@click.option("--version", "version", default=None, help="Pjeceversion (standard: nyeste).")
@click.option(
    "--aar", "year", type=int, default=None, help="Året, pjecen trykkes til (standard: i år)."
)
@_out
@_pdf
def brochure(version: str | None, year: int | None, out: Path, pdf: bool) -> None:
    """Udkast til borgerpjecen om seniorpension."""
    from forms_service.documents.brochure import get_brochure
    from forms_service.documents.bulk import DocumentJob

    get_brochure(version)  # fail early with the loader's message
    params = {"version": version, "year": year}
    _render_single(DocumentJob(out.stem, "brochure", params), out, pdf)


@documents.command("case-form")
@click.argument("definition")
@click.option(
    "--answers", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True
)
@click.option("--case", "case_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--today", default=None, help="Evalueringsdato ÅÅÅÅ-MM-DD (standard: i dag).")
@click.option("--mask-cpr", is_flag=True, help="Vis kun fødselsdatoen af CPR-nummeret.")
@click.option("--with-completeness", is_flag=True, help="Medtag fuldstændighedsrapporten.")
@_out
@_pdf
def case_form(
    definition: str,
    answers: Path,
    case_file: Path | None,
    today: str | None,
    mask_cpr: bool,
    with_completeness: bool,
    out: Path,
    pdf: bool,
) -> None:
    """Det udfyldte sagsoplysningsskema for et svar-dokument (JSON)."""
    from forms_service.documents.bulk import DocumentJob

    params = _definition_params(definition)
    params["answers"] = json.loads(answers.read_text(encoding="utf-8"))
    if case_file:
        params["case"] = json.loads(case_file.read_text(encoding="utf-8"))
    if today:
        params["today"] = today
    params["mask_cpr"] = mask_cpr
    if with_completeness:
        params["with_completeness"] = True
    _render_single(DocumentJob(out.stem, "case_form", params), out, pdf)


def _read_jobs(path: Path) -> list[DocumentJob]:
    from forms_service.documents.bulk import DocumentJob

    text = path.read_text(encoding="utf-8") if str(path) != "-" else sys.stdin.read()
    stripped = text.lstrip()
    if stripped.startswith("["):
        items = json.loads(text)
    else:  # JSON lines
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    try:
        return [DocumentJob.from_dict(item) for item in items]
    except (KeyError, TypeError) as exc:
        raise click.ClickException(
            f"{path}: hvert job skal have 'name' og 'kind' ({exc})"
        ) from None


def _with_definitions(jobs: list[DocumentJob], database_url: str | None) -> list[DocumentJob]:
    """Jobs naming ``form`` and ``version`` get where the workers find it (a file, or the
    definition itself for a version published in the editor); an unknown version is left for
    its job to fail with."""
    from forms_service.definitions.registry import UnknownFormError, registry_for
    from forms_service.documents.bulk import DocumentJob, definition_params

    registry = registry_for(database_url)
    shipped = []
    for job in jobs:
        p = job.params
        if (
            p.get("form")
            and p.get("version")
            and not (p.get("definition_path") or p.get("definition"))
        ):
            with contextlib.suppress(UnknownFormError):
                job = DocumentJob(
                    job.name,
                    job.kind,
                    {**p, **definition_params(str(p["form"]), str(p["version"]), registry)},
                )
        shipped.append(job)
    return shipped


@documents.command("bulk")
@click.option(
    "--jobs",
    "jobs_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="JSON-liste eller JSON-linjer med {name, kind, params}.",
)
@click.option("--municipality", type=int, help="Alle indsendte sager i en kommune (kommunekode).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    help="Sagsstatus ved --municipality (standard: submitted, sufficiently_informed og decided).",
)
@click.option("--database-url", default=None, help="Standard: FORMS_SERVICE_DATABASE_URL.")
@click.option("--mask-cpr", is_flag=True, help="Vis kun fødselsdatoen af CPR-nummeret.")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="En mappe, eller en .zip-fil.",
)
@click.option("--workers", type=int, default=None, help="Antal processer (standard: alle kerner).")
@click.option(
    "--with-files",
    is_flag=True,
    help="Læg sagernes uploadede dokumenter og seneste kvittering (PDF/A) med (kun --municipality).",
)
@_pdf
def bulk(
    jobs_file: Path | None,
    municipality: int | None,
    statuses: tuple[str, ...],
    database_url: str | None,
    mask_cpr: bool,
    out: Path,
    workers: int | None,
    pdf: bool,
    with_files: bool,
) -> None:
    """Lav mange dokumenter på alle kerner, i en mappe eller en zip-fil.

    Et dokument, der fejler, bliver meldt og stopper ikke resten; afslutningskoden er 1,
    hvis mindst ét fejlede.
    """
    from forms_service.documents.bulk import default_workers, run_bulk

    _require_pdf_if(pdf)
    if (jobs_file is None) == (municipality is None):
        raise click.UsageError("angiv enten --jobs eller --municipality")
    if with_files and municipality is None:
        raise click.UsageError("--with-files kræver --municipality")
    if jobs_file is not None:
        jobs = _with_definitions(_read_jobs(jobs_file), database_url)
    else:
        from forms_service.documents.case_jobs import case_form_jobs_for_municipality

        jobs = case_form_jobs_for_municipality(
            municipality or 0,
            statuses=statuses or None,
            database_url=database_url,
            mask_cpr=mask_cpr,
        )
    if not jobs:
        click.echo("Ingen dokumenter at lave.")
        return
    workers = workers or default_workers()
    click.echo(f"{len(jobs)} dokumenter med {workers} processer → {out}", err=True)
    failures: list[JobResult] = []
    with click.progressbar(length=len(jobs), label="Dokumenter", file=sys.stderr) as bar:

        def progress(result: JobResult, done: int, total: int) -> None:
            bar.update(1)
            if not result.ok:
                failures.append(result)

        result = run_bulk(jobs, out, workers=workers, pdf=pdf, progress=progress)
    for failure in failures:
        click.echo(f"FEJL {failure.name}: {failure.error}", err=True)
    if with_files:
        files = _add_case_files(out, municipality or 0, statuses, database_url)
        click.echo(f"{files} uploadede dokumenter og kvitteringer lagt med", err=True)
    click.echo(f"{len(result.done)} lavet, {len(result.failed)} fejlede → {result.output}")
    if result.failed:
        raise SystemExit(1)


def _add_case_files(
    out: Path, municipality: int, statuses: tuple[str, ...], database_url: str | None
) -> int:
    from sqlalchemy import select

    from forms_service.attachments.package import add_case_files
    from forms_service.attachments.settings import AttachmentSettings
    from forms_service.attachments.store import make_store
    from forms_service.cases import db as cases_db
    from forms_service.cases.models import Case
    from forms_service.documents.case_jobs import SUBMITTED_STATUSES

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        session = cases_db.make_session_factory(engine)()
        try:
            case_ids = session.scalars(
                select(Case.id).where(
                    Case.municipality_code == municipality,
                    Case.status.in_(statuses or SUBMITTED_STATUSES),
                )
            ).all()
            store = make_store(AttachmentSettings.from_config({}).folder, engine)
            return add_case_files(out, session, store, list(case_ids))
        finally:
            session.close()
    finally:
        engine.dispose()
