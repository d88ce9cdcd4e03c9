"""The evaluated answer set: typed answers, computed values, hidden fields dropped.

Forms, the API, completeness and documents all read this one set, so a value the caseworker
cannot see never counts anywhere. ``today`` is passed in, never read from the clock, so
evaluating the same answers again gives the same result.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms_service.answers.coerce import (
    Attachment,
    CoercionError,
    coercer,
    is_empty,
    to_json_value,
)
from forms_service.definitions.expression_limits import MAX_INPUT_ITEMS
from forms_service.definitions.expressions import (
    DOMAIN_FUNCTIONS,
    ROW,
    CompiledExpression,
    ExpressionEvaluationError,
    compile_expression,
    from_cel_value,
    make_context,
    to_cel_date,
)
from forms_service.definitions.expressions import (
    evaluate as run_compiled,
)
from forms_service.definitions.functions import on_change
from forms_service.definitions.model import (
    Computed,
    ComputedType,
    Field,
    FieldType,
    FormDefinition,
    Section,
)
from forms_service.definitions.projection import list_keys_read, map_keys_read
from forms_service.seniorpension.cel_functions import begin_evaluation, end_evaluation

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
    value: Any = None  # what was given, so the message can quote it (31.02.2027)


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
        if row is None:
            return _run(source, self._cel_vars)
        return _run(source, self._cel_vars, row=_cel_row_for(source, row))

    def holds_in_every_row(self, source: str, rows: list[Mapping[str, Any]]) -> bool:
        """True when ``source`` gives something other than ``false`` (without an error) for
        every row, by one evaluation over all rows; False means "look row by row" (a row fails,
        or one cannot be evaluated, or the combined expression is over a limit)."""
        try:
            compiled = compile_expression(f"{_ROWS}.all(row, ({source}) != false)")
        except ValueError:
            return False
        variables = self._cel_vars
        scope = {
            name: [_cel_row_for(source, row) for row in rows]
            if name == _ROWS
            else variables.get(name)
            for name in compiled.variables
        }
        try:
            return _run_scoped(compiled, scope, None) is True
        except ExpressionEvaluationError:
            return False


# the rows a combined row check runs over (a name no definition uses: ids are lower case)
_ROWS = "Rows_checked"


def is_empty_typed(value: Any) -> bool:
    kind = type(value)
    if kind is str:  # the common answers decided inline
        return not value.strip()
    if kind is bool or kind is int or kind is float or kind is dt.date:
        return False
    if isinstance(value, Attachment):
        return value.title is None and value.source is None and value.date is None
    return is_empty(value) if not isinstance(value, bool | int | float | dt.date) else False


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _cel(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
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


def _cel_row_for(source: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row as ``source`` needs it: only the cells it reads, when it reads only cells."""
    keys = map_keys_read(source, ROW)
    if keys is None:
        return _cel_row(row)
    return {k: _cel(v) for k, v in row.items() if k in keys}


