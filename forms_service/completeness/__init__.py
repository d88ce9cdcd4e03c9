"""Completeness: is a case sufficiently informed ("tilstrækkeligt oplyst")? (pure core)

``evaluate_completeness(definition, answers, today=...)`` gives a :class:`CompletenessReport`;
``.to_dict()`` is what the API returns and what a submission stores.
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
