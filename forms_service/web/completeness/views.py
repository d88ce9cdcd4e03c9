"""Shows the completeness checklist: a panel on the case page, and the form page's aside.

No rule lives here: the report comes from ``forms_service.completeness``; this only picks which
report a page shows and hands it to ``templates/completeness/checklist.html`` as plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app

from forms_service.cases.models import Case
from forms_service.completeness import CompletenessReport, current_shape, evaluate_completeness
from forms_service.definitions.model import FormDefinition
from forms_service.web.cases.panels import add_case_panel

bp = Blueprint("completeness", __name__)
bp.record_once(lambda state: add_case_panel(state.app, "completeness/_case_panel.html", order=20))


@bp.app_template_global("completeness_view")
def completeness_view(report: CompletenessReport | Mapping[str, Any] | None) -> Any:
    """The report as the checklist reads it: the ``to_dict`` shape, old stored reports upgraded."""
    if report is None:
        return None
    if isinstance(report, CompletenessReport):
        return report.to_dict()
    return current_shape(report)


@bp.app_template_global("case_completeness")
def case_completeness(
    case: Case, service: Any, definition: FormDefinition | None
) -> dict[str, Any] | None:
    """The report for the case page: the one stored with a submission, else the latest answers.

    A submitted case shows what Seniorpension received; a draft shows what is still missing now.
    """
    latest = service.answers_to_read(case)
    if latest is not None and latest.kind == "submission" and latest.completeness:
        return {"report": latest.completeness, "source": "submission", "answer_set": latest}
    if definition is None:
        return None
    try:
        report = evaluate_completeness(
            definition, latest.answers if latest is not None else {}, today=service.today()
        )
    except Exception:  # the checklist must never take the case page down with it
        current_app.logger.exception("completeness report failed for case %s", case.id)
        return None
    source = "draft" if latest is not None else "empty"
    return {"report": report.to_dict(), "source": source, "answer_set": latest}
