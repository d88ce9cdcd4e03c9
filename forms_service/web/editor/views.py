"""The form editor's pages (``/editor``) and the pilot municipalities' preview (``/pilot-preview``).

Every page is for form editors only (``requires(EDIT_FORMS)``), except the pilot
preview, which a municipal caseworker of a municipality named in the signed link may open.
The views parse the request, call ``EditorService`` and render; the editor's rules live there.
Published versions have no route that changes them: the only writes are to drafts, links,
test answers and new versions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
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
from itsdangerous import BadSignature, URLSafeSerializer

from forms_service.definitions.diff.render import attribute_name, render_text
from forms_service.definitions.in_force import APPLICATION_DATE, RULES, STATUS_TEXT
from forms_service.definitions.loader import DefinitionProblem
from forms_service.definitions.registry import UnknownFormError
from forms_service.editor.case_answers import answer_migration
from forms_service.editor.errors import (
    EditorError,
    ImportRefusedError,
    PublishRefusedError,
    StaleDraftError,
)
from forms_service.editor.models import DefinitionDraft
from forms_service.editor.permissions import EDIT_FORMS, PILOT_PREVIEW
from forms_service.editor.service import (
    DraftState,
    EditorService,
    InForce,
    definition_text,
    plain_data,
)
from forms_service.editor.structured import (
    CHOICE_TYPES,
    FIELD_TYPES,
    StructuredEditError,
    apply_edits,
    options_text,
)
from forms_service.editor.versions import KINDS
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.seniorpension.municipalities import municipality_by_code
from forms_service.web.cases.panels import add_case_panel, add_nav_item
from forms_service.web.editor.places import danish_expression_error, problem_place
from forms_service.web.forms.flow import Round, UnknownActionError, run_round
from forms_service.web.forms.render import PREVIEW
from forms_service.web.markdown import render_markdown

bp = Blueprint("editor", __name__)


@bp.app_template_filter("problem_place")
def _problem_place(path: str | None, data: Any = None) -> str:
    return problem_place(path, data)


@bp.app_template_filter("attribute_name")
def _attribute_name(attribute: str) -> str:
    return attribute_name(attribute)


@bp.app_template_filter("danish_expression_error")
def _danish_expression_error(message: str) -> str:
    return danish_expression_error(message)


PILOT_MUNICIPALITIES = (101, 329, 766, 561, 810)  # the forum's pilot municipalities
PREVIEW_BUTTONS = [
    ("validate", "Afprøv svarene", "button-primary"),
    ("save_test", "Gem som testsvar", "button-secondary"),
    ("refresh", "Opdater spørgsmålene", "button-tertiary"),
]
COMPLETE_VALIDATION = "complete"


def _setup(state: Any) -> None:
    app = state.app
    add_nav_item(app, "Skemaredigering", "editor.index", EDIT_FORMS, order=50)
    add_case_panel(app, "editor/_answer_migration_panel.html", order=20)


bp.record_once(_setup)


def editor_service() -> EditorService:
    from forms_service.http.db import db_session

    actor = current_actor()
    if actor is None:
        abort(401)
    return EditorService(db_session(), actor, current_app.extensions["forms_service.registry"])


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="editor-preview-link")


def preview_token(link_id: int) -> str:
    return _signer().dumps({"link": link_id})


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@bp.app_template_global("editor_answer_migration")
def editor_answer_migration(service: Any, case: Any) -> Any:
    """For the case page: what the case's answers lose under its current version (or None)."""
    return answer_migration(service, case, current_app.extensions["forms_service.registry"])


@bp.app_template_filter("municipality_label")
def municipality_label(code: int) -> str:
    try:
        return f"{municipality_by_code(code).name} ({code:03d})"
    except KeyError:
        return str(code)


# --- overview -------------------------------------------------------------------------------


@bp.route("/editor/")
@requires(EDIT_FORMS)
def index() -> Any:
    service = editor_service()
    forms = {form: service.versions(form) for form in service.forms()}
    registry = current_app.extensions["forms_service.registry"]
    current: dict[str, str] = {}
    titles: dict[str, str] = {}
    for form in forms:
        # the version new cases get (no pilot pre-release), titled as the citizen sees it
        for include_prerelease in (True, False):
            with contextlib.suppress(UnknownFormError):
                titles[form] = registry.latest(form, include_prerelease=include_prerelease).title
        with contextlib.suppress(UnknownFormError):
            current[form] = registry.latest(form).version
    return render_template(
        "editor/index.html",
        statuses={form: service.version_statuses(form) for form in forms},
        status_text=STATUS_TEXT,
        forms=forms,
        drafts=service.open_drafts(),
        kinds=KINDS,
        current=current,
        titles=titles,
    )


