"""Completeness: is a case sufficiently informed ("tilstrækkeligt oplyst")? (pure core)

    report = evaluate_completeness(definition, answers, today=today)   # or, already evaluated:
    report = evaluate_completeness_for(evaluation)
    report.sufficient, report.to_dict(), report.to_json(), report.missing_items(), report.not_met()

``sufficient`` answers § 26 c alone: is every information criterion informed? ``conditions``
say what the information shows about eligibility (§ 26 a); a condition not met can lead to a
refusal and is never missing information.

``to_dict()`` (what the API returns and a submission stores; deterministic)::

    {"form", "version", "content_hash", "evaluated_on": "YYYY-MM-DD", "sufficient": bool,
     "summary": "Danish sentence", "guidance": form guidance (sufficient / missing_information),
     "criteria": [{"id", "kind": "criterion", "title", "legal_ref",
                   "status": "complete"|"missing"|"insufficient", "status_label",
                   "reasons": [Danish], "missing_fields": [ref], "missing_documents": [ref],
                   "review_fields": [ref], "attention": [Danish], "guidance": markdown}],
     "conditions": [{"id", "kind": "eligibility", "title", "legal_ref",
                     "status": "met"|"not_met"|"undetermined", "status_label",
                     "reasons": [Danish], "fields": [ref], "criterion": id or null,
                     "guidance": markdown}]}

A report stored before the split reads in this shape through ``current_shape`` (stored.py).

    ref = {"id", "label", "section", "section_title", "group", "group_label", "anchor"}

``anchor`` is the element id on the form page (``field-<id>``; a sub-field links to its repeat
group, an attachment to ``field-<id>-title``). The rules are in engine.py.
"""

from forms_service.completeness.engine import evaluate_completeness, evaluate_completeness_for
from forms_service.completeness.fields import FieldRef
from forms_service.completeness.legacy import lifted_messages
from forms_service.completeness.report import (
    CompletenessReport,
    ConditionResult,
    ConditionStatus,
    CriterionResult,
    Status,
)
from forms_service.completeness.stored import current_shape, sufficient_now

__all__ = [
    "CompletenessReport",
    "ConditionResult",
    "ConditionStatus",
    "CriterionResult",
    "FieldRef",
    "Status",
    "current_shape",
    "evaluate_completeness",
    "evaluate_completeness_for",
    "lifted_messages",
    "sufficient_now",
]
