"""The domain functions evaluated by the real CEL runtime, as form expressions use them."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cel
import pytest

from forms_service.seniorpension.cel_functions import (
    FUNCTIONS,
    begin_evaluation,
    end_evaluation,
    period_from_row,
    register,
)

UTC = dt.UTC
DOCS = Path(__file__).resolve().parents[2] / "docs" / "definition-language.md"


def ts(text: str) -> dt.datetime:
    """A date as the CEL runtime hands it over: midnight UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def evaluate(expression: str, **variables: Any) -> Any:
    context = cel.Context()
    register(context)
    for name, value in variables.items():
        context.add_variable(name, value)
    return cel.compile(expression).execute(context)


ROWS = [
    # 0: ten years full time, ended more than five years before 2024-06-01
    {
        "fra": ts("2000-01-01"),
        "til": ts("2009-12-31"),
        "timer_pr_uge": 37,
        "ansaettelsestype": "loenmodtager",
        "stilling": "Lagerarbejder",
        "jobtype": None,
        "arbejdsgiver": "A",
        "udland": False,
    },
    # 1: a row being filled in: no start date yet
    {"fra": None, "til": ts("2015-01-01"), "timer_pr_uge": 37},
    # 2: half time, no type given (defaults to loenmodtager)
    {
        "fra": ts("2010-01-01"),
        "til": ts("2013-12-31"),
        "timer_pr_uge": 13.5,
        "stilling": "Kok",
        "arbejdsgiver": "B",
    },
    # 3: wage subsidy, counts as attachment but is never the latest job
    {"fra": ts("2014-01-01"), "til": ts("2015-12-31"), "ansaettelsestype": "loentilskud"},
    # 4: ongoing flexjob at 12 hours
    {
        "fra": ts("2022-06-01"),
        "til": None,
        "timer_pr_uge": 12,
        "ansaettelsestype": "fleksjob",
        "jobtype": "Pedel",
        "arbejdsgiver": "C",
        "udland": False,
    },
]


def test_functions_match_the_documented_names_and_arity() -> None:
    table = DOCS.read_text("utf-8").split("Domain functions", 1)[1]
    documented = {
        name: len([a for a in args.split(",") if a.strip()])
        for name, args in re.findall(r"^\| `(\w+)\(([^)]*)\)`", table, re.MULTILINE)
    }

    assert len(documented) == 19
    assert {name: len(inspect.signature(fn).parameters) for name, fn in FUNCTIONS.items()} == (
        documented
    )


def test_fulltime_years_in_cel() -> None:
    # 10 (row 0) + 4 * 0.5 (row 2) + 2 (row 3) + row 4 from 2022-06-01 to 2024-05-31, counted
    # from anniversary to anniversary: exactly 2 years.
    result = evaluate("fulltime_years(rows, today)", rows=ROWS, today=ts("2024-06-01"))

    assert result == pytest.approx(16.0)
    assert isinstance(result, float)
    assert evaluate("fulltime_years(rows, today) >= 15.0", rows=ROWS, today=ts("2024-06-01"))


def test_fulltime_years_of_no_rows_is_zero() -> None:
    assert evaluate("fulltime_years(rows, today)", rows=[], today=ts("2024-06-01")) == 0.0
    assert evaluate("fulltime_years(rows, today)", rows=None, today=ts("2024-06-01")) == 0.0


def test_latest_job_functions_in_cel() -> None:
    variables = {"rows": ROWS, "today": ts("2024-06-01")}

    assert evaluate("latest_job_index(rows, today)", **variables) == 4
    assert evaluate("latest_job_months(rows, today)", **variables) == 24.0
    assert evaluate("latest_job_years_back(rows, today)", **variables) == 0.0
    assert evaluate("latest_job_months(rows, today) >= 12.0", **variables) is True


