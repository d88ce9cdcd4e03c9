"""CEL expressions in form definitions: compiling, checking references, evaluating.

CEL (Common Expression Language) is safe and not Turing-complete, so definitions edited by
Seniorpension's staff can hold conditions without becoming a way to run code. Expressions are
compiled once when a version loads; evaluation only binds values.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from forms_service.definitions.expression_limits import (
    ExpressionLimitError,
    check_expression_limits,
)
from forms_service.definitions.functions import FUNCTIONS as DOMAIN_FUNCTIONS

# The CEL interpreter takes about half a second to import (its package loads its command-line
# tool): it is imported where an expression is compiled or a context built, so importing the
# definitions (the CLI's help, the registry) does not pay for it.
if TYPE_CHECKING:
    import cel

# Names CEL itself provides (macros, functions and conversions) that may appear in an expression.
_CEL_BUILTINS = frozenset(
    {
        "size", "has", "all", "exists", "exists_one", "map", "filter", "int", "uint", "double",
        "string", "bytes", "bool", "timestamp", "duration", "dyn", "type", "matches",
        "contains", "startsWith", "endsWith", "getFullYear", "getMonth", "getDate",
        "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes",
        "getSeconds", "getMilliseconds", "max", "min",
    }
)  # fmt: skip

_COMPREHENSION_VAR = re.compile(
    r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,"
)
_ROW_ATTRIBUTE = re.compile(r"(?<![A-Za-z0-9_.])row\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_POSITION = re.compile(r"<input>:(\d+):(\d+):\s*(.*)")

# The CEL binding logs every failing Python function as a warning; for definitions a failure
# is expected (an answer is missing) and is handled by the caller, so keep it out of the logs.
logging.getLogger("cel").setLevel(logging.ERROR)

ROW = "row"
TODAY = "today"


class ExpressionSyntaxError(ValueError):
    def __init__(self, message: str, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class ExpressionEvaluationError(Exception):
    """An expression could not be evaluated for these answers (e.g. an answer is missing)."""


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    source: str
    program: Any
    variables: frozenset[str]
    functions: frozenset[str]
    row_attributes: frozenset[str]
    cost: int  # estimated evaluation steps (expression_limits)


@lru_cache(maxsize=16384)
def compile_expression(source: str) -> CompiledExpression:
    """Compile a CEL expression; raises ExpressionSyntaxError with the 1-based column."""
    if not source or not source.strip():
        raise ExpressionSyntaxError("udtrykket er tomt", None)
    try:
        measure = check_expression_limits(source)
    except ExpressionLimitError as exc:
        raise ExpressionSyntaxError(exc.message, None) from None
    import cel

    try:
        program = cel.compile(source)
    except ValueError as exc:
        raise _syntax_error(str(exc)) from None
    if measure is None:  # CEL reads it, the limits' parser does not: refuse, not guess
        raise ExpressionSyntaxError(
            "udtrykket bruger en form, der ikke kan kontrolleres mod grænserne", None
        )
    bound = set(_COMPREHENSION_VAR.findall(source))
    variables = frozenset(v for v in program.variables() if v not in bound)
    functions = frozenset(
        # operators come back as "_+_", "!_", "-_", "@in": only identifiers are functions
        f
        for f in program.functions()
        if _IDENTIFIER.fullmatch(f) and f not in bound
    )
    return CompiledExpression(
        source=source,
        program=program,
        variables=variables,
        functions=functions,
        row_attributes=frozenset(_ROW_ATTRIBUTE.findall(source)),
        cost=measure.cost,
    )


def _syntax_error(text: str) -> ExpressionSyntaxError:
    match = _POSITION.search(text)
    if match is None:
        return ExpressionSyntaxError(f"syntaksfejl: {text.strip()}", None)
    column = int(match.group(2))  # CEL's columns are already 1-based
    detail = match.group(3).strip()
    return ExpressionSyntaxError(f"syntaksfejl i kolonne {column}: {detail}", column)


def reference_problems(
    expr: CompiledExpression,
    known: Iterable[str],
    *,
    row_fields: Iterable[str] | None = None,
) -> list[str]:
    """Danish descriptions of unknown variables, functions and row attributes."""
    known_names = set(known) | {TODAY}
    problems: list[str] = []
    if row_fields is not None:
        known_names.add(ROW)
    for name in sorted(expr.variables - known_names):
        if name == ROW:
            problems.append("'row' kan kun bruges inden for en gentagen gruppe")
        else:
            problems.append(f"ukendt felt '{name}'")
    for name in sorted(expr.functions - _CEL_BUILTINS - set(DOMAIN_FUNCTIONS)):
        problems.append(f"ukendt funktion '{name}'")
    if row_fields is not None:
        row_known = set(row_fields)
        for name in sorted(expr.row_attributes - row_known):
            problems.append(f"ukendt felt 'row.{name}'")
    return problems


def to_cel_date(value: dt.date) -> dt.datetime:
    """CEL has timestamps, not dates: a date is midnight UTC of that day."""
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def from_cel_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def make_context(
    variables: Mapping[str, Any], functions: frozenset[str] | None = None
) -> cel.Context:
    """A context over ``variables`` with the domain functions (only ``functions`` if given:
    each registered function costs when the context builds its environment)."""
    import cel

    return cel.Context(variables=dict(variables), functions=_functions(functions))


def _functions(names: frozenset[str] | None) -> dict[str, Callable[..., Any]]:
    if names is None:
        return dict(DOMAIN_FUNCTIONS)
    return {name: DOMAIN_FUNCTIONS[name] for name in sorted(names) if name in DOMAIN_FUNCTIONS}


def evaluate(expr: CompiledExpression, context: cel.Context | Mapping[str, Any]) -> Any:
    """Evaluate; any failure (missing answer, wrong type) is ExpressionEvaluationError."""
    try:
        return expr.program.execute(context)
    except (TypeError, RuntimeError, ValueError, OverflowError) as exc:
        raise ExpressionEvaluationError(f"{expr.source}: {exc}") from None