@bp.route("/editor/drafts", methods=["POST"])
@requires(EDIT_FORMS)
def start_draft() -> Any:
    service = editor_service()
    form = request.form.get("form", "")
    base = request.form.get("from_version", "")
    try:
        draft = service.start_draft(
            form, base, kind=request.form.get("kind", "minor"), version=request.form.get("version")
        )
    except (EditorError, ValueError) as error:
        flash(getattr(error, "message", str(error)), "error")
        return redirect(url_for("editor.index"))
    flash(f"Kladden til {draft.ref} er oprettet ud fra version {base}.", "success")
    return redirect(url_for("editor.draft", draft_id=draft.id))


@bp.route("/editor/suggest")
@requires(EDIT_FORMS)
def suggest() -> Any:
    service = editor_service()
    try:
        version = service.suggest(
            request.args.get("form", ""), request.args.get("from", ""), request.args.get("kind", "")
        )
    except (ValueError, EditorError):
        abort(400)
    return jsonify({"version": version})


# --- the structured editor and the JSON view ------------------------------------------------


def _problems_by_path(problems: list[DefinitionProblem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(problem.path, []).append(problem.message)
    return out


def _render_draft(
    service: EditorService,
    draft: DefinitionDraft,
    state: DraftState,
    *,
    base_revision: int | None = None,
    status: int = 200,
) -> Any:
    if not isinstance(state.data, dict) or not isinstance(state.data.get("sections"), list):
        flash(
            "Kladden kan ikke vises i den strukturerede redigering, før JSON'en er rettet.",
            "warning",
        )
        return _render_json(service, draft, state, status=status)
    return render_template(
        "editor/draft.html",
        draft=draft,
        state=state,
        data=state.data,
        problems=state.problems,
        by_path=_problems_by_path(state.problems),
        base_revision=draft.revision if base_revision is None else base_revision,
        field_types=FIELD_TYPES,
        choice_types=CHOICE_TYPES,
        options_text=options_text,
        markdown=render_markdown,
        links=service.preview_links(draft.id),
        preview_token=preview_token,
        pilot_municipalities=PILOT_MUNICIPALITIES,
    ), status


def _render_json(
    service: EditorService,
    draft: DefinitionDraft,
    state: DraftState,
    *,
    base_revision: int | None = None,
    stale: StaleDraftError | None = None,
    status: int = 200,
) -> Any:
    return render_template(
        "editor/json.html",
        draft=draft,
        text=state.text,
        problems=state.problems,
        base_revision=draft.revision if base_revision is None else base_revision,
        stale=stale,
        stale_text=render_text(stale.changes.diff) if stale and stale.changes.diff else None,
    ), status


@bp.route("/editor/drafts/<int:draft_id>", methods=["GET", "POST"])
@requires(EDIT_FORMS)
def draft(draft_id: int) -> Any:
    service = editor_service()
    draft = service.get_draft(draft_id)
    if draft.status != "open":
        flash("Kladden er lukket (udgivet eller kasseret) og kan kun læses.", "info")
        return redirect(url_for("editor.index"))
    if request.method == "GET":
        return _render_draft(service, draft, service.state(draft))

    base_revision = _int(request.form.get("base_revision"), -1)
    action = request.form.get("action", "save")
    # the edits apply to the text the editor saw, which is the base revision's
    seen = service.revision_text(draft, base_revision) or draft.content_text
    seen_state = service.state(draft, seen)
    if not isinstance(seen_state.data, dict):
        abort(409)
    try:
        data = apply_edits(seen_state.data, request.form, action)
    except StructuredEditError:
        abort(400)
    text = definition_text(data)
    try:
        state = service.save_draft(draft.id, text, base_revision=base_revision)
    except StaleDraftError as error:
        # nothing lost: the editor's whole result is shown in the JSON view with the changes
        return _render_json(
            service,
            draft,
            service.state(draft, error.posted_text),
            base_revision=error.current_revision,
            stale=error,
            status=409,
        )
    if state.problems:
        flash(
            f"Kladden er gemt, men har {len(state.problems)} fejl. Den kan gemmes, men ikke "
            "udgives, før fejlene er rettet.",
            "warning",
        )
        return _render_draft(service, draft, state, status=422)
    flash("Kladden er gemt.", "success")
    anchor = request.form.get("anchor", "")
    return redirect(url_for("editor.draft", draft_id=draft.id) + (f"#{anchor}" if anchor else ""))


@bp.route("/editor/drafts/<int:draft_id>/json", methods=["GET", "POST"])
@requires(EDIT_FORMS)
def draft_json(draft_id: int) -> Any:
    service = editor_service()
    draft = service.get_draft(draft_id)
    if draft.status != "open":
        return redirect(url_for("editor.index"))
    if request.method == "GET":
        return _render_json(service, draft, service.state(draft))
    base_revision = _int(request.form.get("base_revision"), -1)
    text = request.form.get("content", "")
    try:
        state = service.save_draft(draft.id, text, base_revision=base_revision)
    except StaleDraftError as error:
        return _render_json(
            service,
            draft,
            service.state(draft, error.posted_text),
            base_revision=error.current_revision,
            stale=error,
            status=409,
        )
    if state.problems:
        flash(
            f"Kladden er gemt, men har {len(state.problems)} fejl. Den kan gemmes, men ikke "
            "udgives, før fejlene er rettet.",
            "warning",
        )
        return _render_json(service, draft, state, status=422)
    flash("Kladden er gemt.", "success")
    return redirect(url_for("editor.draft_json", draft_id=draft.id))


@bp.route("/editor/drafts/<int:draft_id>/discard", methods=["POST"])
@requires(EDIT_FORMS)
def discard(draft_id: int) -> Any:
    service = editor_service()
    draft = service.get_draft(draft_id)
    service.discard_draft(draft.id, base_revision=_int(request.form.get("base_revision"), -1))
    flash(f"Kladden til {draft.ref} er kasseret.", "success")
    return redirect(url_for("editor.index"))


@bp.route("/editor/markdown", methods=["POST"])
@requires(EDIT_FORMS)
def markdown_preview() -> Any:
    """The sanitised HTML of a guidance text, for the live preview beside the textarea."""
    text = request.form.get("text") or (request.get_json(silent=True) or {}).get("text") or ""
    return jsonify({"html": str(render_markdown(str(text)[:100_000], heading_level=3))})


# --- preview with test answers --------------------------------------------------------------


def _round(definition: Any, *, initial: bool) -> Round:
    if initial:
        return run_round(definition, today=dt.date.today(), document={}, mode=PREVIEW)
    action = request.form.get("action", "validate")
    complete = action in ("validate", "save_test") or (
        request.form.get("shown_validation") == COMPLETE_VALIDATION
    )
    try:
        return run_round(
            definition,
            today=dt.date.today(),
            formdata=request.form,
            action=action,
            complete=complete,
            mode=PREVIEW,
        )
    except UnknownActionError:
        abort(400)


def _completeness(state: Round) -> Any:
    from forms_service.completeness import evaluate_completeness_for

    return evaluate_completeness_for(state.evaluation)


def _fragments(state: Round) -> dict[str, Any]:
    section_macro = get_template_attribute("forms/_form.html", "section")
    summary_macro = get_template_attribute("forms/_form.html", "error_summary")
    return {
        "sections": {
            s.dom_id: {"signature": s.signature, "html": str(section_macro(s, state.page))}
            for s in state.page.sections
        },
        "computed": {c.dom_id: c.text for s in state.page.sections for c in s.computed},
        "summary": str(summary_macro(state.page)).strip(),
    }


def _preview_page(
    service: EditorService,
    draft: DefinitionDraft,
    *,
    action_url: str,
    refresh_url: str,
    link: Any = None,
    template: str = "editor/preview.html",
) -> Any:
    state_of_draft = service.state(draft)
    definition = state_of_draft.definition
    if definition is None:
        return render_template(
            template, draft=draft, problems=state_of_draft.problems, definition=None
        ), 422
    state = _round(definition, initial=request.method == "GET")
    report = _completeness(state)
    saved = None
    if request.method == "POST" and request.form.get("action") == "save_test":
        saved = service.save_test_answers(
            draft,
            state.evaluation.answers_json(),
            problems=[{"path": p.path, "message": p.message} for p in state.result.problems],
            completeness=report.to_dict(),
            link=link,
        )
        flash("Testsvarene er gemt (adskilt fra rigtige sager).", "success")
    hidden = {}
    if state.complete and state.page.summary:
        hidden["shown_validation"] = COMPLETE_VALIDATION
    tested = request.method == "POST" and request.form.get("action") in ("validate", "save_test")
    return render_template(
        template,
        draft=draft,
        definition=definition,
        state=state,
        page=state.page,
        hidden=hidden,
        buttons=PREVIEW_BUTTONS,
        tested=tested,
        report=report,
        saved=saved,
        link=link,
        action_url=action_url,
        refresh_url=refresh_url,
        problems=[],
    )


@bp.route("/editor/drafts/<int:draft_id>/preview", methods=["GET", "POST"])
@requires(EDIT_FORMS)
def preview(draft_id: int) -> Any:
    service = editor_service()
    draft = service.get_draft(draft_id)
    return _preview_page(
        service,
        draft,
        action_url=url_for("editor.preview", draft_id=draft.id),
        refresh_url=url_for("editor.preview_refresh", draft_id=draft.id),
    )


@bp.route("/editor/drafts/<int:draft_id>/preview/refresh", methods=["POST"])
@requires(EDIT_FORMS)
def preview_refresh(draft_id: int) -> Any:
    service = editor_service()
    definition = service.state(service.get_draft(draft_id)).definition
    if definition is None:
        abort(422)
    return jsonify(_fragments(_round(definition, initial=False)))


@bp.route("/editor/drafts/<int:draft_id>/test-answers")
@requires(EDIT_FORMS)
def test_answers(draft_id: int) -> Any:
    service = editor_service()
    draft = service.get_draft(draft_id)
    return render_template(
        "editor/test_answers.html", draft=draft, rows=service.test_answers(draft.id)
    )


# --- pilot preview links --------------------------------------------------------------------


@bp.route("/editor/drafts/<int:draft_id>/links", methods=["POST"])
@requires(EDIT_FORMS)
def create_link(draft_id: int) -> Any:
    service = editor_service()
    codes = [_int(c, -1) for c in request.form.getlist("municipality")]
    try:
        link = service.create_preview_link(draft_id, [c for c in codes if c > 0])
    except EditorError as error:
        flash(error.message, "error")
        return redirect(url_for("editor.draft", draft_id=draft_id) + "#pilot")
    url = url_for("editor.pilot_preview", token=preview_token(link.id), _external=True)
    flash(f"Linket til pilotkommunerne er oprettet: {url}", "success")
    return redirect(url_for("editor.draft", draft_id=draft_id) + "#pilot")


@bp.route("/editor/links/<int:link_id>/revoke", methods=["POST"])
@requires(EDIT_FORMS)
def revoke_link(link_id: int) -> Any:
    service = editor_service()
    service.revoke_preview_link(link_id)
    flash("Linket er trukket tilbage.", "success")
    return redirect(request.referrer or url_for("editor.index"))


def _link_id(token: str) -> int:
    try:
        payload = _signer().loads(token)
    except BadSignature:
        abort(404)
    return _int(payload.get("link") if isinstance(payload, dict) else None, -1)


@bp.route("/pilot-preview/<token>", methods=["GET", "POST"])
@requires(PILOT_PREVIEW)
def pilot_preview(token: str) -> Any:
    service = editor_service()
    link, draft = service.open_preview_link(_link_id(token))
    return _preview_page(
        service,
        draft,
        action_url=url_for("editor.pilot_preview", token=token),
        refresh_url=url_for("editor.pilot_preview_refresh", token=token),
        link=link,
        template="editor/pilot_preview.html",
    )


@bp.route("/pilot-preview/<token>/refresh", methods=["POST"])
@requires(PILOT_PREVIEW)
def pilot_preview_refresh(token: str) -> Any:
    service = editor_service()
    _link, draft = service.open_preview_link(_link_id(token))
    definition = service.state(draft).definition
    if definition is None:
        abort(422)
    return jsonify(_fragments(_round(definition, initial=False)))


# --- review and publishing ------------------------------------------------------------------


@bp.route("/editor/drafts/<int:draft_id>/publish", methods=["GET", "POST"])
@requires(EDIT_FORMS)
def publish(draft_id: int) -> Any:
    service = editor_service()
    draft = service.get_draft(draft_id)
    if draft.status != "open":
        flash("Kladden er allerede lukket.", "info")
        return redirect(url_for("editor.changelog", form=draft.form))
    note = ""
    reasons: list[str] = []
    status = 200
    questions = service.pilot_questions(draft)
    chosen = {q.key: request.form.get(q.key, "") for q in questions}
    if request.method == "POST":
        note = request.form.get("note", "")
        in_force, date_reasons = _in_force_from_form(request.form)
        try:
            if date_reasons:
                raise PublishRefusedError("Versionen kan ikke udgives endnu.", date_reasons)
            row = service.publish(
                draft.id,
                note=note,
                base_revision=_int(request.form.get("base_revision"), -1),
                in_force=in_force,
                pilot_choices={k: v for k, v in chosen.items() if v},
                acknowledge_impact=request.form.get("acknowledge_impact") == "1",
            )
        except PublishRefusedError as error:
            reasons, status = error.reasons, error.status
        except StaleDraftError as error:
            reasons, status = [error.message], 409
        else:
            when = (
                f"træder i kraft {in_force.in_force_from:%d-%m-%Y}"
                if in_force.in_force_from
                else "kan nu bruges til nye sager"
            )
            flash(f"{row.ref} er udgivet og {when}.", "success")
            return redirect(url_for("editor.changelog", form=row.form))
    review = service.review(draft.id)
    return render_template(
        "editor/publish.html",
        draft=draft,
        review=review,
        note=note,
        reasons=reasons,
        diff_text=render_text(review.diff) if review.diff else None,
        questions=questions,
        chosen=chosen,
        rules=RULES,
        form_values=request.form,
    ), status


def _in_force_from_form(form: Any) -> tuple[InForce, list[str]]:
    """The effective dates typed on the review page (dd-mm-åååå or ISO); Danish reasons."""
    reasons: list[str] = []
    dates: dict[str, dt.date | None] = {}
    for key, label in (("in_force_from", "I kraft fra"), ("in_force_until", "I kraft til")):
        text = (form.get(key) or "").strip()
        dates[key] = None
        if text:
            try:
                dates[key] = parse_danish_date(text)
            except ValueError:
                reasons.append(f"{label}: '{text}' er ikke en dato (dd-mm-åååå).")
    rule = form.get("decided_by") or APPLICATION_DATE
    if rule not in RULES:
        reasons.append("Vælg, hvad der afgør versionen i en overgangsperiode.")
        rule = APPLICATION_DATE
    return InForce(dates["in_force_from"], dates["in_force_until"], rule), reasons


def parse_danish_date(text: str) -> dt.date:
    for pattern in ("%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


@bp.route("/editor/forms/<form>/<version>/in-force", methods=["POST"])
@requires(EDIT_FORMS)
def reschedule(form: str, version: str) -> Any:
    service = editor_service()
    in_force, reasons = _in_force_from_form(request.form)
    if reasons:
        for reason in reasons:
            flash(reason, "error")
        return redirect(url_for("editor.show_version", form=form, version=version))
    try:
        service.reschedule(form, version, in_force)
    except EditorError as error:
        flash(error.message, "error")
    else:
        flash(f"Ikrafttrædelsen af {form}@{version} er ændret.", "success")
    return redirect(url_for("editor.show_version", form=form, version=version))


# --- published versions, changelog, export and import ---------------------------------------


@bp.route("/editor/forms/<form>/changelog")
@requires(EDIT_FORMS)
def changelog(form: str) -> Any:
    service = editor_service()
    return render_template(
        "editor/changelog.html",
        form=form,
        rows=service.changelog(form),
        versions=service.versions(form),
    )


@bp.route("/editor/forms/<form>/<version>")
@requires(EDIT_FORMS)
def show_version(form: str, version: str) -> Any:
    service = editor_service()
    definition = service.definition(form, version)
    status, schedule = service.version_statuses(form).get(version, ("", None))
    return render_template(
        "editor/version.html",
        definition=definition,
        status=status,
        schedule=schedule,
        rules=RULES,
        status_text=STATUS_TEXT,
        published=service.published(form, version),
        text=definition_text(plain_data(definition.raw)),
        kinds=KINDS,
    )


@bp.route("/editor/forms/<form>/<version>/export")
@requires(EDIT_FORMS)
def export(form: str, version: str) -> Any:
    service = editor_service()
    text = service.export_text(form, version)
    return Response(
        text,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{version}.json"'},
    )


@bp.route("/editor/import", methods=["GET", "POST"])
@requires(EDIT_FORMS)
def import_version() -> Any:
    if request.method == "GET":
        return render_template("editor/import.html", problems=[], message=None)
    service = editor_service()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template(
            "editor/import.html", problems=[], message="Vælg en fil at importere."
        ), 400
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return render_template(
            "editor/import.html", problems=[], message="Filen er ikke UTF-8-tekst."
        ), 400
    try:
        result = service.import_text(
            text, filename=upload.filename, note=request.form.get("note", "")
        )
    except ImportRefusedError as error:
        return render_template(
            "editor/import.html", problems=error.problems, message=error.message
        ), error.status
    ref = f"{result.form}@{result.version}"
    if result.imported:
        flash(f"{ref} er importeret (hash {result.content_hash[:12]}…).", "success")
    else:
        flash(f"{ref} findes allerede med samme indhold; intet er ændret.", "info")
    return redirect(url_for("editor.changelog", form=result.form))
