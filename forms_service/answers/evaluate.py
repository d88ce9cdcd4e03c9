"""The evaluated answer set: typed answers, computed values, hidden fields dropped.

Forms, the API, completeness and documents all read this one set, so a value the caseworker
cannot see never counts anywhere. ``today`` is passed in, never read from the clock, so
evaluating the same answers again gives the same result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms_service.answers.coerce import (
    Attachment,
    CoercionError,
    coerce_value,
    is_empty,
    to_json_value,
)
from forms_service.definitions.expressions import (
    DOMAIN_FUNCTIONS,
    ExpressionEvaluationError,
    compile_expression,
    from_cel_value,
    make_context,
    to_cel_date,
)
from forms_service.definitions.expressions import (
    evaluate as run_compiled,
)
from forms_service.definitions.model import ComputedType, Field, FieldType, FormDefinition

# visibility can depend on computed values that depend on visible answers; a few rounds
# reach the fixed point for any sensible form, and the bound keeps a pathological one finite
_MAX_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class TypeProblem:
    path: str
    code: str
    field: Field
    row: int | None = None
    repeat: Field | None = None


@dataclass
class Evaluation:
    definition: FormDefinition
    today: dt.date
    # typed values of visible, answered fields (repeat: list of row dicts) and computed values
    values: dict[str, Any]
    computed: dict[str, Any]
    hidden: frozenset[str]  # paths: "field", "section:<id>", "repeat[2].sub"
    # shown because their condition cannot be evaluated yet; never required until it can
    undetermined: frozenset[str]
    type_problems: list[TypeProblem]
    unknown: list[str]
    raw_rows: dict[str, list[Any]] = field(default_factory=dict)
    _cel_vars: dict[str, Any] = field(default_factory=dict, repr=False)

    def is_visible(self, path: str) -> bool:
        return path not in self.hidden

    def answered(self, field_id: str) -> bool:
        return field_id in self.values and not is_empty_typed(self.values[field_id])

    def to_json(self) -> dict[str, Any]:
        """The evaluated answers document (computed values included)."""
        return {key: to_json_value(value) for key, value in self.values.items()}

    def answers_json(self) -> dict[str, Any]:
        """Only the answers (what is stored): hidden and unknown keys dropped, no computed."""
        return {k: to_json_value(v) for k, v in self.values.items() if k not in self.computed}

    def run(self, source: str, *, row: Mapping[str, Any] | None = None) -> Any:
        """Evaluate an expression against this answer set (ExpressionEvaluationError if n/a)."""
        return _run(source, self._cel_vars, row=_cel_row(row) if row is not None else None)


def is_empty_typed(value: Any) -> bool:
    if isinstance(value, Attachment):
        return value.title is None and value.source is None and value.date is None
    return is_empty(value) if not isinstance(value, bool | int | float | dt.date) else False


def _cel(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return to_cel_date(value)
    if isinstance(value, Attachment):
        return {
            "title": value.title,
            "source": value.source,
            "date": to_cel_date(value.date) if value.date else None,
            "reference": value.reference,
        }
    if isinstance(value, list):
        return [_cel(v) for v in value]
    if isinstance(value, dict):
        return {k: _cel(v) for k, v in value.items()}
    return value


def _cel_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _cel(v) for k, v in row.items()}


class _CelVariables(dict[str, Any]):
    """Expression variables that keep a CEL context, so each value is converted to CEL once.

    Converting the employment rows to CEL costs more than evaluating a short expression over
    them; with a dict every expression converts what it reads again. The context is built on
    first use and updated in one batch when an expression reads a value set since (a
    ``cel.Context`` rebuilds its environment on every change). Not thread-safe, like the
    Evaluation that holds it.
    """

    __slots__ = ("_context", "_pending")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._context: Any = None
        self._pending: dict[str, Any] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        if self._context is not None:
            self._pending[key] = value

    def context_for(self, names: frozenset[str]) -> Any:
        """The context for an expression reading ``names``; None if one is not a variable."""
        if not names <= self.keys():
            return None  # the dict path binds unknown names to null
        if self._context is None:
            self._context = make_context(self)
            self._pending = {}
        elif self._pending and not names.isdisjoint(self._pending):
            self._context.update(self._pending)
            self._pending = {}
        return self._context


def _run(source: str, variables: Mapping[str, Any], *, row: Any = None) -> Any:
    compiled = compile_expression(source)
    if row is None and isinstance(variables, _CelVariables):
        context = variables.context_for(compiled.variables)
        if context is not None:
            return run_compiled(compiled, context)
    scope: dict[str, Any] = {name: variables.get(name) for name in compiled.variables}
    if row is not None:
        scope["row"] = row
    for name in compiled.functions:
        function = DOMAIN_FUNCTIONS.get(name)
        if function is not None:
            scope[name] = function
    return run_compiled(compiled, scope)


def _condition(source: str | None, variables: Mapping[str, Any], *, row: Any = None) -> bool | None:
    """A visible_if: True when absent; None when it cannot be evaluated yet (answers missing)."""
    if source is None:
        return True
    try:
        return _run(source, variables, row=row) is True
    except ExpressionEvaluationError:
        return None


def _coerce_all(
    definition: FormDefinition, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[TypeProblem], list[str], dict[str, list[Any]]]:
    typed: dict[str, Any] = {}
    problems: list[TypeProblem] = []
    raw_rows: dict[str, list[Any]] = {}
    unknown = [key for key in answers if definition.field(key) is None]
    for _section, f in definition.iter_fields():
        value = answers.get(f.id)
        if f.type is FieldType.REPEAT:
            if is_empty(value):
                continue
            if not isinstance(value, list):
                problems.append(TypeProblem(f.id, "type", f))
                continue
            raw_rows[f.id] = value
            rows: list[dict[str, Any]] = []
            for index, raw_row in enumerate(value):
                if not isinstance(raw_row, dict):
                    problems.append(TypeProblem(f"{f.id}[{index}]", "type", f, row=index))
                    rows.append({sub.id: None for sub in f.fields})
                    continue
                row: dict[str, Any] = {}
                for sub in f.fields:
                    sub_value = raw_row.get(sub.id)
                    row[sub.id] = None
                    if is_empty(sub_value):
                        continue
                    try:
                        row[sub.id] = coerce_value(sub, sub_value)
                    except CoercionError as exc:
                        problems.append(
                            TypeProblem(
                                f"{f.id}[{index}].{sub.id}", exc.code, sub, row=index, repeat=f
                            )
                        )
                for key in raw_row:
                    if f.subfield(key) is None:
                        unknown.append(f"{f.id}[{index}].{key}")
                rows.append(row)
            typed[f.id] = rows
            continue
        if is_empty(value):
            continue
        try:
            typed[f.id] = coerce_value(f, value)
        except CoercionError as exc:
            problems.append(TypeProblem(f.id, exc.code, f))
    return typed, problems, unknown, raw_rows


def _computed(definition: FormDefinition, variables: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for computed_id in definition.computed_order:
        computed = definition.computed_value(computed_id)
        assert computed is not None
        try:
            value = from_cel_value(_run(computed.expr, variables))
        except ExpressionEvaluationError:
            value = None
        if value is not None:
            value = _shape(computed.type, value)
        results[computed_id] = value
        variables[computed_id] = _cel(value)
    return results


def _shape(kind: ComputedType, value: Any) -> Any:
    # ``decimals`` is for display only: rules compare the exact value, so 24.96 years is
    # under 25 even though a page shows it as "25,0"
    if (
        kind is ComputedType.NUMBER
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return float(value)
    if kind is ComputedType.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def evaluate(
    definition: FormDefinition, answers: Mapping[str, Any], *, today: dt.date
) -> Evaluation:
    typed, problems, unknown, raw_rows = _coerce_all(definition, answers)
    base: dict[str, Any] = {"today": to_cel_date(today)}
    visible_values = dict(typed)
    hidden: frozenset[str] = frozenset()
    computed: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    for _round in range(_MAX_ROUNDS):
        variables = _CelVariables(base)
        for _section, f in definition.iter_fields():
            value = visible_values.get(f.id)
            if f.type is FieldType.REPEAT and value is not None:
                # every sub-field key present, so `row.til == null` works on a blank cell
                value = [{sub.id: row.get(sub.id) for sub in f.fields} for row in value]
            variables[f.id] = _cel(value)
        computed = _computed(definition, variables)
        new_hidden, undetermined = _hidden_paths(definition, typed, variables)
        used = visible_values
        visible_values = _prune(definition, typed, new_hidden)
        # the same values in the next round would give the same result, so stop here (usually
        # round one: what is hidden is unanswered, and recomputing domain values is costly)
        if new_hidden == hidden or visible_values == used:
            break
        hidden = new_hidden
    hidden = new_hidden
    values = {**visible_values, **computed}
    problems = [p for p in problems if not _is_hidden(p.path, hidden, definition)]
    return Evaluation(
        definition=definition,
        today=today,
        values=values,
        computed=computed,
        hidden=hidden,
        undetermined=undetermined,
        type_problems=problems,
        unknown=unknown,
        raw_rows=raw_rows,
        _cel_vars=variables,
    )


def _hidden_paths(
    definition: FormDefinition, typed: Mapping[str, Any], variables: Mapping[str, Any]
) -> tuple[frozenset[str], frozenset[str]]:
    hidden: set[str] = set()
    undetermined: set[str] = set()
    for section in definition.sections:
        section_visible = _condition(section.visible_if, variables)
        if section_visible is False:
            hidden.add(f"section:{section.id}")
        for f in section.fields:
            field_visible = _condition(f.visible_if, variables)
            if section_visible is False or field_visible is False:
                hidden.add(f.id)
                continue
            if section_visible is None or field_visible is None:
                undetermined.add(f.id)
            if f.type is FieldType.REPEAT and any(sub.visible_if for sub in f.fields):
                for index, row in enumerate(typed.get(f.id) or ()):
                    cel_row = _cel_row(row)
                    for sub in f.fields:
                        shown = _condition(sub.visible_if, variables, row=cel_row)
                        if shown is False:
                            hidden.add(f"{f.id}[{index}].{sub.id}")
                        elif shown is None:
                            undetermined.add(f"{f.id}[{index}].{sub.id}")
    return frozenset(hidden), frozenset(undetermined)


def _prune(
    definition: FormDefinition, typed: Mapping[str, Any], hidden: frozenset[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _section, f in definition.iter_fields():
        if f.id not in typed or f.id in hidden:
            continue
        value = typed[f.id]
        if f.type is FieldType.REPEAT:
            value = [
                {
                    sub_id: sub_value
                    for sub_id, sub_value in row.items()
                    if f"{f.id}[{index}].{sub_id}" not in hidden
                }
                for index, row in enumerate(value)
            ]
        out[f.id] = value
    return out


def _is_hidden(path: str, hidden: frozenset[str], definition: FormDefinition) -> bool:
    if path in hidden:
        return True
    head = path.split("[", 1)[0].split(".", 1)[0]
    return head in hidden
