"""Is the case sufficiently informed ("tilstrækkeligt oplyst")? Criterion by criterion.

The rules live in each form version's ``completeness`` entries, so a pilot version can change
them without code. Entries of ``kind: "criterion"`` are the information criteria of
pensionsloven § 26 c, stk. 1, and alone decide ``sufficient``; entries of
``kind: "eligibility"`` are conditions (conditions.py), reported beside them. A check that a
published version states inside a criterion but that tests eligibility (legacy.py) is reported
as a condition too.

For each criterion, in definition order:

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
5. What submission would refuse in a field the criterion owns makes the criterion not
   complete, with the validator's own Danish message: an empty required field ``missing``,
   anything else (too short, out of range) ``insufficient``. Completeness and validation never
   disagree. A field (a repeat group with every row) is owned by the first criterion that
   ``requires`` it, else by the first whose checks name it in ``fields``: one problem, one
   criterion.

Pure core: no Flask, no database, no clock (``today`` is passed in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from forms_service.answers.evaluate import Evaluation, evaluate
from forms_service.answers.validate import Problem, validate_evaluation
from forms_service.completeness import messages
from forms_service.completeness.conditions import (
    ConditionSpec,
    evaluate_condition,
    holds,
    met_result,
    refusals,
)
from forms_service.completeness.fields import FieldCatalog, FieldRef, catalog_for
from forms_service.completeness.legacy import lifted
from forms_service.completeness.report import (
    CompletenessReport,
    ConditionResult,
    ConditionStatus,
    CriterionResult,
    Status,
)
from forms_service.definitions.expressions import ExpressionEvaluationError, compile_expression
from forms_service.definitions.model import Criterion, CriterionCheck, FormDefinition, Severity


def evaluate_completeness(
    definition: FormDefinition, answers: Mapping[str, Any], *, today: dt.date
) -> CompletenessReport:
    """The completeness report of an answers document on ``today``."""
    return evaluate_completeness_for(evaluate(definition, answers, today=today))


def evaluate_completeness_for(
    evaluation: Evaluation, *, validated: Iterable[Problem] | None = None
) -> CompletenessReport:
    """The report for an answer set already evaluated (e.g. by the validator's caller).

    ``validated``: the problems of a partial validation (``only``, not put in form order)
    that looked at least at every field a criterion owns, if the caller has them."""
    definition = evaluation.definition
    catalog = catalog_for(definition)
    criteria, conditions, owned = plan_for(definition)
    problems = _owned_problems(
        evaluation, (name for names in owned.values() for name in names), validated
    )
    fast = _fast_for(definition, criteria, conditions, catalog)
    results = tuple(
        _complete_at_once(
            criterion, evaluation, catalog, problems, owned.get(criterion.id, ()), prebuilt
        )
        or _criterion(criterion, evaluation, catalog, problems, owned.get(criterion.id, ()))
        for criterion, prebuilt in _paired(criteria, fast.criteria)
    )
    found = tuple(
        _met_at_once(spec, evaluation, catalog, prebuilt)
        or evaluate_condition(spec, evaluation, catalog)
        for spec, prebuilt in _paired(conditions, fast.conditions)
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
        conditions=found,
        summary=_summary(results, found),
        guidance=guidance,
    )


def results_for(
    evaluation: Evaluation,
    criterion_ids: frozenset[str],
    condition_ids: frozenset[str],
    *,
    validated: Iterable[Problem] | None = None,
) -> tuple[dict[str, CriterionResult], dict[str, ConditionResult]]:
    """The results of only the named criteria and conditions, each as the whole report has it.

    Validation looks only at the fields the named criteria own: a field's problems do not
    depend on which other fields are looked at, so they are the ones the whole report files
    under it. Keyed by id, a later entry of the same id winning as in a dict of the report's.
    ``validated``: as for ``evaluate_completeness_for``.
    """
    definition = evaluation.definition
    catalog = catalog_for(definition)
    criteria, conditions, owned = plan_for(definition)
    fast = _fast_for(definition, criteria, conditions, catalog)
    chosen = [
        (criterion, prebuilt)
        for criterion, prebuilt in _paired(criteria, fast.criteria)
        if criterion.id in criterion_ids
    ]
    problems = _owned_problems(
        evaluation, (n for c, _ in chosen for n in owned.get(c.id, ())), validated
    )
    found_criteria = {
        criterion.id: _complete_at_once(
            criterion, evaluation, catalog, problems, owned.get(criterion.id, ()), prebuilt
        )
        or _criterion(criterion, evaluation, catalog, problems, owned.get(criterion.id, ()))
        for criterion, prebuilt in chosen
    }
    found_conditions = {
        spec.id: _met_at_once(spec, evaluation, catalog, prebuilt)
        or evaluate_condition(spec, evaluation, catalog)
        for spec, prebuilt in _paired(conditions, fast.conditions)
        if spec.id in condition_ids
    }
    return found_criteria, found_conditions


Plan = tuple[tuple[Criterion, ...], tuple[ConditionSpec, ...], dict[str, tuple[str, ...]]]
_PLANS: dict[tuple[str, str, str], Plan] = {}


def plan_for(definition: FormDefinition) -> Plan:
    """The information criteria (eligibility checks taken out), the conditions of a version and
    the fields each criterion owns.

    Conditions come in definition order: the version's eligibility entries, then the checks
    lifted out of its criteria.
    """
    key = (definition.form, definition.version, definition.content_hash)
    if definition.content_hash and key in _PLANS:
        return _PLANS[key]
    criteria: list[Criterion] = []
    stated: list[ConditionSpec] = []
    taken_out: list[ConditionSpec] = []
    for entry in definition.completeness:
        if entry.kind != "criterion":
            stated.append(
                ConditionSpec(
                    entry.id,
                    entry.title,
                    entry.legal_ref,
                    entry.guidance,
                    entry.requires,
                    entry.checks,
                )
            )
            continue
        kept = []
        for check in entry.checks:
            condition = lifted(entry.id, check.expr)
            if condition is None:
                kept.append(check)
                continue
            taken_out.append(
                ConditionSpec(
                    condition.id,
                    condition.title,
                    condition.legal_ref,
                    None,
                    check.fields,
                    (check,),
                    criterion=entry.id,
                )
            )
        criteria.append(replace(entry, checks=tuple(kept)))
    plan = (tuple(criteria), tuple(stated + taken_out), owners(criteria))
    if definition.content_hash:
        _PLANS[key] = plan
    return plan


@dataclass(frozen=True, slots=True)
class _Prebuilt:
    """A criterion's (condition's) result when every check passes, and one CEL expression
    that is exactly ``true`` when they all do (None: no checks, or not one expression)."""

    all_pass: str | None
    result: CriterionResult | ConditionResult


@dataclass(frozen=True, slots=True)
class _Fast:
    criteria: tuple[_Prebuilt, ...]
    conditions: tuple[_Prebuilt, ...]


_FAST: dict[tuple[str, str, str], _Fast] = {}


def _fast_for(
    definition: FormDefinition,
    criteria: tuple[Criterion, ...],
    conditions: tuple[ConditionSpec, ...],
    catalog: FieldCatalog,
) -> _Fast:
    """Most criteria of most cases are complete and most conditions met: one expression per
    criterion says so, and the result is prebuilt; anything else takes the full path, whose
    result is the same for complete ones (tests compare both on every fixture)."""
    key = (definition.form, definition.version, definition.content_hash)
    found = _FAST.get(key) if definition.content_hash else None
    if found is not None:
        return found
    found = _Fast(
        criteria=tuple(
            _Prebuilt(
                _all_pass(criterion.checks),
                CriterionResult(
                    id=criterion.id,
                    kind=criterion.kind,
                    title=criterion.title,
                    legal_ref=criterion.legal_ref,
                    status=Status.COMPLETE,
                    reasons=(),
                    missing_fields=(),
                    missing_documents=(),
                    review_fields=(),
                    attention=(),
                    guidance=criterion.guidance,
                ),
            )
            for criterion in criteria
        ),
        conditions=tuple(
            _Prebuilt(_all_pass(spec.checks), met_result(spec, catalog)) for spec in conditions
        ),
    )
    if definition.content_hash:
        _FAST[key] = found
    return found


def _all_pass(checks: tuple[CriterionCheck, ...]) -> str | None:
    """CEL that is ``true`` exactly when every check whose ``when`` holds has ``expr`` true.

    A ``when`` or ``expr`` that fails to evaluate makes the whole an error (the ternary does not
    absorb errors), and a failed check makes it false: either way the checks are run one by
    one. A ``when`` that is not a boolean is an error in the ternary, as it should be here.
    """
    if not checks:
        return None
    parts = [
        f"(({check.expr}) == true)"
        if check.when is None
        else f"(({check.when}) ? (({check.expr}) == true) : true)"
        for check in checks
    ]
    source = " && ".join(parts)
    try:
        compile_expression(source)
    except ValueError:
        return None  # over a limit (or a check that does not compile): one by one
    return source


def _passes(evaluation: Evaluation, source: str | None, checks: int) -> bool:
    if source is None:
        return checks == 0
    return holds(evaluation, source)


def _complete_at_once(
    criterion: Criterion,
    evaluation: Evaluation,
    catalog: FieldCatalog,
    problems: Mapping[str, list[Problem]],
    owned: tuple[str, ...],
    prebuilt: _Prebuilt,
) -> CriterionResult | None:
    """The prebuilt complete result when nothing is absent, every check passes and validation
    finds nothing in the fields it owns; None otherwise."""
    if any(name in problems for name in owned):
        return None
    if not all(catalog.answered(evaluation, name) for name in criterion.requires):
        return None
    if not _passes(evaluation, prebuilt.all_pass, len(criterion.checks)):
        return None
    return prebuilt.result  # type: ignore[return-value]


def _met_at_once(
    spec: ConditionSpec, evaluation: Evaluation, catalog: FieldCatalog, prebuilt: _Prebuilt
) -> ConditionResult | None:
    if not all(catalog.answered(evaluation, name) for name in spec.requires):
        return None
    if not _passes(evaluation, prebuilt.all_pass, len(spec.checks)):
        return None
    return prebuilt.result  # type: ignore[return-value]


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


def _paired(entries: tuple[Any, ...], prebuilt: tuple[_Prebuilt, ...]) -> Iterable[Any]:
    return zip(entries, prebuilt, strict=True)  # pragma: no mutate (equal lengths by build)


def _owned_problems(
    evaluation: Evaluation, owned: Iterable[str], validated: Iterable[Problem] | None
) -> dict[str, list[Problem]]:
    """The validation problems under the names criteria own (``validated``: the caller's, that
    looked at least at those fields). Only their top-level fields are validated: a field's
    problems do not depend on which other fields are looked at."""
    if validated is not None:
        return _problems_by_field(validated)
    read = frozenset(_TOP_FIELD.match(name).group() for name in owned)  # type: ignore[union-attr]
    if not read:  # pragma: no mutate (work saved: validating nothing files nothing owned)
        return {}
    result = validate_evaluation(
        evaluation,
        complete=True,
        only=read,  # pragma: no mutate (work saved: every field gives the same owned problems)
    )
    return _problems_by_field(result.problems)


def _problems_by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """Validation problems under the names a criterion reads.

    ``ansaettelser[2].timer_pr_uge`` is filed under ``ansaettelser`` (the group) and
    ``ansaettelser.timer_pr_uge`` (the sub-field); ``cpr`` under ``cpr``.
    """
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.code == "unknown":
            continue  # an answer the version does not ask for belongs to no criterion
        found.setdefault(problem.path.partition("[")[0], []).append(problem)
        in_row = _row_field(problem.path)
        if in_row is not None:
            found.setdefault(in_row, []).append(problem)
    return found


_ROW_FIELD = re.compile(r"([^\[]*)\[\d+\]\.([^.\[]*)")  # group[2].sub...
_TOP_FIELD = re.compile(r"[^\[.]*")


def _row_field(path: str) -> str | None:
    """``group.sub`` for a problem in a row's field (``ansaettelser[2].timer_pr_uge``)."""
    found = _ROW_FIELD.match(path)
    return None if found is None else f"{found[1]}.{found[2]}"