class _CelVariables(dict[str, Any]):
    """Expression variables that keep a CEL context, so each value is converted to CEL once.

    Converting the employment rows to CEL costs more than evaluating a short expression over
    them; with a dict every expression converts what it reads again. The context is built on
    first use and updated in one batch when an expression reads a value set since (a
    ``cel.Context`` rebuilds its environment on every change). It holds only the variables
    the definition's expressions read (``reads``) and those of the expressions run so far: a
    long text nobody tests costs a conversion for nothing; a name read later is added then.
    Not thread-safe, like the Evaluation that holds it.
    """

    __slots__ = ("_bound", "_context", "_functions", "_pending", "_projected", "_reads")

    def __init__(
        self,
        *args: Any,
        reads: frozenset[str] | None = None,
        functions: frozenset[str] = frozenset(),
        projected: Mapping[str, frozenset[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._context: Any = None
        self._pending: dict[str, Any] = {}
        self._reads = reads
        self._bound: set[str] = set()
        # the domain functions the context registers: those the definition's expressions call
        # (each registered function costs when the context's environment is built)
        self._functions = functions
        # repeat groups whose rows the context holds with only these cells: every expression
        # of the definition reads no others (definitions.projection)
        self._projected: Mapping[str, frozenset[str]] = projected or {}

    def _cel_value(self, name: str, value: Any) -> Any:
        keys = self._projected.get(name)
        if keys is None or not isinstance(value, list):
            return value
        return [
            {k: v for k, v in row.items() if k in keys} if type(row) is dict else row
            for row in value
        ]

    def _fits(self, source: str, names: frozenset[str]) -> bool:
        """Whether ``source`` reads no cell the context left out of a projected group."""
        for name, keys in self._projected.items():
            if name in names:
                needed = list_keys_read(source, name)
                if needed is None or not needed <= keys:
                    return False
        return True

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        if self._context is not None:
            self._pending[key] = value

    def context_for(self, compiled: CompiledExpression) -> Any:
        """The context for an expression; None if a name it reads is not a variable, or it
        reads cells of a repeat group the context left out."""
        names, functions = compiled.variables, compiled.functions
        if not names <= self.keys():
            return None  # the dict path binds unknown names to null
        if self._projected and not self._fits(compiled.source, names):
            return None
        if not functions <= self._functions:
            missing = {name for name in functions - self._functions if name in DOMAIN_FUNCTIONS}
            if missing:
                self._functions = self._functions | missing
                if self._context is not None:
                    self._context.update({name: DOMAIN_FUNCTIONS[name] for name in missing})
        if self._context is None:
            reads = self._reads
            bound = (
                dict(self)
                if reads is None
                else {k: v for k, v in self.items() if k in reads or k in names}
            )
            if self._projected:
                bound = {k: self._cel_value(k, v) for k, v in bound.items()}
            self._context = make_context(bound, self._functions)
            self._bound = set(bound)
            self._pending = {}
            return self._context
        if self._pending and not names.isdisjoint(self._pending):
            self._context.update({k: self._cel_value(k, v) for k, v in self._pending.items()})
            self._bound.update(self._pending)
            self._pending = {}
        if not names <= self._bound:
            unbound = {name: self._cel_value(name, self[name]) for name in names - self._bound}
            self._context.update(unbound)
            self._bound.update(unbound)
        return self._context


# A computed value is most often one domain function applied to answers, e.g.
# ``fulltime_years(ansaettelser, ansoegningsdato)``. CEL would convert the employment rows to
# CEL for the context and back to Python for the call, every call; calling the function with
# the variables' values directly gives the same result (the values already are what CEL hands
# a function: lists, dicts, UTC datetimes, numbers, strings) without either conversion.
_DIRECT_CALL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)\s*")
_DIRECT_ARG = re.compile(r"\s*(?:(-?\d+\.\d+)|(-?\d+)|([A-Za-z_][A-Za-z0-9_]*))\s*")
_CEL_LITERAL_NAMES = frozenset({"true", "false", "null", "in", "row"})
_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True, slots=True)
class _DirectCall:
    function: Callable[..., Any]
    # per argument: (variable name, None) or (None, literal value)
    args: tuple[tuple[str | None, Any], ...]

    def __call__(self, variables: Mapping[str, Any]) -> Any:
        args = [variables.get(name) if name is not None else value for name, value in self.args]
        try:
            result = self.function(*args)
        except Exception as exc:  # CEL turns any failure of a function into an error, too
            raise ExpressionEvaluationError(f"{exc}") from None
        # what CEL could not convert back is an error there as well
        if result is None or isinstance(result, bool | float | str | dt.datetime):
            return result
        if isinstance(result, int) and result in _INT64:
            return result
        raise ExpressionEvaluationError(f"ugyldigt resultat: {result!r}")


def _direct_call(source: str) -> _DirectCall | None:
    """The call plan when ``source`` is exactly ``domain_function(var_or_number, ...)``.

    Computed values keep theirs in the version's plan; for the other expressions an
    evaluation asks about, the pattern fails fast (about 0.3 µs each, 4 µs a report), so
    this is not cached (benchmarks/bench_caches.py)."""
    match = _DIRECT_CALL.fullmatch(source)
    if match is None or match.group(1) not in DOMAIN_FUNCTIONS:
        return None
    try:
        compile_expression(source)
    except ValueError:
        return None  # the CEL path reports the syntax error
    args: list[tuple[str | None, Any]] = []
    text = match.group(2)
    if text.strip():
        for part in text.split(","):
            arg = _DIRECT_ARG.fullmatch(part)
            if arg is None:
                return None
            decimal, integer, name = arg.groups()
            if name is not None:
                if name in _CEL_LITERAL_NAMES:
                    return None
                args.append((name, None))
            elif integer is not None:
                if int(integer) not in _INT64:
                    return None
                args.append((None, int(integer)))
            else:
                args.append((None, float(decimal)))
    return _DirectCall(DOMAIN_FUNCTIONS[match.group(1)], tuple(args))


def _forget_plans() -> None:
    """The registered functions changed: the plans name them."""
    with _plans_lock:
        _plans.clear()


def _run(source: str, variables: Mapping[str, Any], *, row: Any = None) -> Any:
    if row is None:
        direct = _direct_call(source)
        if direct is not None:
            return direct(variables)
    compiled = compile_expression(source)
    if row is None and isinstance(variables, _CelVariables):
        context = variables.context_for(compiled)
        if context is not None:
            return run_compiled(compiled, context)
    return _run_scoped(compiled, variables, row)


def _run_scoped(compiled: CompiledExpression, variables: Mapping[str, Any], row: Any) -> Any:
    """The expression over a scope of just what it reads (converted for this call alone)."""
    scope: dict[str, Any] = {name: variables.get(name) for name in compiled.variables}
    if row is not None:
        scope["row"] = row
    for name in compiled.functions:
        function = DOMAIN_FUNCTIONS.get(name)
        if function is not None:
            scope[name] = function
    return run_compiled(compiled, scope)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What evaluating answers on one definition needs, worked out once per definition."""

    fields: tuple[Field, ...]  # top-level fields in form order
    field_ids: frozenset[str]
    sub_ids: dict[str, tuple[str, ...]]  # repeat group -> its sub-field ids
    computed: tuple[tuple[Computed, _DirectCall | None], ...]  # in dependency order
    reads: frozenset[str]  # variables the definition's CEL-evaluated expressions read
    functions: frozenset[str]  # the domain functions those expressions call
    projected: dict[str, frozenset[str]]  # repeat group -> the only cells those expressions read
    # per field: reads an answer (coerce_value for that field), and gives a typed value's
    # CEL form (for a repeat group: per sub-field id)
    coercers: dict[str, Callable[[Any], Any]]
    sub_coercers: dict[str, tuple[tuple[Field, Callable[[Any], Any]], ...]]
    to_cel: dict[str, Callable[[Any], Any]]
    sub_to_cel: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]]
    # per section: the ids of fields without conditions, and the fields with one (or with
    # conditional sub-fields)
    visibility: tuple[tuple[Section, tuple[str, ...], tuple[Field, ...]], ...]


_plans: dict[int, tuple[weakref.ref[FormDefinition], _Plan]] = {}
_plans_lock = threading.Lock()
on_change(_forget_plans)


def _plan(definition: FormDefinition) -> _Plan:
    entry = _plans.get(id(definition))
    if entry is not None and entry[0]() is definition:
        return entry[1]
    plan = _make_plan(definition)
    with _plans_lock:
        if len(_plans) > 256:  # drafts in the editor come and go; forget the dead ones
            for key in [k for k, (ref, _) in _plans.items() if ref() is None]:
                del _plans[key]
        _plans[id(definition)] = (weakref.ref(definition), plan)
    return plan


def _make_plan(definition: FormDefinition) -> _Plan:
    fields = tuple(f for _section, f in definition.iter_fields())
    by_id = {c.id: c for c in definition.computed}
    computed = tuple(by_id[computed_id] for computed_id in definition.computed_order)
    sources: list[str | None] = [section.visible_if for section in definition.sections]
    for f in fields:
        sources += [f.visible_if, f.required_if]
    sources += [c.expr for c in computed]
    sources += [check.expr for check in definition.checks if check.repeat is None]
    for criterion in definition.completeness:
        for criterion_check in criterion.checks:
            sources += [criterion_check.expr, criterion_check.when]
    reads: set[str] = set()
    functions: set[str] = set()
    cel_sources: list[str] = []
    for source in sources:
        if source is None or _direct_call(source) is not None:
            continue
        cel_sources.append(source)
        try:
            compiled = compile_expression(source)
        except ValueError:
            continue  # reported where it is run; a name it reads is added on first use
        reads |= compiled.variables
        functions |= compiled.functions & DOMAIN_FUNCTIONS.keys()
    visibility = []
    for section in definition.sections:
        conditional = tuple(
            f
            for f in section.fields
            if f.visible_if is not None or any(sub.visible_if for sub in f.fields)
        )
        plain = tuple(f.id for f in section.fields if f not in conditional)
        visibility.append((section, plain, conditional))
    return _Plan(
        visibility=tuple(visibility),
        fields=fields,
        field_ids=frozenset(f.id for f in fields),
        sub_ids={f.id: tuple(sub.id for sub in f.fields) for f in fields if f.is_repeat},
        computed=tuple((c, _direct_call(c.expr)) for c in computed),
        reads=frozenset(reads),
        functions=frozenset(functions),
        projected=_projections(fields, cel_sources, reads),
        coercers={f.id: coercer(f) for f in fields if not f.is_repeat},
        sub_coercers={
            f.id: tuple((sub, coercer(sub)) for sub in f.fields) for f in fields if f.is_repeat
        },
        to_cel={f.id: _to_cel_of(f.type) for f in fields},
        sub_to_cel={
            f.id: tuple((sub.id, _to_cel_of(sub.type)) for sub in f.fields)
            for f in fields
            if f.is_repeat
        },
    )


def _projections(
    fields: tuple[Field, ...], sources: list[str], reads: set[str]
) -> dict[str, frozenset[str]]:
    """Per repeat group read by the context: the cells every expression reads, if that is all
    they read (the criteria's combined expressions are made of the same expressions)."""
    found: dict[str, frozenset[str]] = {}
    for f in fields:
        if not f.is_repeat or f.id not in reads:
            continue
        keys: set[str] = set()
        for source in sources:
            needed = list_keys_read(source, f.id)
            if needed is None:
                break
            keys |= needed
        else:
            found[f.id] = frozenset(keys)
    return found


def _to_cel_of(kind: FieldType) -> Callable[[Any], Any]:
    """``_cel`` for the typed values of one field type (checked: a value of another type, which
    coercion never gives, is converted by ``_cel`` itself)."""
    if kind is FieldType.DATE:
        return _cel_date
    if kind in _PLAIN_TYPES:
        return _cel_plain
    return _cel


def _cel_date(value: Any) -> Any:
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return _cel(value)


def _cel_plain(value: Any) -> Any:
    return value if type(value) in _PLAIN else _cel(value)


_PLAIN_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.TEXTAREA,
        FieldType.INTEGER,
        FieldType.NUMBER,
        FieldType.BOOLEAN,
        FieldType.CHOICE,
        FieldType.CPR,
    }
)


