"""Validating an answers document against a definition version: the one source of rules.

The HTML form and the JSON API both call ``validate_answers``; neither adds rules of its own,
so the same answers give the same problems everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from forms_service.answers.coerce import Attachment
from forms_service.answers.evaluate import Evaluation, evaluate, is_empty_typed, top_field
from forms_service.answers.messages import message, row_description
from forms_service.definitions.expressions import ExpressionEvaluationError
from forms_service.definitions.model import Field, FieldType, FormDefinition


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # "ansaettelser[0].timer_pr_uge"
    code: str  # required, type, date, min, max, min_length, max_length, pattern, choice, ...
    message: str  # Danish, names the field

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class ValidationResult:
    evaluation: Evaluation
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_answers(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    *,
    today: dt.date,
    complete: bool = True,
) -> list[Problem]:
    """Every problem in ``answers``; ``complete=False`` (a draft) skips required checks."""
    return list(validate(definition, answers, today=today, complete=complete).problems)


def validate(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    *,
    today: dt.date,
    complete: bool = True,
) -> ValidationResult:
    return validate_evaluation(evaluate(definition, answers, today=today), complete=complete)


def validate_evaluation(
    evaluation: Evaluation, *, complete: bool = True, only: frozenset[str] | None = None
) -> ValidationResult:
    """``validate`` over an answer set already evaluated (completeness reads the same problems).

    ``only``: the top-level fields to look at (with their rows and the checks that name them);
    completeness asks only about the fields its criteria own, so it pays for no other rules.
    """
    definition = evaluation.definition
    problems: list[Problem] = []
    for key in evaluation.unknown:
        problems.append(Problem(key, "unknown", f"Feltet '{key}' findes ikke i {definition.ref}."))
    for tp in evaluation.type_problems:
        row = None
        if tp.repeat is not None and tp.row is not None:
            rows = evaluation.values.get(tp.repeat.id) or []
            row_values = rows[tp.row] if tp.row < len(rows) else None
            row = row_description(tp.repeat, tp.row, row_values)
        problems.append(
            Problem(tp.path, tp.code, message(tp.code, tp.field, row=row, value=tp.value))
        )
    failed = {p.path for p in problems}
    for section in definition.sections:
        if f"section:{section.id}" in evaluation.hidden:
            continue
        for f in section.fields:
            if (
                f.id in evaluation.hidden
                or f.id in failed
                or (only is not None and f.id not in only)
            ):
                continue
            value = evaluation.values.get(f.id)
            if f.type is FieldType.REPEAT:
                problems += _repeat(f, value, evaluation, failed, complete=complete)
            else:
                problems += _one(f, f.id, value, evaluation, complete=complete)
    problems += _cross_checks(definition, evaluation, failed, only)
    if only is not None:  # a partial look is grouped by field by its caller, not shown in order
        return ValidationResult(evaluation, tuple(problems))
    return ValidationResult(evaluation, tuple(_ordered(problems, _field_order(definition))))


def _required(field: Field, evaluation: Evaluation, row: Mapping[str, Any] | None) -> bool:
    if field.required:
        return True
    if field.required_if is None:
        return False
    try:
        return evaluation.run(field.required_if, row=row) is True
    except ExpressionEvaluationError:
        return False


def _one(
    field: Field,
    path: str,
    value: Any,
    evaluation: Evaluation,
    *,
    complete: bool,
    row: Mapping[str, Any] | None = None,
    row_name: Callable[[], str] | None = None,
) -> list[Problem]:
    # the row's name (its label filled in) is worked out only for a problem to report
    def problem(code: str) -> Problem:
        name = row_name() if row_name is not None else None
        return Problem(path, code, message(code, field, row=name, value=value))

    if value is None or is_empty_typed(value):
        if complete and path not in evaluation.undetermined and _required(field, evaluation, row):
            return [problem("required")]
        return []
    found: list[Problem] = []
    if field.type in (FieldType.INTEGER, FieldType.NUMBER, FieldType.DATE):
        low, high = field.min, field.max
        if field.type is FieldType.DATE:
            low = dt.date.fromisoformat(low) if isinstance(low, str) else None
            high = dt.date.fromisoformat(high) if isinstance(high, str) else None
        if low is not None and value < low:
            found.append(problem("min"))
        if high is not None and value > high:
            found.append(problem("max"))
    if isinstance(value, str) and field.type in (FieldType.TEXT, FieldType.TEXTAREA):
        if field.min_length is not None and len(value.strip()) < field.min_length:
            found.append(problem("min_length"))
        if field.max_length is not None and len(value) > field.max_length:
            found.append(problem("max_length"))
        if field.pattern and not re.fullmatch(field.pattern, value.strip()):
            found.append(problem("pattern"))
    if isinstance(value, Attachment) and complete:
        for part, part_value in (("title", value.title), ("source", value.source)):
            if part_value is None:
                name = row_name() if row_name is not None else None
                found.append(
                    Problem(f"{path}.{part}", "required", message("required", field, row=name))
                )
    return found


def _repeat(
    field: Field,
    rows: Any,
    evaluation: Evaluation,
    failed: set[str],
    *,
    complete: bool,
) -> list[Problem]:
    rows = rows or []
    found: list[Problem] = []
    if not rows:
        undetermined = field.id in evaluation.undetermined
        if complete and not undetermined and _required(field, evaluation, None):
            found.append(Problem(field.id, "required", message("required", field)))
        return found
    if complete and field.min_rows is not None and len(rows) < field.min_rows:
        found.append(Problem(field.id, "min_rows", message("min_rows", field)))
    if field.max_rows is not None and len(rows) > field.max_rows:
        found.append(Problem(field.id, "max_rows", message("max_rows", field)))
    for index, row in enumerate(rows):
        row_name = partial(row_description, field, index, row)
        full_row = {sub.id: row.get(sub.id) for sub in field.fields}
        for sub in field.fields:
            path = f"{field.id}[{index}].{sub.id}"
            if path in failed or path in evaluation.hidden:
                continue
            found += _one(
                sub,
                path,
                row.get(sub.id),
                evaluation,
                complete=complete,
                row=full_row,
                row_name=row_name,
            )
    return found


def _cross_checks(
    definition: FormDefinition,
    evaluation: Evaluation,
    failed: set[str],
    only: frozenset[str] | None = None,
) -> list[Problem]:
    found: list[Problem] = []
    for check in definition.checks:
        if only is not None and (check.repeat or "") not in only and only.isdisjoint(check.fields):
            continue
        if check.repeat is not None:
            repeat = definition.field(check.repeat)
            rows = evaluation.values.get(check.repeat) or []
            if repeat is None or check.repeat in evaluation.hidden:
                continue
            full_rows = [{sub.id: row.get(sub.id) for sub in repeat.fields} for row in rows]
            if full_rows and evaluation.holds_in_every_row(check.expr, full_rows):
                continue  # one evaluation over the rows instead of one per row
            for index, (row, full_row) in enumerate(zip(rows, full_rows, strict=True)):
                if _holds(check.expr, evaluation, full_row):
                    continue
                row_name = row_description(repeat, index, row)
                text = check.message.replace("{row}", row_name)
                targets = check.fields or (repeat.fields[0].id,)
                for sub_id in targets:
                    path = f"{check.repeat}[{index}].{sub_id}"
                    if path not in failed:
                        found.append(Problem(path, f"check:{check.id}", text))
            continue
        if any(f in evaluation.hidden for f in check.fields):
            continue
        if _holds(check.expr, evaluation, None):
            continue
        for target in check.fields or ("",):
            if target not in failed:
                found.append(Problem(target, f"check:{check.id}", check.message))
    return found


def _holds(expr: str, evaluation: Evaluation, row: Mapping[str, Any] | None) -> bool:
    try:
        return evaluation.run(expr, row=row) is not False
    except ExpressionEvaluationError:
        # an answer the check reads is missing or invalid: the required and type rules say so
        return True


def in_form_order(definition: FormDefinition, problems: list[Problem]) -> list[Problem]:
    """Problems of a partial validation (``only``) as the whole validation orders them."""
    return _ordered(problems, _field_order(definition))


def _field_order(definition: FormDefinition) -> dict[str, int]:
    order: dict[str, int] = {}
    for _section, f in definition.iter_fields():
        order[f.id] = len(order)
        for sub in f.fields:
            order[f"{f.id}.{sub.id}"] = len(order)
    return order


def _ordered(problems: list[Problem], order: dict[str, int]) -> list[Problem]:
    def key(problem: Problem) -> tuple[int, int, int, str]:
        head = top_field(problem.path)
        row = re.search(r"\[(\d+)\]\.([a-z0-9_]+)", problem.path)
        sub = order.get(f"{head}.{row.group(2)}", -1) if row else -1
        return (order.get(head, -1), int(row.group(1)) if row else -1, sub, problem.path)

    seen: set[tuple[str, str]] = set()
    unique = []
    for problem in problems:
        if (problem.path, problem.code) not in seen:
            seen.add((problem.path, problem.code))
            unique.append(problem)
    return sorted(unique, key=key)