def owners(criteria: Iterable[Criterion]) -> dict[str, tuple[str, ...]]:
    """Criterion id -> the field names whose validation problems it reports (see rule 5)."""
    criteria = tuple(criteria)
    owner: dict[str, str] = {}
    for criterion in criteria:
        for name in criterion.requires:
            owner.setdefault(name, criterion.id)
    for criterion in criteria:
        for check in criterion.checks:
            for name in check.fields:
                owner.setdefault(name, criterion.id)
    owned: dict[str, tuple[str, ...]] = {}
    for name, criterion_id in owner.items():
        owned[criterion_id] = (*owned.get(criterion_id, ()), name)
    return owned


_ABSENT = ("required", "min_rows")  # the problems of an answer not given


def _refuse_as_validation_does(
    owned: tuple[str, ...], problems: Mapping[str, list[Problem]], found: _Collector
) -> None:
    """Each validation problem in the fields the criterion owns, as submission would refuse it.

    A row's problem is filed under the group and its sub-field, and a check across fields gives
    one problem per field with one message: reading one twice changes nothing, each field is
    listed once and each message said once."""
    for name in owned:
        for problem in problems.get(name, ()):
            ref = found.catalog.ref(_ref_name(problem.path))
            if ref.id in found.missing:
                continue  # already named as missing by ``requires``
            if problem.code in _ABSENT:
                found.severities.add(Severity.MISSING)
                found.missing.setdefault(ref.id, ref)
            else:
                found.severities.add(Severity.INSUFFICIENT)
                found.review.setdefault(ref.id, ref)
            if problem.message not in found.reasons:
                found.reasons.append(problem.message)


