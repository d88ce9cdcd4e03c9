"""Completeness: is a case sufficiently informed ("tilstrækkeligt oplyst")? (pure core)

    report = evaluate_completeness(definition, answers, today=today)   # or, already evaluated:
    report = evaluate_completeness_for(evaluation)
    report.sufficient, report.to_dict(), report.to_json(), report.missing_items()

``to_dict()`` (what the API returns and a submission stores; deterministic)::

    {"form", "version", "content_hash", "evaluated_on": "YYYY-MM-DD", "sufficient": bool,
     "summary": "Danish sentence", "guidance": form guidance (sufficient / missing_information),
     "criteria": [{"id", "kind": "criterion"|"eligibility", "title", "legal_ref",
                   "status": "complete"|"missing"|"insufficient", "status_label",
                   "reasons": [Danish], "missing_fields": [ref], "missing_documents": [ref],
                   "review_fields": [ref], "attention": [Danish], "guidance": markdown}]}

    ref = {"id", "label", "section", "section_title", "group", "group_label", "anchor"}

``anchor`` is the element id on the form page (``field-<id>``; a sub-field links to its repeat
group, an attachment to ``field-<id>-title``). The rules are in engine.py.
"""

from forms_service.completeness.engine import evaluate_completeness, evaluate_completeness_for
from forms_service.completeness.fields import FieldRef
from forms_service.completeness.report import CompletenessReport, CriterionResult, Status

__all__ = [
    "CompletenessReport",
    "CriterionResult",
    "FieldRef",
    "Status",
    "evaluate_completeness",
    "evaluate_completeness_for",
]
