"""Seniorpension's action on the case page: move the case to another form version (issue 7).

Routes on the ``cases`` blueprint (imported at the end of ``views``); the not-carried list
itself is shown by the editor's answer-migration panel, which reads the recorded move.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for

from forms_service.cases.errors import CaseError, StaleRevisionError
from forms_service.cases.permissions import MOVE_VERSION
from forms_service.cases.version_move import may_move, movable, moves_of
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service
from forms_service.pilots.move_impact import predict_case_move
from forms_service.web.cases.panels import add_case_panel
from forms_service.web.cases.views import _render_case, bp

bp.record_once(lambda state: add_case_panel(state.app, "cases/_version_move_panel.html", order=25))


@bp.app_template_global("version_move_panel")
def version_move_panel(service: Any, case: Any) -> dict[str, Any]:
    """The case's moves, and the versions Seniorpension may move it to now."""
    actor = current_actor()
    versions: list[str] = []
    if actor is not None and may_move(actor) and movable(case):
        registry = current_app.extensions["forms_service.registry"]
        try:
            versions = [v for v in registry.versions(case.form) if v != case.form_version]
        except LookupError:
            versions = []
    return {"moves": moves_of(service.session, case.id), "versions": versions}


@bp.route("/<int:case_id>/version", methods=["POST"])
@requires(MOVE_VERSION)
def move_version(case_id: int) -> Any:
    """First what the move would do (the predicted impact, issue 19); the move itself only
    with ``action=confirm``, which that page posts. The prediction is recorded with the move."""
    service = case_service()
    version = request.form.get("version", "")
    reason = request.form.get("reason", "")
    revision = _int(request.form.get("revision"))
    registry = current_app.extensions["forms_service.registry"]
    try:
        if request.form.get("action") != "confirm":
            case = service.check_move(case_id, version, reason=reason, base_revision=revision)
            prediction = predict_case_move(registry, case, version, today=service.today())
            return render_template(
                "cases/version_move_preview.html",
                case=case,
                prediction=prediction,
                version=version,
                reason=reason,
                revision=revision,
            )
        prediction = predict_case_move(
            registry, service.get_case(case_id, audit_read=False), version, today=service.today()
        )
        move = service.move_to_version(
            case_id,
            version,
            reason=reason,
            base_revision=revision,
            details={"predicted": prediction.for_case(case_id)},
        )
    except LookupError:
        flash(f"Skemaet har ingen version {version}.", "error")
        return redirect(url_for("cases.case_page", case_id=case_id))
    except StaleRevisionError as error:
        flash(error.message, "error")
        return redirect(url_for("cases.case_page", case_id=case_id))
    except CaseError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
        return _render_case(service, service.get_case(case_id, audit_read=False)), error.status
    lost = len(move.not_carried)
    flash(
        f"Sagen bruger nu version {move.to_version}. "
        + (
            f"{lost} svar kunne ikke føres over; kommunen ser dem på sagen og i skemaet."
            if lost
            else "Alle svar er ført over."
        ),
        "warning" if lost else "success",
    )
    return redirect(url_for("cases.case_page", case_id=case_id))


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1