def test_latest_job_index_counts_skipped_rows() -> None:
    rows = [{"fra": None}, {"fra": "bad"}, {"fra": ts("2020-01-01"), "til": ts("2021-06-30")}]

    assert evaluate("latest_job_index(rows, today)", rows=rows, today=ts("2024-06-01")) == 2
    assert evaluate(
        "latest_job_years_back(rows, today)", rows=rows, today=ts("2024-06-01")
    ) == pytest.approx(1066 / 365.25)


def test_no_latest_job_in_cel() -> None:
    rows = [ROWS[3]]  # wage subsidy only
    variables = {"rows": rows, "today": ts("2024-06-01")}

    assert evaluate("latest_job_index(rows, today)", **variables) == -1
    assert evaluate("latest_job_months(rows, today)", **variables) == 0.0
    assert evaluate("latest_job_years_back(rows, today)", **variables) == -1.0


def test_date_functions_return_cel_timestamps() -> None:
    birth = ts("1960-05-03")

    assert evaluate("pension_age_date(b)", b=birth) == ts("2027-05-03")
    assert evaluate("seniorpension_earliest_date(b)", b=birth) == ts("2021-05-03")
    assert evaluate("application_earliest_date(b)", b=birth) == ts("2020-11-03")
    assert evaluate('pension_age_date(b) == timestamp("2027-05-03T00:00:00Z")', b=birth) is True
    assert evaluate("application_earliest_date(b) < today", b=birth, today=ts("2024-01-01"))


def test_birth_date_from_cpr_in_cel() -> None:
    assert evaluate('birth_date_from_cpr("030560-1234")') == ts("1960-05-03")
    assert evaluate("pension_age_date(birth_date_from_cpr(c))", c="0101714321") == ts("2041-01-01")


def test_month_functions_in_cel() -> None:
    assert evaluate("months_between(a, b)", a=ts("2024-01-31"), b=ts("2024-02-29")) == 1
    assert evaluate("add_months(d, 3)", d=ts("2023-11-30")) == ts("2024-02-29")
    assert evaluate("add_months(d, -6)", d=ts("2024-08-31")) == ts("2024-02-29")
    # the deadline rules come from seniorpension.deadlines, not from numbers in a definition
    assert evaluate("municipality_deadline(d)", d=ts("2023-11-30")) == ts("2024-02-29")
    assert evaluate("decision_deadline(d)", d=ts("2023-08-31")) == ts("2024-02-29")
    assert evaluate(
        "months_between(request, today) >= 3", request=ts("2024-01-15"), today=ts("2024-04-15")
    )


@pytest.mark.parametrize(
    "expression",
    [
        "pension_age_date(null)",
        "birth_date_from_cpr(null)",
        'birth_date_from_cpr("3102801234")',
        "fulltime_years(rows, null)",
        'add_months(timestamp("2024-01-01T00:00:00Z"), 1.5)',
    ],
)
def test_undefined_results_are_evaluation_errors(expression: str) -> None:
    with pytest.raises(RuntimeError, match="ValueError"):
        evaluate(expression, rows=ROWS)


def test_rows_parsing_is_robust() -> None:
    assert period_from_row(None) is None
    assert period_from_row({"til": ts("2020-01-01")}) is None
    assert period_from_row({"fra": ts("2020-01-01"), "til": "ikke en dato"}) is None
    period = period_from_row(
        {
            "fra": "2020-01-01",
            "til": "",
            "timer_pr_uge": "13,5",
            "ansaettelsestype": "ukendt",
            "udland": True,
            "stilling": "  ",
        }
    )
    assert period is not None
    assert period.end is None
    assert period.hours_per_week == 13.5
    assert period.kind == "loenmodtager"
    assert period.abroad is True
    assert period.title is None


# -- the memo of one evaluation ---------------------------------------------------------------


@pytest.fixture
def one_evaluation() -> Iterator[None]:
    token = begin_evaluation()
    try:
        yield
    finally:
        end_evaluation(token)


