"""Eligibility conditions: what the answers show about the conditions for seniorpension.

A condition is ``met``, ``not_met`` or ``undetermined``:

1. If an answer it ``requires`` is absent, it is ``undetermined``: nothing can be said yet. An
   answer given but refused by validation (a CPR number whose birth date does not exist) is
   named with the validator's message, not as unanswered.
2. Each check whose ``when`` holds runs. A check that fails on answers that are all there makes
   the condition ``not_met`` with the check's message, except a check of severity
   ``attention``: it marks what depends on Seniorpension's own assessment (BEK § 2, stk. 2) and
   makes the condition ``undetermined``.
3. A check that cannot be evaluated, or fails while an answer it reads is absent, makes the
   condition ``undetermined`` and names what is missing: a failed test over absent information
   says nothing about the citizen.
4. ``not_met`` wins over ``undetermined``: one condition plainly not met is enough to know.

Whether a condition is met never decides ``sufficient`` (see report.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from forms_service.answers.evaluate import Evaluation
from forms_service.answers.messages import message as validation_message
from forms_service.completeness import messages
from forms_service.completeness.fields import FieldCatalog, FieldRef
from forms_service.completeness.report import ConditionResult, ConditionStatus
from forms_service.definitions.expressions import ExpressionEvaluationError
from forms_service.definitions.model import CriterionCheck, Severity


@dataclass(frozen=True, slots=True)
class ConditionSpec:
    """A condition as the engine runs it, from an eligibility entry or a lifted check."""

    id: str
    title: str
    legal_ref: str | None
    guidance: str | None
    requires: tuple[str, ...]
    checks: tuple[CriterionCheck, ...]
    criterion: str | None = None


def evaluate_condition(
    spec: ConditionSpec, evaluation: Evaluation, catalog: FieldCatalog
) -> ConditionResult:
    absent = _unanswered(evaluation, catalog, spec.requires)
    not_met: list[str] = []
    undetermined: list[str] = []
    if absent:
        undetermined.append(_needs(evaluation, catalog, absent))
    else:
        for check in spec.checks:
            _run(check, evaluation, catalog, not_met, undetermined)
    if not_met:
        status, reasons = ConditionStatus.NOT_MET, not_met
    elif undetermined:
        status, reasons = ConditionStatus.UNDETERMINED, undetermined
    else:
        return met_result(spec, catalog)
    return _result(spec, catalog, status, tuple(reasons))


def met_result(spec: ConditionSpec, catalog: FieldCatalog) -> ConditionResult:
    """The result of a condition that is met (the same for every case: the engine keeps it)."""
    return _result(spec, catalog, ConditionStatus.MET, ())


def _result(
    spec: ConditionSpec, catalog: FieldCatalog, status: ConditionStatus, reasons: tuple[str, ...]
) -> ConditionResult:
    named: list[str] = list(spec.requires)
    for check in spec.checks:
        named.extend(check.fields)
    return ConditionResult(
        id=spec.id,
        title=spec.title,
        legal_ref=spec.legal_ref,
        status=status,
        reasons=reasons,
        fields=_refs(catalog, catalog.sorted(named) or tuple(dict.fromkeys(named))),
        guidance=spec.guidance,
        criterion=spec.criterion,
    )


def _run(
    check: CriterionCheck,
    evaluation: Evaluation,
    catalog: FieldCatalog,
    not_met: list[str],
    undetermined: list[str],
) -> None:
    if check.when is not None and not holds(evaluation, check.when):
        return
    try:
        passed = evaluation.run(check.expr) is True
    except ExpressionEvaluationError:
        passed = None
    if passed:
        return
    absent = _unanswered(evaluation, catalog, catalog.reads(check.expr))
    if passed is None or absent:
        if absent:
            undetermined.append(_needs(evaluation, catalog, absent, check.message))
        else:
            read = _refs(catalog, catalog.reads(check.expr))
            undetermined.append(messages.unevaluable(check.message, read))
    elif check.severity is Severity.ATTENTION:
        undetermined.append(check.message)
    else:
        not_met.append(check.message)


def holds(evaluation: Evaluation, source: str) -> bool:
    """Whether an expression is true; one that cannot be evaluated does not hold (it reads an
    answer not given, and the situation it describes has not been established)."""
    try:
        return evaluation.run(source) is True
    except ExpressionEvaluationError:
        return False


def refusals(evaluation: Evaluation) -> dict[str, str]:
    """The validator's message for each top-level answer given but refused: its value could
    not be read as the field's type (a CPR number whose birth date does not exist)."""
    return {
        problem.path: validation_message(problem.code, problem.field, value=problem.value)
        for problem in evaluation.type_problems
        if problem.repeat is None
    }


def _needs(
    evaluation: Evaluation,
    catalog: FieldCatalog,
    absent: Sequence[str],
    message: str | None = None,
) -> str:
    refused = refusals(evaluation)
    unanswered = [name for name in absent if name not in refused]
    wrong = [refused[name] for name in absent if name in refused]
    return messages.condition_needs(_refs(catalog, unanswered), message, refused=wrong)


def _unanswered(
    evaluation: Evaluation, catalog: FieldCatalog, names: Iterable[str]
) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        for missing in catalog.unanswered_inputs(evaluation, name):
            if missing not in found:
                found.append(missing)
    return tuple(found)  # in the order read; the reasons name them in form order (_refs)


def _refs(catalog: FieldCatalog, names: Sequence[str]) -> tuple[FieldRef, ...]:
    return tuple(sorted((catalog.ref(n) for n in names), key=lambda ref: ref.order))
