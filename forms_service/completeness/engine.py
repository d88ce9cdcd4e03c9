"""Is the case sufficiently informed ("tilstrækkeligt oplyst")? Criterion by criterion.

The rules live in each form version's ``completeness`` criteria, so a pilot version can change
them without code. For each criterion, in definition order:

1. Every field in ``requires`` must be answered and visible; otherwise the criterion is
   ``missing`` and its checks do not run (a check over absent information says nothing).
2. Each check whose ``when`` holds runs. A ``when`` that cannot be evaluated counts as not
   holding, as conditions do everywhere in the definition language: it reads a missing answer,
   and the check it guards is about a situation that has not been established.
3. A failed check counts with its severity: ``missing`` and ``insufficient`` make the
   criterion so (``missing`` wins, because it is what the municipality can act on: gather the
   information); ``attention`` is a note and leaves the criterion complete.
4. A check that cannot be evaluated (an answer it reads is absent or unusable) has failed with
   its own severity; the reason names what it reads, and what of that is unanswered is listed
   as missing, so the caseworker learns what to fill in rather than that a rule broke.

Pure core: no Flask, no database, no clock (``today`` is passed in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from forms_service.answers.evaluate import Evaluation, evaluate
from forms_service.completeness import messages
from forms_service.completeness.fields import FieldCatalog, FieldRef, catalog_for
from forms_service.completeness.report import CompletenessReport, CriterionResult, Status
from forms_service.definitions.expressions import ExpressionEvaluationError
from forms_service.definitions.model import Criterion, CriterionCheck, FormDefinition, Severity


def evaluate_completeness(
    definition: FormDefinition, answers: Mapping[str, Any], *, today: dt.date
) -> CompletenessReport:
    """The completeness report of an answers document on ``today``."""
    return evaluate_completeness_for(evaluate(definition, answers, today=today))


def evaluate_completeness_for(evaluation: Evaluation) -> CompletenessReport:
    """The report for an answer set already evaluated (e.g. by the validator's caller)."""
    definition = evaluation.definition
    catalog = catalog_for(definition)
    results = tuple(
        _criterion(criterion, evaluation, catalog) for criterion in definition.completeness
    )
    sufficient = all(result.complete for result in results)
    guidance = (
        definition.guidance.sufficient if sufficient else definition.guidance.missing_information
    )
    return CompletenessReport(
        form=definition.form,
        version=definition.version,
        content_hash=definition.content_hash,
        evaluated_on=evaluation.today,
        criteria=results,
        summary=_summary(results),
        guidance=guidance,
    )


class _Collector:
    """What one criterion found, kept in form order without duplicates."""

    def __init__(self, catalog: FieldCatalog) -> None:
        self.catalog = catalog
        self.reasons: list[str] = []
        self.attention: list[str] = []
        self.missing: dict[str, FieldRef] = {}
        self.review: dict[str, FieldRef] = {}
        self.severities: set[Severity] = set()

    def add_missing(self, evaluation: Evaluation, names: Iterable[str]) -> None:
        for name in names:
            for unanswered in self.catalog.unanswered_inputs(evaluation, name):
                self.missing.setdefault(unanswered, self.catalog.ref(unanswered))

    def add_review(self, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.missing:
                self.review.setdefault(name, self.catalog.ref(name))

    def fail(self, severity: Severity, message: str) -> None:
        if severity is Severity.ATTENTION:
            self.attention.append(message)
        else:
            self.severities.add(severity)
            self.reasons.append(message)

    def ordered(self, refs: Mapping[str, FieldRef], *, documents: bool) -> tuple[FieldRef, ...]:
        chosen = [ref for ref in refs.values() if ref.document is documents]
        return tuple(sorted(chosen, key=lambda ref: ref.order))


def _criterion(
    criterion: Criterion, evaluation: Evaluation, catalog: FieldCatalog
) -> CriterionResult:
    found = _Collector(catalog)
    absent = [name for name in criterion.requires if not catalog.answered(evaluation, name)]
    if absent:
        for name in absent:
            ref = catalog.ref(name)
            inputs = catalog.unanswered_inputs(evaluation, name)
            if catalog.hidden(evaluation, name):
                found.reasons.append(messages.required_hidden(ref))
            elif ref.computed and inputs != (name,):
                input_refs = [catalog.ref(i) for i in inputs]
                found.reasons.append(messages.computed_missing(ref, input_refs))
            else:
                found.reasons.append(messages.required_missing(ref))
        found.add_missing(evaluation, absent)
        status = Status.MISSING
    else:
        for check in criterion.checks:
            _run_check(check, evaluation, found)
        if Severity.MISSING in found.severities:
            status = Status.MISSING
        elif Severity.INSUFFICIENT in found.severities:
            status = Status.INSUFFICIENT
        else:
            status = Status.COMPLETE
    return CriterionResult(
        id=criterion.id,
        kind=criterion.kind,
        title=criterion.title,
        legal_ref=criterion.legal_ref,
        status=status,
        reasons=tuple(found.reasons),
        missing_fields=found.ordered(found.missing, documents=False),
        missing_documents=found.ordered(found.missing, documents=True),
        review_fields=tuple(sorted(found.review.values(), key=lambda ref: ref.order)),
        attention=tuple(found.attention),
        guidance=criterion.guidance,
    )


def _holds(evaluation: Evaluation, source: str) -> bool:
    try:
        return evaluation.run(source) is True
    except ExpressionEvaluationError:
        return False


def _run_check(check: CriterionCheck, evaluation: Evaluation, found: _Collector) -> None:
    if check.when is not None and not _holds(evaluation, check.when):
        return
    try:
        passed = evaluation.run(check.expr) is True
    except ExpressionEvaluationError:
        _unevaluable(check, evaluation, found)
        return
    if passed:
        return
    found.fail(check.severity, check.message)
    if check.severity is Severity.ATTENTION:
        return
    catalog = found.catalog
    unanswered = [name for name in check.fields if not catalog.answered(evaluation, name)]
    found.add_missing(evaluation, unanswered)
    found.add_review(name for name in check.fields if name not in unanswered)


def _unevaluable(check: CriterionCheck, evaluation: Evaluation, found: _Collector) -> None:
    catalog = found.catalog
    read = catalog.reads(check.expr)
    missing: list[str] = []
    for name in read:
        for unanswered in catalog.unanswered_inputs(evaluation, name):
            if unanswered not in missing:
                missing.append(unanswered)
    missing_refs = sorted((catalog.ref(name) for name in missing), key=lambda ref: ref.order)
    read_refs = [catalog.ref(name) for name in read]
    found.fail(check.severity, messages.unevaluable(check.message, missing_refs, read_refs))
    if check.severity is Severity.ATTENTION:
        return
    if missing:
        found.add_missing(evaluation, missing)
    else:
        found.add_review(read)


def _summary(results: tuple[CriterionResult, ...]) -> str:
    criteria = [r for r in results if r.kind == "criterion"]
    conditions = [r for r in results if r.kind != "criterion"]
    return messages.summary(
        criteria=(sum(r.complete for r in criteria), len(criteria)),
        conditions=(sum(r.complete for r in conditions), len(conditions)),
        missing=[r.title for r in results if r.status is Status.MISSING],
        insufficient=[r.title for r in criteria if r.status is Status.INSUFFICIENT],
        unmet=[r.title for r in conditions if r.status is Status.INSUFFICIENT],
        attention=sum(len(r.attention) for r in results),
    )