@pytest.mark.usefixtures("one_evaluation")
def test_memoised_results_follow_the_values_not_the_key_order() -> None:
    ref = ts("2024-06-01")
    row = {"fra": ts("2014-06-01"), "til": ts("2024-05-31"), "timer_pr_uge": 27}
    reordered = dict(reversed(list(row.items())))

    assert FUNCTIONS["fulltime_years"]([row], ref) == 10.0
    assert FUNCTIONS["fulltime_years"]([reordered], ref) == 10.0
    # 13.5 hours after 27: a different answer, not the memoised one
    assert FUNCTIONS["fulltime_years"]([{**row, "timer_pr_uge": 13.5}], ref) == 5.0


@pytest.mark.usefixtures("one_evaluation")
def test_equal_values_of_other_types_are_not_mixed_up() -> None:
    # True == 1, but hours given as a boolean are unknown hours (full time), 1 hour is 1/27
    ref = ts("2024-06-01")
    row = {"fra": ts("2014-06-01"), "til": ts("2024-05-31")}

    assert FUNCTIONS["fulltime_years"]([{**row, "timer_pr_uge": True}], ref) == 10.0
    assert FUNCTIONS["fulltime_years"]([{**row, "timer_pr_uge": 1}], ref) == pytest.approx(10 / 27)


@pytest.mark.usefixtures("one_evaluation")
def test_rows_that_cannot_be_a_key_are_still_computed() -> None:
    row = {"fra": ts("2014-06-01"), "til": ts("2024-05-31"), "noter": ["en", "liste"]}

    assert FUNCTIONS["fulltime_years"]([row], ts("2024-06-01")) == 10.0
    assert FUNCTIONS["latest_job_months"]([row], ts("2024-06-01")) == 120.0


def test_within_one_evaluation_the_rows_are_read_once() -> None:
    ref = ts("2024-06-01")
    rows = [{"fra": ts("2014-06-01"), "til": ts("2024-05-31")}]
    token = begin_evaluation()
    try:
        assert FUNCTIONS["fulltime_years"](rows, ref) == 10.0
        # the evaluation promised not to change its rows: the memo answers, not the rows
        rows[0]["fra"] = ts("2019-06-01")
        assert FUNCTIONS["latest_job_months"](rows, ref) == 120.0
    finally:
        end_evaluation(token)


def test_nothing_outlives_an_evaluation() -> None:
    ref = ts("2024-06-01")
    rows = [{"fra": ts("2014-06-01"), "til": ts("2024-05-31")}]
    token = begin_evaluation()
    try:
        assert FUNCTIONS["fulltime_years"](rows, ref) == 10.0
    finally:
        end_evaluation(token)
    rows[0]["fra"] = ts("2019-06-01")

    # outside an evaluation every call reads the rows afresh
    assert FUNCTIONS["fulltime_years"](rows, ref) == 5.0
    rows[0]["fra"] = ts("2021-06-01")
    assert FUNCTIONS["latest_job_months"](rows, ref) == 36.0
    # and the next evaluation starts with an empty memo
    token = begin_evaluation()
    try:
        assert FUNCTIONS["fulltime_years"](rows, ref) == 3.0
    finally:
        end_evaluation(token)


def test_each_thread_evaluates_with_its_own_memo() -> None:
    ref = ts("2024-06-01")
    rows = [{"fra": ts("2014-06-01"), "til": ts("2024-05-31")}]
    token = begin_evaluation()
    try:
        assert FUNCTIONS["fulltime_years"](rows, ref) == 10.0
        rows[0]["fra"] = ts("2019-06-01")
        with ThreadPoolExecutor(1) as pool:
            # another thread is outside this evaluation: it reads the rows, not this memo
            assert pool.submit(FUNCTIONS["fulltime_years"], rows, ref).result() == 5.0
        assert FUNCTIONS["fulltime_years"](rows, ref) == 10.0
    finally:
        end_evaluation(token)


