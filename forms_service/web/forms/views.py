"""The case form a municipal caseworker fills in, and the preview of any definition version.

``/cases/<id>/form``           GET shows the latest answers; POST ``action`` = draft | submit |
                               add_row:<repeat> | remove_row:<repeat>:<i> | refresh
``/cases/<id>/form/refresh``   POST (JavaScript): the sections re-rendered, as JSON
``/cases/<id>/form/effort``    POST (JavaScript): seconds spent per section (issue 19)
``/forms/<form>/<version>/preview`` (and ``/refresh``): the same rendering with test answers,
                               nothing stored

The views parse, call the core (through ``flow``) and the case service, and render; the rules
live in ``forms_service.answers``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from jinja2 import TemplateNotFound
from markupsafe import Markup

from forms_service.cases.errors import AnswersInvalidError, CaseLockedError, StaleRevisionError
from forms_service.cases.lifecycle import MUNICIPALITY_EDITABLE, Status
from forms_service.cases.models import Case
from forms_service.cases.permissions import OPEN_CASE_FORM, WRITE_ANSWERS
from forms_service.cases.version_move import answer_migration_for_form
from forms_service.definitions.model import FieldType, FormDefinition
from forms_service.definitions.registry import UnknownFormError
from forms_service.editor.permissions import PREVIEW_FORMS
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service
from forms_service.seniorpension.municipalities import municipality_by_code
from forms_service.web.cases.panels import add_case_panel
from forms_service.web.forms.builder import build_form
from forms_service.web.forms.flow import (
    Round,
    UnknownActionError,
    changed_fields,
    run_round,
)
from forms_service.web.forms.render import PREVIEW, READONLY
from forms_service.web.markdown import render_markdown

bp = Blueprint("forms", __name__)
bp.record_once(lambda state: add_case_panel(state.app, "forms/_case_panel.html", order=10))


@bp.app_template_filter("guidance_markdown")
def guidance_markdown(text: str | None, heading_level: int = 2) -> Markup:
    return render_markdown(text, heading_level=heading_level)


@bp.app_template_global("case_form_editable")
def case_form_editable(case: Case) -> bool:
    return _editable(case)


CASE_BUTTONS = [
    ("draft", "Gem kladde", "button-secondary"),
    ("submit", "Indsend til Seniorpension", "button-primary"),
    ("refresh", "Opdater spørgsmålene", "button-tertiary"),
]
PREVIEW_BUTTONS = [
    ("validate", "Afprøv svarene", "button-primary"),
    ("refresh", "Opdater spørgsmålene", "button-secondary"),
]
# a page that showed a submit's problems keeps showing required answers as missing
COMPLETE_VALIDATION = "complete"


# --- the case form ---------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/form", methods=["GET", "POST"])
@requires(OPEN_CASE_FORM)
def case_form(case_id: int) -> Any:
    service = case_service()
    case = service.get_case(case_id, audit_read=request.method == "GET")
    definition = service.definition_for(case)
    today = service.today()
    if not _editable(case):
        if request.method == "POST":
            actor = current_actor()
            if WRITE_ANSWERS.allows(actor):
                # e.g. submitted in another tab: say why, rather than "no access"
                raise CaseLockedError(
                    f"Skemaet kan ikke ændres, mens sagen har status »{Status(case.status).label}«."
                    " Dine ændringer er ikke gemt."
                )
            abort(403)
        return _readonly(service, case, definition, today)

    from forms_service.http.attachments import attachment_settings
    from forms_service.http.uploads import limit_upload
    from forms_service.web.attachments import form as documents

    if request.method == "GET":
        service.form_opened(case)
        documents.prepare(case.id, editable=True)
        return _editable_page(service, case, definition, today)

    # files chosen in the form (no JavaScript) are stored first, whichever button was pressed
    limit_upload(attachment_settings().max_case_bytes)
    formdata = request.form.copy()
    refused = documents.receive(case.id, formdata, request.files)
    action = formdata.get("action", "draft")
    if action.startswith(documents.REMOVE_ACTION):
        documents.remove(case.id, action)
        action = "refresh"
    elif action.startswith("remove_row:"):
        documents.remove_row(case.id, action)
    documents.prepare(case.id, editable=True, errors=refused)
    base_revision = _int(formdata.get("base_revision"), case.revision)
    complete = action == "submit" or formdata.get("shown_validation") == COMPLETE_VALIDATION
    if action in ("draft", "submit") and not refused:
        return _save(service, case, definition, formdata, action, base_revision, complete)

    try:
        state = run_round(
            definition,
            today=today,
            formdata=formdata,
            action=action,
            complete=complete,
        )
    except UnknownActionError:
        abort(400)
    if refused and action in ("draft", "submit"):
        # keep everything on the page, store no answers: the caseworker sees what was refused
        state.page.summary[:0] = documents.summary_items(refused)
        return _render_case(case, definition, state, base_revision=base_revision, status=422)

    # add_row / remove_row / refresh: show the new state, store nothing
    return _render_case(case, definition, state, base_revision=base_revision)


def _editable_page(service: Any, case: Any, definition: Any, today: Any) -> Any:
    """The form with the case's newest answers (or the prefill of a new case)."""
    latest = service.latest_answers_of(case)
    document = dict(latest.answers) if latest else prefill(definition, case)
    # issue 7: answers of another version, or a version move not yet saved over
    migration = answer_migration_for_form(
        case, latest, current_app.extensions["forms_service.registry"]
    )
    if migration is not None:
        document = migration.answers
    state = run_round(
        definition, today=service.today(), document=document, show_problems=bool(latest)
    )
    # the introduction is open the first time; later it stays folded away
    return _render_case(
        case,
        definition,
        state,
        base_revision=case.revision,
        intro_open=latest is None,
        migration=migration,
    )


