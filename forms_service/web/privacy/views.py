"""Legal hold and access log on the case page, for Seniorpension's caseworkers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service
from forms_service.privacy.access_log import access_log
from forms_service.privacy.holds import LegalHoldError, active_hold, release_hold, set_hold
from forms_service.privacy.permissions import MANAGE_LEGAL_HOLDS
from forms_service.web.cases.panels import add_case_panel

bp = Blueprint("privacy", __name__, url_prefix="/cases")
bp.record_once(lambda state: add_case_panel(state.app, "privacy/_case_panel.html", order=90))


@bp.app_template_global("privacy_panel")
def privacy_panel(service: Any, case: Any) -> dict[str, Any] | None:
    """The hold and the access log, for Seniorpension's caseworker only (None for others)."""
    actor = current_actor()
    if not MANAGE_LEGAL_HOLDS.allows(actor):
        return None
    lines, total = access_log(service.session, case.id)
    return {"hold": active_hold(service.session, case.id), "log": lines, "total": total}


@bp.route("/<int:case_id>/hold", methods=["POST"])
@requires(MANAGE_LEGAL_HOLDS)
def hold(case_id: int) -> Any:
    service = case_service()
    case = service.get_case(case_id, audit_read=False)  # 404 as the case page would
    actor = current_actor()
    assert actor is not None
    try:
        if request.form.get("action") == "release":
            release_hold(service.session, actor, case.id)
            flash("Tilbageholdelsen er ophævet: sagen følger igen opbevaringsfristerne.", "success")
        else:
            set_hold(service.session, actor, case.id, request.form.get("reason", ""))
            flash(
                "Sagen er tilbageholdt: den slettes ikke, før tilbageholdelsen ophæves.", "success"
            )
    except LegalHoldError as error:
        service.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("cases.case_page", case_id=case.id) + "#privacy")
