from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from forms_service.seniorpension import (
    DeadlineStatus,
    add_months,
    add_years,
    days_left,
    deadline_status,
    decision_deadline,
    months_between,
    municipality_deadline,
    parse_iso_date,
)

from ._fixtures import load_fixture

ADD_MONTHS = load_fixture("add_months.json")["cases"]
MONTHS_BETWEEN = load_fixture("months_between.json")["cases"]
D = dt.date.fromisoformat


@pytest.mark.parametrize(("start", "n", "expected"), ADD_MONTHS)
def test_add_months_clamps_to_month_end(start: str, n: int, expected: str) -> None:
    assert add_months(D(start), n) == D(expected)


@pytest.mark.parametrize(("a", "b", "expected"), MONTHS_BETWEEN)
def test_months_between_counts_whole_months(a: str, b: str, expected: int) -> None:
    assert months_between(D(a), D(b)) == expected


@given(
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.integers(min_value=-1200, max_value=1200),
)
def test_add_months_agrees_with_relativedelta(start: dt.date, n: int) -> None:
    # the written-out arithmetic is the library's reading of a calendar month
    assert add_months(start, n) == start + relativedelta(months=n)


def test_add_years_moves_29_february_to_28_february() -> None:
    assert add_years(D("2024-02-29"), 1) == D("2025-02-28")
    assert add_years(D("2024-02-29"), 4) == D("2028-02-29")


def test_add_months_outside_the_calendar_raises() -> None:
    with pytest.raises(ValueError):
        add_months(dt.date(9999, 12, 1), 1)


def test_municipality_deadline_is_three_months_after_the_request() -> None:
    assert municipality_deadline(D("2024-03-15")) == D("2024-06-15")
    assert municipality_deadline(D("2023-11-30")) == D("2024-02-29")
    assert municipality_deadline(D("2024-11-30")) == D("2025-02-28")


def test_decision_deadline_is_six_months_after_the_application() -> None:
    assert decision_deadline(D("2024-01-10")) == D("2024-07-10")
    assert decision_deadline(D("2023-08-31")) == D("2024-02-29")
    assert decision_deadline(D("2024-08-31")) == D("2025-02-28")


@pytest.mark.parametrize(
    ("today", "left", "status"),
    [
        ("2024-01-01", 59, DeadlineStatus.ON_TIME),
        ("2024-02-14", 15, DeadlineStatus.ON_TIME),
        ("2024-02-15", 14, DeadlineStatus.SOON),
        ("2024-02-29", 0, DeadlineStatus.SOON),
        ("2024-03-01", -1, DeadlineStatus.OVERDUE),
    ],
)
def test_days_left_and_status(today: str, left: int, status: DeadlineStatus) -> None:
    deadline = D("2024-02-29")

    assert days_left(deadline, D(today)) == left
    assert deadline_status(deadline, D(today)) is status


def test_status_threshold_is_configurable_and_labels_are_danish() -> None:
    assert deadline_status(D("2024-03-01"), D("2024-02-01"), soon_days=30) is DeadlineStatus.SOON
    assert DeadlineStatus.OVERDUE.label == "Fristen er overskredet"
    assert DeadlineStatus.OVERDUE == "overdue"


@pytest.mark.parametrize("text", ["2024-02-30", "20240201", "2024-W05-1", "1.2.2024", "", " "])
def test_parse_iso_date_accepts_only_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_date(text)


def test_parse_iso_date() -> None:
    assert parse_iso_date("2024-02-29") == D("2024-02-29")


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates, st.integers(min_value=-600, max_value=600))
def test_months_between_inverts_add_months(start: dt.date, n: int) -> None:
    target = add_months(start, n)
    if n >= 0:
        assert months_between(start, target) == n
    assert target.day <= start.day


@given(dates, dates)
def test_months_between_is_the_largest_whole_number_of_months(a: dt.date, b: dt.date) -> None:
    first, last = min(a, b), max(a, b)
    months = months_between(first, last)

    assert add_months(first, months) <= last < add_months(first, months + 1)
    assert months_between(last, first) == -months


@pytest.mark.parametrize("text", ["2024-1-1", "20240101", "2024-W01-1", " 2024-01-01"])
def test_only_iso_dates_are_dates_and_the_error_quotes_the_text(text: str) -> None:
    from forms_service.seniorpension.deadlines import parse_iso_date

    with pytest.raises(ValueError, match=r"^ikke en dato på formen ÅÅÅÅ-MM-DD: '") as error:
        parse_iso_date(text)
    assert str(error.value).endswith(repr(text))