def _save(
    service: Any,
    case: Any,
    definition: Any,
    formdata: Any,
    action: str,
    base_revision: int,
    complete: bool,
) -> Any:
    """Save a draft or submit: the service evaluates the posted answers once; the page is built
    again only when the save is refused, from the service's own evaluation."""
    today = service.today()
    document = build_form(definition, formdata=formdata).answers()
    try:
        service.save_answers(
            case.id, document, base_revision=base_revision, submit=action == "submit"
        )
    except StaleRevisionError as error:
        state = run_round(definition, today=today, document=document, complete=complete)
        return _stale(case, definition, state, error, today)
    except AnswersInvalidError as error:
        state = run_round(
            definition, today=today, document=document, complete=True, result=error.result
        )
        return _render_case(case, definition, state, base_revision=base_revision, status=422)
    if action == "draft":
        flash("Kladden er gemt.", "success")
        return redirect(url_for("forms.case_form", case_id=case.id))
    flash("Skemaet er indsendt til Seniorpension.", "success")
    return redirect(url_for("cases.case_page", case_id=case.id))


@bp.route("/cases/<int:case_id>/form/refresh", methods=["POST"])
@requires(WRITE_ANSWERS)
def case_form_refresh(case_id: int) -> Any:
    service = case_service()
    case = service.get_case(case_id, audit_read=False)
    if not _editable(case):
        abort(403)
    definition = service.definition_for(case)
    complete = request.form.get("shown_validation") == COMPLETE_VALIDATION
    from forms_service.web.attachments import form as documents

    documents.prepare(case.id, editable=True)
    state = run_round(definition, today=service.today(), formdata=request.form, complete=complete)
    return jsonify(_fragments(state, checklist=True, case=case, definition=definition))


@bp.route("/cases/<int:case_id>/form/effort", methods=["POST"])
@requires(WRITE_ANSWERS)
def case_form_effort(case_id: int) -> Any:
    """Seconds per section from forms.js (``navigator.sendBeacon`` on leaving the page), as a
    form post with the CSRF token and ``times``: a JSON object {section id: seconds}."""
    try:
        times = json.loads(request.form.get("times") or "")
    except ValueError:
        abort(400)
    case_service().section_times(case_id, times)
    return "", 204


def _editable(case: Case) -> bool:
    actor = current_actor()
    return WRITE_ANSWERS.allows(actor) and Status(case.status) in MUNICIPALITY_EDITABLE


def _readonly(service: Any, case: Case, definition: FormDefinition, today: dt.date) -> Any:
    stored = service.answers_to_read(case)
    document = dict(stored.answers) if stored else {}
    state = run_round(definition, today=today, document=document, mode=READONLY)
    return render_template(
        "forms/case_form.html",
        case=case,
        definition=definition,
        state=state,
        page=state.page,
        stored=stored,
        completeness_report=_completeness(state),
        editable=False,
    )


def _render_case(
    case: Case,
    definition: FormDefinition,
    state: Round,
    *,
    base_revision: int,
    status: int = 200,
    stale: dict[str, Any] | None = None,
    intro_open: bool = False,
    migration: Any = None,
) -> Any:
    hidden = {"base_revision": base_revision}
    if state.complete and state.page.summary:
        hidden["shown_validation"] = COMPLETE_VALIDATION
    body = render_template(
        # issue 7: the same page with what a version move did not carry over at the top
        "cases/version_move_form.html" if migration else "forms/case_form.html",
        migration=migration,
        case=case,
        definition=definition,
        state=state,
        page=state.page,
        hidden=hidden,
        buttons=CASE_BUTTONS,
        refresh_url=url_for("forms.case_form_refresh", case_id=case.id),
        action_url=url_for("forms.case_form", case_id=case.id),
        completeness_report=_completeness(state),
        stale=stale,
        editable=True,
        intro_open=intro_open,
    )
    return body, status