def _condition(source: str | None, variables: Mapping[str, Any], *, row: Any = None) -> bool | None:
    """A visible_if: True when absent; None when it cannot be evaluated yet (answers missing)."""
    if source is None:
        return True
    try:
        return _run(source, variables, row=row) is True
    except ExpressionEvaluationError:
        return None


def _blank(value: Any) -> bool:
    """``is_empty`` with the common answers (None, text, numbers, booleans) decided inline."""
    if value is None:
        return True
    kind = type(value)
    if kind is str:
        return not value.strip()
    if kind is bool or kind is int or kind is float:
        return False
    return is_empty(value)


def _coerce_all(
    definition: FormDefinition, answers: Mapping[str, Any], plan: _Plan
) -> tuple[dict[str, Any], list[TypeProblem], list[str], dict[str, list[Any]]]:
    typed: dict[str, Any] = {}
    problems: list[TypeProblem] = []
    raw_rows: dict[str, list[Any]] = {}
    unknown = [key for key in answers if key not in plan.field_ids]
    for f in plan.fields:
        value = answers.get(f.id)
        if f.type is FieldType.REPEAT:
            if _blank(value):
                continue
            if not isinstance(value, list):
                problems.append(TypeProblem(f.id, "type", f))
                continue
            raw_rows[f.id] = value
            if len(value) > MAX_INPUT_ITEMS:
                # the expression limits assume at most this many rows (their bound at
                # evaluation); the rows beyond it stay in the stored answers, unevaluated
                problems.append(TypeProblem(f.id, "too_many_rows", f))
                value = value[:MAX_INPUT_ITEMS]
            rows: list[dict[str, Any]] = []
            known = plan.sub_ids[f.id]
            sub_coercers = plan.sub_coercers[f.id]
            for index, raw_row in enumerate(value):
                if not isinstance(raw_row, dict):
                    problems.append(TypeProblem(f"{f.id}[{index}]", "type", f, row=index))
                    rows.append(dict.fromkeys(known))
                    continue
                row: dict[str, Any] = {}
                for sub, coerce_sub in sub_coercers:
                    sub_value = raw_row.get(sub.id)
                    row[sub.id] = None
                    if _blank(sub_value):
                        continue
                    try:
                        row[sub.id] = coerce_sub(sub_value)
                    except CoercionError as exc:
                        problems.append(
                            TypeProblem(
                                f"{f.id}[{index}].{sub.id}",
                                exc.code,
                                sub,
                                row=index,
                                repeat=f,
                                value=sub_value,
                            )
                        )
                if not raw_row.keys() <= row.keys():
                    unknown += [f"{f.id}[{index}].{key}" for key in raw_row if key not in row]
                rows.append(row)
            typed[f.id] = rows
            continue
        if _blank(value):
            continue
        try:
            typed[f.id] = plan.coercers[f.id](value)
        except CoercionError as exc:
            problems.append(TypeProblem(f.id, exc.code, f, value=value))
    return typed, problems, unknown, raw_rows