# -- the latest-job rules of BEK § 3, stk. 2 -----------------------------------------------


def _row(fra: str, til: str | None, jobtype: str, arbejdsgiver: str, **extra: Any) -> dict:
    return {
        "fra": ts(fra),
        "til": None if til is None else ts(til),
        "timer_pr_uge": 37,
        "ansaettelsestype": "loenmodtager",
        "stilling": None,
        "jobtype": jobtype,
        "arbejdsgiver": arbejdsgiver,
        "udland": False,
        **extra,
    }


OLD_CLEANING = _row("1992-09-01", "2019-08-31", "rengøring", "ISS")
CARE_2023 = _row("2023-03-01", "2023-08-31", "pleje", "Vikarbureauet")
CARE_2024 = _row("2024-03-01", "2024-08-31", "pleje", "Hjemmeplejen")
APPLIED = ts("2025-03-10")


@pytest.mark.parametrize(
    ("rows", "aggregated", "five_year_rule", "years_back"),
    [
        # the single job ended 5.5 years back; 6 + 6 months of home care are added together:
        # measured from the combined job the latest job is 0.5 years back, but the rule applied
        (
            [OLD_CLEANING, CARE_2023, CARE_2024],
            True,
            True,
            (ts("2025-03-10") - ts("2024-09-01")).days / 365.25,
        ),
        # 6 + 5 months are not enough: the old job stays the latest job, more than 5 years back
        (
            [OLD_CLEANING, CARE_2023, _row("2024-04-01", "2024-08-31", "pleje", "H")],
            False,
            True,
            (ts("2025-03-10") - ts("2019-09-01")).days / 365.25,
        ),
        # a recent job of its own: no five-year rule
        ([OLD_CLEANING, _row("2023-09-01", "2024-08-31", "pleje", "H")], False, False, None),
        # nothing at all
        ([], False, False, -1.0),
    ],
)
def test_aggregation_and_the_five_year_rule(
    rows: list[dict], aggregated: bool, five_year_rule: bool, years_back: float | None
) -> None:
    variables = {"rows": rows, "today": APPLIED}

    assert evaluate("latest_job_aggregated(rows, today)", **variables) is aggregated
    assert evaluate("latest_job_five_year_rule(rows, today)", **variables) is five_year_rule
    if years_back is not None:
        assert evaluate("latest_job_years_back(rows, today)", **variables) == pytest.approx(
            years_back
        )


def test_five_years_and_a_day_back_raises_the_rule_though_it_reads_5_0_years() -> None:
    rows = [_row("1990-03-10", "2020-03-09", "rengøring", "ISS")]
    variables = {"rows": rows, "today": APPLIED}

    assert round(evaluate("latest_job_years_back(rows, today)", **variables), 1) == 5.0
    assert evaluate("latest_job_five_year_rule(rows, today)", **variables) is True
    rows = [_row("1990-03-11", "2020-03-10", "rengøring", "ISS")]  # exactly five years back
    assert evaluate("latest_job_five_year_rule(rows, today)", rows=rows, today=APPLIED) is False


@pytest.mark.parametrize(
    ("fra", "til", "matches"),
    [
        ("2023-03-01", "2024-08-31", True),  # the combined job, as the form asks
        ("2023-02-15", "2024-09-15", True),
        ("2024-03-01", "2024-08-31", True),  # the last of the periods added together
        ("2023-09-01", "2024-08-31", False),  # no period started then
        ("1992-09-01", "2019-08-31", False),  # the old job
        ("2023-03-01", None, False),  # said to be ongoing
    ],
)
def test_latest_job_matches(fra: str, til: str | None, matches: bool) -> None:
    rows = [OLD_CLEANING, CARE_2023, CARE_2024]
    result = evaluate(
        "latest_job_matches(rows, today, fra, til)",
        rows=rows,
        today=APPLIED,
        fra=ts(fra),
        til=None if til is None else ts(til),
    )

    assert result is matches