def _stale(
    case: Case,
    definition: FormDefinition,
    state: Round,
    error: StaleRevisionError,
    today: dt.date,
) -> Any:
    """Refuse the save, keep the caseworker's answers on the page, say what differs."""
    changed = changed_fields(definition, state.document, error.current_answers or {}, today=today)
    stale = {
        "by": error.current_answers_by,
        "changed": changed,
        "revision": error.current_revision,
    }
    # the next save is based on the newest revision: the caseworker has now seen the conflict
    return _render_case(
        case, definition, state, base_revision=error.current_revision, status=409, stale=stale
    )


def _completeness(state: Round) -> Any:
    try:
        from forms_service.completeness import evaluate_completeness_for
    except ImportError:  # pragma: no cover - the completeness package is optional here
        return None
    try:
        return evaluate_completeness_for(state.evaluation)
    except Exception:  # the checklist must never take the form down with it
        current_app.logger.exception("completeness report failed")
        return None


def prefill(definition: FormDefinition, case: Case) -> dict[str, Any]:
    """A new form starts with what the case already knows (fields that exist in the version)."""
    try:
        municipality = f"{municipality_by_code(case.municipality_code).name} Kommune"
    except KeyError:
        municipality = None
    known: dict[str, Any] = {
        "sagsnummer": case.case_number,
        "ansoegningsdato": case.application_date.isoformat(),
        "anmodningsdato": case.request_date.isoformat() if case.request_date else None,
        "cpr": case.cpr,
        "navn": case.citizen_name,
        "kommune": municipality,
    }
    expected = {
        "sagsnummer": FieldType.TEXT,
        "ansoegningsdato": FieldType.DATE,
        "anmodningsdato": FieldType.DATE,
        "cpr": FieldType.CPR,
        "navn": FieldType.TEXT,
        "kommune": FieldType.TEXT,
    }
    out = {}
    for key, value in known.items():
        f = definition.field(key)
        if value is not None and f is not None and f.type is expected[key]:
            out[key] = value
    return out


# --- preview ---------------------------------------------------------------------------------


def _definition(form: str, version: str) -> FormDefinition:
    try:
        return current_app.extensions["forms_service.registry"].get(form, version)  # type: ignore[no-any-return]
    except UnknownFormError:
        abort(404)


@bp.route("/forms/<form>/<version>/preview", methods=["GET", "POST"])
@requires(PREVIEW_FORMS)
def preview(form: str, version: str) -> Any:
    definition = _definition(form, version)
    if request.method == "GET":
        state = run_round(definition, today=dt.date.today(), document={}, mode=PREVIEW)
        status = 200
    else:
        action = request.form.get("action", "validate")
        complete = (
            action == "validate" or request.form.get("shown_validation") == COMPLETE_VALIDATION
        )
        try:
            state = run_round(
                definition,
                today=dt.date.today(),
                formdata=request.form,
                action=action,
                complete=complete,
                mode=PREVIEW,
            )
        except UnknownActionError:
            abort(400)
        status = 200
    hidden = {}
    if state.complete and state.page.summary:
        hidden["shown_validation"] = COMPLETE_VALIDATION
    tested = request.method == "POST" and request.form.get("action") == "validate"
    return render_template(
        "forms/preview.html",
        definition=definition,
        state=state,
        page=state.page,
        hidden=hidden,
        buttons=PREVIEW_BUTTONS,
        tested=tested,
        completeness_report=_completeness(state),
        refresh_url=url_for("forms.preview_refresh", form=form, version=version),
        action_url=url_for("forms.preview", form=form, version=version),
    ), status


@bp.route("/forms/<form>/<version>/preview/refresh", methods=["POST"])
@requires(PREVIEW_FORMS)
def preview_refresh(form: str, version: str) -> Any:
    definition = _definition(form, version)
    complete = request.form.get("shown_validation") == COMPLETE_VALIDATION
    state = run_round(
        definition,
        today=dt.date.today(),
        formdata=request.form,
        complete=complete,
        mode=PREVIEW,
    )
    return jsonify(_fragments(state, checklist=True))


# --- helpers -----------------------------------------------------------------------------------


def _fragments(state: Round, *, checklist: bool = False, **context: Any) -> dict[str, Any]:
    """Each section's HTML and signature, the computed values, the error summary and (on the
    case form) the completeness checklist."""
    section_macro = get_template_attribute("forms/_form.html", "section")
    summary_macro = get_template_attribute("forms/_form.html", "error_summary")
    fragments: dict[str, Any] = {"completeness": None}
    if checklist:
        with contextlib.suppress(TemplateNotFound):
            fragments["completeness"] = render_template(
                "completeness/checklist.html", completeness_report=_completeness(state), **context
            )
    return fragments | {
        "sections": {
            s.dom_id: {"signature": s.signature, "html": str(section_macro(s, state.page))}
            for s in state.page.sections
        },
        "computed": {c.dom_id: c.text for s in state.page.sections for c in s.computed},
        "summary": str(summary_macro(state.page)).strip(),
    }


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
