"""Pilot pages.

Who may do what (enforced on every route by ``requires``, from ``pilots.permissions``):
- form editors create pilots; form editors, Seniorpension caseworkers, analysts and admins
  read pilots, their comparison and report;
- municipal caseworkers of a pilot municipality leave feedback on the pilot version (others
  get 404, as for cases outside their municipality);
- the pilot's owner (who created it) or an admin ends it after its end date, moving its open
  cases with the same code as ``forms-service pilots end``.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from forms_service.cases.roles import Role
from forms_service.definitions.model import FormDefinition
from forms_service.http.auth import current_actor
from forms_service.http.db import db_session
from forms_service.http.decorators import requires
from forms_service.pilots.ending import end_pilot
from forms_service.pilots.models import NAMED, Pilot
from forms_service.pilots.move_impact import predict_pilot_ending
from forms_service.pilots.permissions import END_PILOTS, GIVE_FEEDBACK, MANAGE_PILOTS, READ_PILOTS
from forms_service.pilots.report import pilot_report, render_pilot_report
from forms_service.pilots.service import (
    PilotError,
    PilotInput,
    add_feedback,
    create_pilot,
    get_pilot,
    list_pilots,
    may_give_feedback,
)
from forms_service.web.pilots.forms import FeedbackForm, PilotForm

bp = Blueprint("pilots", __name__, url_prefix="/pilots")
FORM = "sagsoplysningsskema"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.record_once
def _nav(state: Any) -> None:
    from forms_service.web.cases.panels import add_nav_item

    add_nav_item(state.app, "Piloter", "pilots.index", READ_PILOTS, order=60)
    add_nav_item(state.app, "Piloter", "pilots.mine", GIVE_FEEDBACK, order=60)


def _registry() -> Any:
    return current_app.extensions["forms_service.registry"]


def _as_of() -> dt.date:
    value = request.args.get("as_of")
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            abort(400)
    return dt.date.today()


def _pilot_or_404(pilot_id: int) -> Pilot:
    try:
        return get_pilot(db_session(), pilot_id)
    except PilotError:
        abort(404)


def _png(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@bp.get("/")
@requires(READ_PILOTS)
def index() -> str:
    return render_template(
        "pilots/index.html",
        pilots=list_pilots(db_session()),
        may_create=MANAGE_PILOTS.allows(current_actor()),
        today=dt.date.today(),
    )


@bp.route("/ny", methods=["GET", "POST"])
@requires(MANAGE_PILOTS)
def new() -> Any:
    registry = _registry()
    form = PilotForm(registry.versions(FORM))
    if form.validate_on_submit():
        named = form.comparison_scope.data == NAMED
        data = PilotInput(
            name=form.name.data or "",
            form=FORM,
            candidate_version=form.candidate_version.data or "",
            comparison_version=form.comparison_version.data or "",
            pilot_codes=tuple(int(c) for c in form.pilot_municipalities.data or []),
            comparison_codes=tuple(int(c) for c in form.comparison_municipalities.data or [])
            if named
            else (),
            start_date=form.start_date.data,  # type: ignore[arg-type]
            end_date=form.end_date.data,  # type: ignore[arg-type]
            description=form.description.data,
        )
        try:
            pilot = create_pilot(db_session(), current_actor(), data, registry)  # type: ignore[arg-type]
        except PilotError as error:
            db_session().rollback()
            flash(error.message, "error")
        else:
            flash(f"Piloten »{pilot.name}« er oprettet.", "success")
            return redirect(url_for("pilots.show", pilot_id=pilot.id))
    return render_template("pilots/new.html", form=form)


def _diff_text(pilot: Pilot) -> str | None:
    from forms_service.definitions.diff.compute import diff_definitions
    from forms_service.definitions.diff.render import render_text

    try:
        old = _registry().get(pilot.form, pilot.comparison_version)
        new = _registry().get(pilot.form, pilot.candidate_version)
    except LookupError:
        return None
    return render_text(diff_definitions(old, new), lang="da")


@bp.get("/<int:pilot_id>")
@requires(READ_PILOTS)
def show(pilot_id: int) -> str:
    pilot = _pilot_or_404(pilot_id)
    report = pilot_report(db_session(), pilot, as_of=_as_of())
    return render_template(
        "pilots/show.html",
        pilot=pilot,
        report=report,
        chart_shares=_png(report.chart_shares()),
        chart_days=_png(report.chart_days()),
        diff_text=_diff_text(pilot),
        as_of=report.comparison.as_of,
    )


@bp.get("/<int:pilot_id>/rapport.docx")
@requires(READ_PILOTS)
def report_docx(pilot_id: int) -> Response:
    pilot = _pilot_or_404(pilot_id)
    report = pilot_report(db_session(), pilot, as_of=_as_of())
    data = render_pilot_report(report, generated=dt.date.today())
    name = f"pilotrapport-{pilot.id}-{report.comparison.as_of.isoformat()}.docx"
    return Response(
        data, mimetype=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _targets(definition: FormDefinition) -> list[tuple[str, str]]:
    targets: list[tuple[str, str]] = []
    for section in definition.sections:
        targets.append((f"section:{section.id}", f"Afsnit: {section.title}"))
        for field in section.fields:
            targets.append((f"field:{field.id}", f"– Felt: {field.label}"))
    return targets


def _sections(definition: FormDefinition) -> dict[str, list[str]]:
    return {s.id: [f.id for f in s.fields] for s in definition.sections}


@bp.route("/<int:pilot_id>/tilbagemelding", methods=["GET", "POST"])
@requires(GIVE_FEEDBACK)
def feedback(pilot_id: int) -> Any:
    pilot = _pilot_or_404(pilot_id)
    actor = current_actor()
    if actor is None or not may_give_feedback(actor, pilot):
        abort(404)
    definition = _registry().get(pilot.form, pilot.candidate_version)
    form = FeedbackForm(_targets(definition))
    if form.validate_on_submit():
        kind_of_target, _, target_id = (form.target.data or "").partition(":")
        try:
            add_feedback(
                db_session(),
                actor,
                pilot,
                kind=form.kind.data or "",
                text=form.text.data or "",
                section_id=target_id if kind_of_target == "section" else None,
                field_id=target_id if kind_of_target == "field" else None,
                known_sections=_sections(definition),
            )
        except PilotError as error:
            db_session().rollback()
            flash(error.message, "error")
        else:
            flash("Tak for din tilbagemelding. Skemaredaktørerne kan nu se den.", "success")
            return redirect(url_for("pilots.feedback", pilot_id=pilot.id))
    return render_template("pilots/feedback.html", pilot=pilot, form=form, definition=definition)


@bp.get("/mine")
@requires(GIVE_FEEDBACK)
def mine() -> str:
    """The pilots the caseworker's municipality takes part in (links to the feedback form)."""
    actor = current_actor()
    pilots = [p for p in list_pilots(db_session()) if actor and may_give_feedback(actor, p)]
    return render_template("pilots/mine.html", pilots=pilots)