def test_latest_job_matches_without_a_job_or_a_start() -> None:
    assert (
        evaluate("latest_job_matches(rows, today, fra, null)", rows=[], today=APPLIED, fra=APPLIED)
        is False
    )
    with pytest.raises(RuntimeError, match="ValueError"):
        evaluate("latest_job_matches(rows, today, null, null)", rows=[CARE_2024], today=APPLIED)


def test_about_12_months_is_seen_with_a_lower_minimum() -> None:
    # 11.5 months: no latest job under the 12-month rule, which cannot tell it from nothing
    short = [_row("2023-09-01", "2024-08-16", "pleje", "H")]
    variables = {"rows": short, "today": APPLIED}

    assert evaluate("latest_job_months(rows, today)", **variables) == 0.0
    assert evaluate("latest_job_months_min(rows, today, 11.0)", **variables) == pytest.approx(
        11.5, abs=0.02
    )
    assert evaluate("latest_job_months_min(rows, today, 12)", **variables) == 0.0
    # after a long job the 12-month rule finds the long one; 11 months finds the recent one
    longer = [OLD_CLEANING, *short]
    assert evaluate("latest_job_months(rows, today)", rows=longer, today=APPLIED) == 324.0
    assert evaluate(
        "latest_job_months_min(rows, today, 11)", rows=longer, today=APPLIED
    ) == pytest.approx(11.5, abs=0.02)


@pytest.mark.parametrize("minimum", ["-1.0", "true", "'11'"])
def test_latest_job_months_min_needs_a_number_of_months(minimum: str) -> None:
    with pytest.raises(RuntimeError, match="ValueError"):
        evaluate(f"latest_job_months_min(rows, today, {minimum})", rows=ROWS, today=APPLIED)


def test_the_min_variants_follow_the_tolerance_a_version_states() -> None:
    # one job of 12 months minus a day, ended 31.8.2024, then nothing: with a tolerance of
    # 11.5 months it is the latest job (BEK § 3, stk. 2: "ca. 12 måneder"); strictly, not
    rows = [
        {
            "fra": ts("2000-01-01"),
            "til": ts("2012-12-31"),
            "timer_pr_uge": 37,
            "ansaettelsestype": "loenmodtager",
            "jobtype": "Rengøring",
            "arbejdsgiver": "A",
        },
        {
            "fra": ts("2023-09-01"),
            "til": ts("2024-08-30"),
            "timer_pr_uge": 37,
            "ansaettelsestype": "loenmodtager",
            "jobtype": "Pleje",
            "arbejdsgiver": "B",
        },
    ]
    today = ts("2025-03-10")
    assert evaluate("latest_job_months_min(rows, today, 11.5)", rows=rows, today=today) == (
        pytest.approx(11.97, abs=0.01)
    )
    assert evaluate(
        "latest_job_matches_min(rows, today, fra, til, 11.5)",
        rows=rows,
        today=today,
        fra=ts("2023-09-01"),
        til=ts("2024-08-30"),
    )
    assert not evaluate(
        "latest_job_matches(rows, today, fra, til)",
        rows=rows,
        today=today,
        fra=ts("2023-09-01"),
        til=ts("2024-08-30"),
    )
    # strictly the cleaning job (ended 2012) is the latest: more than five years back
    assert evaluate("latest_job_five_year_rule(rows, today)", rows=rows, today=today)
    assert not evaluate("latest_job_five_year_rule_min(rows, today, 11.5)", rows=rows, today=today)
    assert not evaluate("latest_job_aggregated_min(rows, today, 11.5)", rows=rows, today=today)
    with pytest.raises(Exception, match="ugyldigt antal måneder"):
        evaluate("latest_job_aggregated_min(rows, today, -1.0)", rows=rows, today=today)
