"""Edges of the CEL domain functions that a form evaluation meets: which function refused an
argument (the message names it), rows read field by field, and the tolerance variants."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms_service.seniorpension import cel_functions as cf
from forms_service.seniorpension.cel_functions import FUNCTIONS, period_from_row

UTC = dt.UTC


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


TODAY = ts("2025-03-10")
ROW = {"fra": ts("2020-01-01"), "til": ts("2021-12-31"), "arbejdsgiver": "A"}

# each function called with one argument that is not a date (or not a number of months),
# the others valid
BAD_CALLS: list[tuple[str, tuple[Any, ...]]] = [
    ("fulltime_years", ([ROW], "ikke en dato")),
    ("latest_job_months", ([ROW], None)),
    ("latest_job_years_back", ([ROW], None)),
    ("latest_job_index", ([ROW], None)),
    ("latest_job_aggregated", ([ROW], None)),
    ("latest_job_five_year_rule", ([ROW], None)),
    ("latest_job_matches", ([ROW], TODAY, "x", None)),
    ("latest_job_matches", ([ROW], TODAY, ts("2020-01-01"), "x")),
    ("latest_job_matches", ([ROW], None, ts("2020-01-01"), None)),
    ("latest_job_months_min", ([ROW], TODAY, -1)),
    ("latest_job_months_min", ([ROW], None, 12)),
    ("latest_job_aggregated_min", ([ROW], TODAY, "12")),
    ("latest_job_aggregated_min", ([ROW], None, 12)),
    ("latest_job_five_year_rule_min", ([ROW], TODAY, True)),
    ("latest_job_five_year_rule_min", ([ROW], None, 12)),
    ("latest_job_matches_min", ([ROW], TODAY, ts("2020-01-01"), None, -0.5)),
    ("latest_job_matches_min", ([ROW], TODAY, "x", None, 12)),
    ("latest_job_matches_min", ([ROW], TODAY, ts("2020-01-01"), "x", 12)),
    ("latest_job_matches_min", ([ROW], None, ts("2020-01-01"), None, 12)),
    ("pension_age_date", (None,)),
    ("seniorpension_earliest_date", ("1960-13-01",)),
    ("application_earliest_date", (42,)),
    ("birth_date_from_cpr", (None,)),
    ("months_between", ("x", TODAY)),
    ("months_between", (TODAY, "x")),
    ("add_months", ("x", 1)),
    ("add_months", (TODAY, 1.5)),
    ("add_months", (TODAY, True)),
    ("add_months", (TODAY, "1")),
    ("municipality_deadline", (None,)),
    ("decision_deadline", (None,)),
]


@pytest.mark.parametrize(
    ("name", "args"), BAD_CALLS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(BAD_CALLS)]
)
def test_a_refused_argument_names_the_function(name: str, args: tuple[Any, ...]) -> None:
    # the evaluation error a caseworker's definition author sees starts with the function
    with pytest.raises(ValueError, match=rf"^{name}: \S"):
        FUNCTIONS[name](*args)


def test_the_refusals_say_what_was_wrong() -> None:
    with pytest.raises(
        ValueError, match=r"^add_months: antal måneder skal være et helt tal: 1\.5$"
    ):
        cf.add_months(TODAY, 1.5)
    with pytest.raises(ValueError, match=r"^birth_date_from_cpr: CPR-nummeret mangler$"):
        cf.birth_date_from_cpr(None)
    with pytest.raises(ValueError, match=r"^months_between: ikke en dato: 'x'$"):
        cf.months_between(TODAY, "x")
    with pytest.raises(ValueError, match=r"^latest_job_months_min: ugyldigt antal måneder: -1$"):
        cf.latest_job_months_min([ROW], TODAY, -1)


@pytest.mark.parametrize(
    ("minimum", "accepted"),
    [(0, True), (0.5, True), (1, True), (999_999_999.0, True), (1e9, False), (-0.001, False)],
)
def test_the_number_of_months_is_from_zero_up_to_a_billion(minimum: float, accepted: bool) -> None:
    if accepted:  # the 24-month job, or no job when the minimum is above it
        expected = 24.0 if minimum <= 24 else 0.0
        assert cf.latest_job_months_min([ROW], TODAY, minimum) == expected
    else:
        with pytest.raises(ValueError, match="ugyldigt antal måneder"):
            cf.latest_job_months_min([ROW], TODAY, minimum)


def test_timestamps_are_midnight_utc() -> None:
    result = cf.to_timestamp(dt.date(2024, 2, 29))
    assert result == dt.datetime(2024, 2, 29, tzinfo=UTC)
    assert result.tzinfo is UTC
    assert cf.add_months(ts("2024-01-31"), 1).tzinfo is UTC


def test_a_whole_float_is_a_whole_number_of_months() -> None:
    assert cf.add_months(ts("2024-01-31"), 1.0) == ts("2024-02-29")
    assert cf.add_months("2024-01-31", -11) == ts("2023-02-28")


def test_employer_and_title_are_read_from_the_row() -> None:
    period = period_from_row(
        {"fra": "2020-01-01", "arbejdsgiver": "  Plejehjemmet  ", "stilling": " SOSU-hjælper "}
    )
    assert period is not None
    assert period.employer == "Plejehjemmet"
    assert period.title == "SOSU-hjælper"
    assert period.job_type_key == "sosu-hjælper"


def test_an_empty_end_is_an_open_end_and_a_kind_must_be_a_known_text() -> None:
    open_end = period_from_row({"fra": "2020-01-01", "til": "", "ansaettelsestype": "fleksjob"})
    assert open_end is not None
    assert open_end.end is None
    assert open_end.kind == "fleksjob"
    # a kind that is not text (a list from a broken import) is an employee, not an error
    odd = period_from_row({"fra": "2020-01-01", "ansaettelsestype": ["fleksjob"]})
    assert odd is not None
    assert odd.kind == "loenmodtager"
    # an end that is not a date makes the row unusable, even when the start is fine
    assert period_from_row({"fra": "2020-01-01", "til": "XXXX"}) is None
    assert period_from_row({"fra": "2020-01-01", "til": 0}) is None


# Rows of one job split where the hours changed: same employer, one continuous job; the
# title is the job type. Under the 12-month rule the two rows are one job of 14 months.
SPLIT = [
    {"fra": ts("2023-01-01"), "til": ts("2023-06-30"), "arbejdsgiver": "B", "stilling": "Pleje"},
    {"fra": ts("2023-07-01"), "til": ts("2024-02-29"), "arbejdsgiver": "B", "stilling": "Pleje"},
]


def test_rows_of_one_employer_are_one_job_through_the_functions() -> None:
    assert cf.latest_job_months(SPLIT, TODAY) == 14.0
    assert cf.latest_job_index(SPLIT, TODAY) == 1
    assert cf.latest_job_aggregated(SPLIT, TODAY) is False
    # without the employer the rows are separate jobs of 6 and 8 months: none reaches 12
    # alone, so the five-year rule adds them together by their title
    anonymous = [{k: v for k, v in row.items() if k != "arbejdsgiver"} for row in SPLIT]
    assert cf.latest_job_aggregated(anonymous, TODAY) is True
    assert cf.latest_job_five_year_rule(anonymous, TODAY) is True
    # and without a title as well nothing can be added together
    bare = [{k: v for k, v in row.items() if k == "fra" or k == "til"} for row in SPLIT]
    assert cf.latest_job_months(bare, TODAY) == 0.0
    assert cf.latest_job_aggregated(bare, TODAY) is False


def test_the_min_variants_answer_like_the_12_month_functions() -> None:
    anonymous = [{k: v for k, v in row.items() if k != "arbejdsgiver"} for row in SPLIT]
    assert cf.latest_job_aggregated_min(anonymous, TODAY, 12) is True
    assert cf.latest_job_five_year_rule_min(anonymous, TODAY, 12) is True
    assert cf.latest_job_aggregated_min(SPLIT, TODAY, 12) is False
    assert cf.latest_job_five_year_rule_min(SPLIT, TODAY, 12) is False
    # a minimum nobody reaches: no latest job, so neither is true
    assert cf.latest_job_aggregated_min(SPLIT, TODAY, 100) is False
    assert cf.latest_job_five_year_rule_min(SPLIT, TODAY, 100) is False
    assert cf.latest_job_matches_min(SPLIT, TODAY, ts("2023-01-01"), None, 100) is False
    # the job is found, but the described one is another
    assert cf.latest_job_matches_min(SPLIT, TODAY, ts("2023-01-01"), ts("2024-02-29"), 12)
    assert not cf.latest_job_matches_min(SPLIT, TODAY, ts("2020-01-01"), ts("2020-12-31"), 12)
    assert not cf.latest_job_matches(SPLIT, TODAY, ts("2020-01-01"), ts("2020-12-31"))
    # an empty end is still held: the job ended a year before, so it is not this one
    assert not cf.latest_job_matches_min(SPLIT, TODAY, ts("2023-07-01"), "", 12)
    assert not cf.latest_job_matches(SPLIT, TODAY, ts("2023-07-01"), "")


def test_a_timestamp_is_read_as_its_date_in_utc() -> None:
    to_date = cf.to_date
    plus_two = dt.timezone(dt.timedelta(hours=2))
    # half past midnight in UTC+2 is still the day before in UTC
    assert to_date(dt.datetime(2025, 3, 1, 0, 30, tzinfo=plus_two)) == dt.date(2025, 2, 28)
    assert to_date(dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC)) == dt.date(2025, 3, 1)
    assert to_date(dt.datetime(2025, 3, 1, 0, 30)) == dt.date(2025, 3, 1)  # no zone: as given
