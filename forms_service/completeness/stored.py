"""Reports stored before the split of criteria and conditions, read in the current shape.

Until the split, a report listed the eligibility conditions among ``criteria`` (``kind:
"eligibility"``, status complete/missing/insufficient) and had no ``conditions``. Submissions
keep the report they were made with, so a page or the API reads an old report through
:func:`current_shape`: the conditions move to ``conditions`` with the statuses mapped
(complete → met, insufficient → not_met, missing → undetermined), ``sufficient`` and the summary
stay as stored (they are what Seniorpension was shown), and ``stored_shape: "criteria-only"``
says the report predates the split. A report in the current shape is returned unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms_service.completeness.report import ConditionStatus

OLD_SHAPE = "criteria-only"
_STATUS = {
    "complete": ConditionStatus.MET,
    "insufficient": ConditionStatus.NOT_MET,
    "missing": ConditionStatus.UNDETERMINED,
}


def is_old_shape(report: Mapping[str, Any]) -> bool:
    return "conditions" not in report


def current_shape(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report with ``criteria`` and ``conditions`` apart, whichever shape it was stored in."""
    if not is_old_shape(report):
        return dict(report)
    criteria = []
    conditions = []
    for item in report.get("criteria", []):
        if item.get("kind", "criterion") == "criterion":
            criteria.append(dict(item))
            continue
        status = _STATUS.get(item.get("status"), ConditionStatus.UNDETERMINED)
        conditions.append(
            {
                "id": item.get("id"),
                "kind": "eligibility",
                "title": item.get("title"),
                "legal_ref": item.get("legal_ref"),
                "status": status.value,
                "status_label": status.label,
                "reasons": list(item.get("reasons", [])),
                "fields": [*item.get("missing_fields", []), *item.get("review_fields", [])],
                "criterion": None,
                "guidance": item.get("guidance"),
            }
        )
    upgraded = dict(report)
    upgraded["criteria"] = criteria
    upgraded["conditions"] = conditions
    upgraded["stored_shape"] = OLD_SHAPE
    return upgraded


def sufficient_now(report: Mapping[str, Any], lifted_messages: frozenset[str]) -> bool:
    """``sufficient`` in today's meaning (criteria alone), for a report stored in either shape.

    An old report counted its conditions, and the eligibility checks a published version
    states inside criteria (``lifted_messages``: their messages, see legacy.py), against
    ``sufficient``. Read again, a criterion counts as informed when it was complete, or
    insufficient only for such checks; ``missing`` stays missing. Used when the pilot measures
    are rebuilt, so "sufficient at first submission" has one meaning over old and new cases.
    """
    if not is_old_shape(report):
        return bool(report.get("sufficient"))
    for item in report.get("criteria", []):
        if item.get("kind", "criterion") != "criterion" or item.get("status") == "complete":
            continue
        if item.get("status") != "insufficient":
            return False
        reasons = item.get("reasons")
        if not reasons or not all(_lifted(reason, lifted_messages) for reason in reasons):
            return False
    return True


def _lifted(reason: str, lifted_messages: frozenset[str]) -> bool:
    # an unevaluable check's reason ends with "Kontrollen: <message>" (messages.unevaluable)
    return reason in lifted_messages or any(
        reason.endswith(f"Kontrollen: {message}") for message in lifted_messages
    )