def _ref_name(path: str) -> str:
    """The catalog name of a problem's path: ``group.sub`` for a row's field, else the field."""
    return _row_field(path) or _TOP_FIELD.match(path).group()  # type: ignore[union-attr]


def _criterion(
    criterion: Criterion,
    evaluation: Evaluation,
    catalog: FieldCatalog,
    problems: Mapping[str, list[Problem]],
    owned: tuple[str, ...],
) -> CriterionResult:
    found = _Collector(catalog)
    absent = [name for name in criterion.requires if not catalog.answered(evaluation, name)]
    if absent:
        _name_absent(absent, evaluation, found)
    else:
        for check in criterion.checks:
            _run_check(check, evaluation, found)
    _refuse_as_validation_does(owned, problems, found)
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


def _name_absent(absent: list[str], evaluation: Evaluation, found: _Collector) -> None:
    """Why each required field is without a usable answer. An answer given but refused by
    validation (a CPR number whose birth date does not exist) is wrong, not unanswered: the
    criterion says so with the validator's message, as submission would."""
    catalog = found.catalog
    refused = refusals(evaluation)
    unanswered: list[str] = []
    for name in absent:
        ref = catalog.ref(name)
        inputs = catalog.unanswered_inputs(evaluation, name)
        if name in refused:
            found.reasons.append(refused[name])
            found.review.setdefault(ref.id, ref)
            found.severities.add(Severity.INSUFFICIENT)
            continue
        if catalog.hidden(evaluation, name):
            found.reasons.append(messages.required_hidden(ref))
        elif ref.computed and inputs != (name,):
            # computed from answers not given (missing) or given and refused (for review)
            wrong = [i for i in inputs if i in refused]
            blank = [catalog.ref(i) for i in inputs if i not in refused]
            found.reasons.append(
                messages.computed_missing(ref, blank, refused=[refused[i] for i in wrong])
            )
            found.add_review(wrong)
            if wrong:
                found.severities.add(Severity.INSUFFICIENT)
            unanswered.extend(i.id for i in blank)
            continue
        else:
            found.reasons.append(messages.required_missing(ref))
        unanswered.append(name)
    if unanswered:
        found.add_missing(evaluation, unanswered)
        found.severities.add(Severity.MISSING)


