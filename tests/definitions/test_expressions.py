"""CEL expressions: compiled once, references checked, evaluated only from the context."""

from __future__ import annotations

import datetime as dt

import pytest

from forms_service.definitions.expressions import (
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    compile_expression,
    evaluate,
    from_cel_value,
    make_context,
    reference_problems,
    to_cel_date,
)


def test_compiling_the_same_source_twice_returns_the_cached_program() -> None:
    compile_expression.cache_clear()
    first = compile_expression("alder >= 60")
    assert compile_expression("alder >= 60") is first
    info = compile_expression.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_variables_functions_and_row_attributes_are_collected() -> None:
    compiled = compile_expression(
        "ansaettelser.exists(a, a.fra > today) && size(x) > 0 && fulltime_years(y, today) > 1.0"
    )
    # the comprehension variable ``a`` is not a field
    assert compiled.variables == {"ansaettelser", "today", "x", "y"}
    assert compiled.functions == {"size", "fulltime_years"}
    assert compile_expression("row.til == null || row.til >= row.fra").row_attributes == {
        "til",
        "fra",
    }


@pytest.mark.parametrize(
    "source",
    ["!a", "-a", "a in [1, 2]", "a ? 1 : 2", "a % 2 == 0", "has(a.b)", "a.size() > 0",
     "int(a) > 1", "a.matches('x')", "double(a) / 2.0", "a >= 1 && a <= 2 ? a : -a"],
)  # fmt: skip
def test_operators_and_cel_builtins_are_not_unknown(source: str) -> None:
    assert reference_problems(compile_expression(source), {"a"}) == []


@pytest.mark.parametrize(
    ("source", "known", "row_fields", "problems"),
    [
        ("x > 1", {"a"}, None, ["ukendt felt 'x'"]),
        ("frobnicate(a)", {"a"}, None, ["ukendt funktion 'frobnicate'"]),
        ("a.frobnicate()", {"a"}, None, ["ukendt funktion 'frobnicate'"]),
        ("row.fra != null", {"a"}, None, ["'row' kan kun bruges inden for en gentagen gruppe"]),
        ("row.fra != null && row.slut == null", set(), ["fra", "til"], ["ukendt felt 'row.slut'"]),
        ("row.fra != null && a", {"a"}, ["fra"], []),
        ("today > a", {"a"}, None, []),
        ("pension_age_date(a) > today", {"a"}, None, []),
        ("z(b) && c", set(), None, ["ukendt felt 'b'", "ukendt felt 'c'", "ukendt funktion 'z'"]),
    ],
)
def test_reference_problems(
    source: str, known: set[str], row_fields: list[str] | None, problems: list[str]
) -> None:
    compiled = compile_expression(source)
    assert reference_problems(compiled, known, row_fields=row_fields) == problems


@pytest.mark.parametrize(
    ("source", "column"),
    [("a == ", 6), ("1 +* 2", 4), ("x.", 3), ("a && (b", 8), ("(a", 3)],
)
def test_syntax_errors_report_the_1_based_column(source: str, column: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression(source)
    assert info.value.column == column
    assert info.value.message.startswith(f"syntaksfejl i kolonne {column}: ")


def test_an_empty_expression_is_a_syntax_error() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression("   ")
    assert (info.value.message, info.value.column) == ("udtrykket er tomt", None)


def test_evaluation_binds_only_the_context() -> None:
    compiled = compile_expression("a + 1")
    assert evaluate(compiled, make_context({"a": 2})) == 3
    assert evaluate(compiled, make_context({"a": 41})) == 42


@pytest.mark.parametrize("variables", [{}, {"a": None}, {"a": "tekst"}])
def test_a_missing_or_mistyped_answer_is_an_evaluation_error(variables: dict) -> None:
    with pytest.raises(ExpressionEvaluationError) as info:
        evaluate(compile_expression("a + 1 > 2"), make_context(variables))
    assert str(info.value).startswith("a + 1 > 2: ")


def test_dates_are_midnight_utc_timestamps_and_today_comes_from_the_context() -> None:
    stamp = to_cel_date(dt.date(2024, 2, 29))
    assert stamp == dt.datetime(2024, 2, 29, tzinfo=dt.UTC)
    assert from_cel_value(stamp) == dt.date(2024, 2, 29)
    assert from_cel_value(3.5) == 3.5
    compiled = compile_expression("today > frist")
    frist = to_cel_date(dt.date(2025, 6, 1))
    before = make_context({"today": to_cel_date(dt.date(2025, 5, 31)), "frist": frist})
    after = make_context({"today": to_cel_date(dt.date(2025, 6, 2)), "frist": frist})
    assert evaluate(compiled, before) is False
    assert evaluate(compiled, after) is True


def test_domain_functions_are_registered() -> None:
    # born 1 May 1960: folkepensionsalder 67 (born 1 Jul 1955 – 31 Dec 1962)
    compiled = compile_expression("pension_age_date(f)")
    result = evaluate(compiled, make_context({"f": to_cel_date(dt.date(1960, 5, 1))}))
    assert from_cel_value(result) == dt.date(2027, 5, 1)
