"""Case list, case page, new case and Seniorpension's actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from forms_service.cases.errors import CaseError, StaleRevisionError
from forms_service.cases.lifecycle import (
    OUTCOME_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Status,
    available_transitions,
)
from forms_service.cases.permissions import CREATE_CASES, READ_CASES, SENIORPENSION_ACTIONS
from forms_service.cases.service import CaseFilter
from forms_service.danish import date_long, datetime_long
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service
from forms_service.seniorpension.cpr import format_cpr
from forms_service.seniorpension.deadlines import days_left, deadline_status
from forms_service.seniorpension.municipalities import municipality_by_code
from forms_service.web.cases.forms import CaseFilterForm, NewCaseForm, TransitionForm
from forms_service.web.cases.panels import case_panels
from forms_service.web.cases.returns import open_return, return_candidates

bp = Blueprint("cases", __name__, url_prefix="/cases")
bp.add_app_template_global(open_return, "open_return")


@bp.app_template_filter("dkdate")
def dkdate(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return datetime_long(value.astimezone())
    return date_long(value)


@bp.app_template_filter("masked_cpr")
def masked_cpr(value: str) -> str:
    return format_cpr(value, masked=True) or "–"


@bp.app_template_filter("municipality_name")
def municipality_name(code: int | None) -> str:
    if code is None:
        return "–"
    try:
        return municipality_by_code(code).name
    except KeyError:
        return str(code)


@bp.app_template_filter("status_label")
def status_label(value: str) -> str:
    return STATUS_LABELS[Status(value)]


@bp.app_template_filter("outcome_label")
def outcome_label(value: str | None) -> str:
    return OUTCOME_LABELS.get(value, "") if value else ""  # type: ignore[call-overload]


def deadline_info(deadline: dt.date | None, *, open_: bool) -> dict[str, Any] | None:
    """Days left and on-time/soon/overdue for a deadline, for the templates."""
    if deadline is None:
        return None
    today = dt.date.today()
    status = deadline_status(deadline, today)
    return {
        "date": deadline,
        "days_left": days_left(deadline, today),
        "status": status.value if open_ else "closed",
        "label": status.label if open_ else "Afsluttet",
    }


# what the viewer's side does next, by status; None: the other side is working on it
_MUNICIPAL_NEXT = {
    Status.SENT_TO_MUNICIPALITY: "Udfyld skemaet",
    Status.DRAFT_IN_PROGRESS: "Gør skemaet færdigt, og indsend det",
    Status.RETURNED: "Supplér svarene, og indsend igen",
    Status.SUBMITTED: "Ingen: Seniorpension vurderer sagen",
    Status.SUFFICIENTLY_INFORMED: "Ingen: venter på afgørelse",
    Status.DECIDED: "Ingen: sagen er afgjort",
}
_SENIORPENSION_NEXT = {
    Status.RECEIVED: "Send sagen til kommunen",
    Status.SENT_TO_MUNICIPALITY: "Ingen: venter på kommunen",
    Status.DRAFT_IN_PROGRESS: "Ingen: kommunen udfylder skemaet",
    Status.RETURNED: "Ingen: venter på kommunens supplering",
    Status.SUBMITTED: "Vurdér, om sagen er tilstrækkeligt oplyst",
    Status.SUFFICIENTLY_INFORMED: "Træf afgørelse",
    Status.DECIDED: "Ingen: sagen er afgjort",
}


@bp.app_template_global("next_step")
def next_step(status: str, municipal: bool) -> dict[str, Any]:
    """The next step on a case for the viewer, and whether it is theirs (for the badge)."""
    text = (_MUNICIPAL_NEXT if municipal else _SENIORPENSION_NEXT)[Status(status)]
    return {"text": text, "mine": not text.startswith("Ingen")}


@bp.route("/")
@requires(READ_CASES)
def case_list() -> Any:
    form = CaseFilterForm(request.args)
    actor = current_actor()
    assert actor is not None
    municipality = None
    if not actor.is_municipal and form.municipality.data:
        if not form.municipality.validate(form):  # one of the listed municipalities
            abort(400, "Ukendt kommune.")
        municipality = int(form.municipality.data)
    status = form.status.data or ""
    case_filter = CaseFilter(
        status=status if status not in ("", "all") else None,
        open_only=status == "",
        deadline=form.deadline.data or None,
        municipality_code=municipality,
        search=form.search.data or None,
        page=max(1, request.args.get("page", 1, type=int) or 1),
    )
    page = case_service().list_cases(case_filter)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "cases/list.html", form=form, page=page, filter_args=args, deadline_info=deadline_info
    )


@bp.route("/<int:case_id>")
@requires(READ_CASES)
def case_page(case_id: int) -> Any:
    service = case_service()
    case = service.get_case(case_id)  # audited read; 404 outside the user's municipality
    return _render_case(service, case)


def _render_case(service: Any, case: Any, *, form: TransitionForm | None = None) -> Any:
    actor = current_actor()
    assert actor is not None
    history = service.history(case.id)
    actions = []
    if actor.party is not None:
        actions = available_transitions(Status(case.status), actor.party)
    try:
        definition = service.definition_for(case)
    except LookupError:
        definition = None
    is_open = case.status != Status.DECIDED.value
    returned = open_return(case, definition)
    municipal_open = case.status in {"sent_to_municipality", "draft_in_progress", "returned"}
    return render_template(
        "cases/case.html",
        case=case,
        history=history,
        actions=actions,
        form=form or TransitionForm(),
        definition=definition,
        service=service,
        panels=case_panels(current_app),
        municipality_deadline=deadline_info(case.municipality_deadline, open_=municipal_open),
        decision_deadline=deadline_info(case.decision_deadline, open_=is_open),
        returned=returned,
        failed_action=(form.to.data if form is not None else None),
        return_candidates=return_candidates,
    )


@bp.route("/<int:case_id>/transition", methods=["POST"])
@requires(SENIORPENSION_ACTIONS)
def transition(case_id: int) -> Any:
    service = case_service()
    form = TransitionForm()
    if not form.validate_on_submit():
        flash("Handlingen kunne ikke udføres. Prøv igen.", "error")
        return redirect(url_for("cases.case_page", case_id=case_id))
    case = service.get_case(case_id, audit_read=False)
    current = str(case.revision) == (form.revision.data or "")  # else the service says stale
    if current and not _action_complete(form, Status(case.status)):
        return _render_case(service, case, form=form), 422
    try:
        service.transition(
            case_id,
            form.to.data or "",
            reason=form.reason.data or None,
            outcome=form.outcome.data or None,
            base_revision=int(form.revision.data or 0),
            requested_fields=request.form.getlist("requested") or None,
        )
    except StaleRevisionError as error:
        flash(error.message, "error")
        return redirect(url_for("cases.case_page", case_id=case_id))
    except CaseError as error:
        if error.status == 404:
            raise
        case = service.get_case(case_id, audit_read=False)
        flash(error.message, "error")
        return _render_case(service, case, form=form), error.status
    flash(f"Sagen har nu status »{STATUS_LABELS[Status(form.to.data)]}«.", "success")
    return redirect(url_for("cases.case_page", case_id=case_id))


def _action_complete(form: TransitionForm, source: Status) -> bool:
    """What the action form needs before the case service sees it, as field errors the page's
    error summary lists (a return without a reason, a decision without outcome or confirmation)."""
    target = form.to.data or ""
    try:
        transition = TRANSITIONS.get((source, Status(target)))
    except ValueError:
        return True  # the case service names the unknown status
    if (
        transition is not None
        and transition.reason_required
        and not (form.reason.data or "").strip()
    ):
        form.reason.errors = [
            "Skriv, hvilke oplysninger kommunen skal supplere med."
            if target == Status.RETURNED.value
            else "Skriv en begrundelse."
        ]
    if target == Status.DECIDED.value:
        if not form.outcome.data:
            form.outcome.errors = ["Vælg udfaldet af afgørelsen."]
        if not form.confirm.data:
            form.confirm.errors = [
                "Bekræft afgørelsen: den er endelig, og sagen lukkes for kommunen."
            ]
    return not (form.reason.errors or form.outcome.errors or form.confirm.errors)


@bp.route("/new", methods=["GET", "POST"])
@requires(CREATE_CASES)
def new_case() -> Any:
    form = NewCaseForm()
    if form.validate_on_submit():
        try:
            case = case_service().create_case(
                case_number=form.case_number.data or "",
                cpr=form.cpr.data or "",
                citizen_name=form.citizen_name.data or "",
                application_date=form.application_date.data,  # type: ignore[arg-type]
                municipality_code=int(form.municipality.data or 0),
                send_to_municipality=form.request_date.data is not None,
                request_date=form.request_date.data,
            )
        except CaseError as error:
            flash(error.message, "error")
            return render_template("cases/new.html", form=form), error.status
        flash(f"Sag {case.case_number} er oprettet.", "success")
        return redirect(url_for("cases.case_page", case_id=case.id))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/new.html", form=form), status