def _run_check(check: CriterionCheck, evaluation: Evaluation, found: _Collector) -> None:
    if check.when is not None and not holds(evaluation, check.when):
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
    refused = refusals(evaluation)
    missing: list[str] = []
    wrong: list[str] = []  # given but refused by validation: wrong, not unanswered
    for name in read:
        for unanswered in catalog.unanswered_inputs(evaluation, name):
            into = wrong if unanswered in refused else missing
            if unanswered not in into:
                into.append(unanswered)
    missing_refs = sorted((catalog.ref(name) for name in missing), key=lambda ref: ref.order)
    read_refs = [catalog.ref(name) for name in read]
    text = messages.unevaluable(
        check.message, read_refs, missing_refs, refused=[refused[name] for name in wrong]
    )
    found.fail(check.severity, text)
    if check.severity is Severity.ATTENTION:
        return
    found.add_missing(evaluation, missing)
    found.add_review(wrong if missing or wrong else read)


def _summary(results: tuple[CriterionResult, ...], conditions: tuple[ConditionResult, ...]) -> str:
    return messages.summary(
        criteria=(sum(r.complete for r in results), len(results)),
        missing=[r.title for r in results if r.status is Status.MISSING],
        insufficient=[r.title for r in results if r.status is Status.INSUFFICIENT],
        not_met=[c.title for c in conditions if c.status is ConditionStatus.NOT_MET],
        undetermined=[c.title for c in conditions if c.status is ConditionStatus.UNDETERMINED],
        attention=sum(len(r.attention) for r in results),
    )