@bp.route("/<int:pilot_id>/afslut", methods=["GET", "POST"])
@requires(END_PILOTS)
def end(pilot_id: int) -> Any:
    """The owner's page to end a pilot: choose the version, see what the move would do (the
    predicted impact on the open cases), confirm, and see what moved and what did not.

    POST ``action=preview`` (or none) shows the prediction for ``version``; only
    ``action=confirm``, which the prediction's page posts, ends the pilot."""
    pilot = _pilot_or_404(pilot_id)
    actor = current_actor()
    assert actor is not None
    if actor.role is not Role.ADMIN and pilot.created_by != actor.username:
        abort(403)
    versions = [v for v in _registry().versions(pilot.form) if v != pilot.candidate_version]
    chosen = request.form.get("version") or pilot.comparison_version
    result = prediction = error = None
    if request.method == "POST" and request.form.get("action") == "confirm":
        try:
            result = end_pilot(
                db_session(), pilot.id, chosen, started_by=actor, registry=_registry()
            )
        except PilotError as problem:
            error = problem.message
    elif request.method == "POST":
        if chosen not in versions:
            error = (
                f"Sagerne bruger allerede pilotversionen {chosen}; vælg den version, de skal "
                "flyttes til."
                if chosen == pilot.candidate_version
                else f"{pilot.form} har ingen version {chosen}."
            )
        else:
            prediction = predict_pilot_ending(
                db_session(), _registry(), pilot.form, pilot.candidate_version, chosen,
                pilot.pilot_codes, today=dt.date.today(),
            )  # fmt: skip
    return render_template(
        "pilots/end.html",
        pilot=pilot,
        versions=versions,
        chosen=chosen,
        result=result,
        prediction=prediction,
        error=error,
        ready=dt.date.today() > pilot.end_date,
    ), (422 if error else 200)