def _computed(plan: _Plan, variables: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for computed, direct in plan.computed:
        computed_id = computed.id
        try:
            # before the visibility pass the CEL context is not built: it would be rebuilt
            # for every value computed after this one; the expression's own few variables
            # are converted for it alone
            result = (
                direct(variables)
                if direct is not None
                else _run_scoped(compile_expression(computed.expr), variables, None)
            )
            value = from_cel_value(result)
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
    # the domain functions memoise what they compute from the rows for this evaluation only;
    # the rows handed to them below are never changed while evaluating
    token = begin_evaluation()
    try:
        return _evaluate(definition, answers, today)
    finally:
        end_evaluation(token)


def _evaluate(definition: FormDefinition, answers: Mapping[str, Any], today: dt.date) -> Evaluation:
    plan = _plan(definition)
    typed, problems, unknown, raw_rows = _coerce_all(definition, answers, plan)
    base: dict[str, Any] = {"today": to_cel_date(today)}
    visible_values = dict(typed)
    hidden: frozenset[str] = frozenset()
    computed: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    for _round in range(_MAX_ROUNDS):
        values = dict(base)
        to_cel = plan.to_cel
        for f in plan.fields:
            value = visible_values.get(f.id)
            if value is None:
                values[f.id] = None
            elif f.id in plan.sub_to_cel:
                # every sub-field key present, so `row.til == null` works on a blank cell
                subs = plan.sub_to_cel[f.id]
                values[f.id] = [
                    {
                        sub: (None if (cell := row.get(sub)) is None else convert(cell))
                        for sub, convert in subs
                    }
                    for row in value
                ]
            else:
                values[f.id] = to_cel[f.id](value)
        variables = _CelVariables(
            values, reads=plan.reads, functions=plan.functions, projected=plan.projected
        )
        computed = _computed(plan, variables)
        new_hidden, undetermined = _hidden_paths(plan, typed, variables)
        used = visible_values
        visible_values = _prune(plan, typed, new_hidden)
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
    plan: _Plan, typed: Mapping[str, Any], variables: Mapping[str, Any]
) -> tuple[frozenset[str], frozenset[str]]:
    hidden: set[str] = set()
    undetermined: set[str] = set()
    for section, plain_ids, conditional in plan.visibility:
        section_visible = _condition(section.visible_if, variables)
        if section_visible is False:
            hidden.add(f"section:{section.id}")
            hidden.update(f.id for f in section.fields)
            continue
        if section_visible is None:
            undetermined.update(plain_ids)
        # only fields with a condition of their own, or rows with one, need more
        for f in conditional:
            field_visible = True if f.visible_if is None else _condition(f.visible_if, variables)
            if field_visible is False:
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


def _prune(plan: _Plan, typed: Mapping[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in plan.fields:
        if f.id not in typed or f.id in hidden:
            continue
        value = typed[f.id]
        if f.type is FieldType.REPEAT:
            prefix = f"{f.id}["
            if any(path.startswith(prefix) for path in hidden):
                value = [
                    {
                        sub_id: sub_value
                        for sub_id, sub_value in row.items()
                        if f"{f.id}[{index}].{sub_id}" not in hidden
                    }
                    for index, row in enumerate(value)
                ]
            else:
                value = [dict(row) for row in value]
        out[f.id] = value
    return out


def top_field(path: str) -> str:
    """The top-level field of an answer path: ``ansaettelser[0].timer_pr_uge`` → ``ansaettelser``."""
    return path.split("[", 1)[0].split(".", 1)[0]


def _is_hidden(path: str, hidden: frozenset[str], definition: FormDefinition) -> bool:
    if path in hidden:
        return True
    return top_field(path) in hidden
