from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_service.seniorpension import (
    EmploymentKind,
    EmploymentPeriod,
    add_months,
    latest_job,
    months_between,
)
from forms_service.seniorpension.latest_job import describes, span_months

from ._fixtures import load_fixture
from ._periods import periods

CASES = load_fixture("latest_job.json")["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_latest_job(case: dict) -> None:
    result = latest_job(periods(case["periods"]), dt.date.fromisoformat(case["ref"]))
    expected = case["expected"]

    if expected is None:
        assert result is None
        return
    assert result is not None
    assert result.indices == tuple(expected["indices"])
    assert result.index == expected["indices"][-1]
    assert result.months == pytest.approx(expected["months"], abs=1e-9)
    assert result.start == dt.date.fromisoformat(expected["start"])
    assert result.end == dt.date.fromisoformat(expected["end"])
    assert result.aggregated is expected["aggregated"]
    assert result.ongoing is expected["ongoing"]
    assert result.years_back == pytest.approx(expected["years_back_days"] / 365.25)
    if "job_type" in expected:
        assert result.job_type == expected["job_type"]
    if "beyond_five_years" in expected:
        assert result.beyond_five_years is expected["beyond_five_years"]


def test_aggregated_latest_job_is_more_than_five_years_from_the_old_one() -> None:
    case = next(c for c in CASES if c["name"].startswith("more than five years back: periods"))
    rows = periods(case["periods"])
    ref = dt.date.fromisoformat(case["ref"])
    old_job_only = latest_job(rows[:1], ref)

    assert old_job_only is not None
    assert old_job_only.years_back > 5
    assert not old_job_only.aggregated


def test_min_months_can_be_lowered_for_about_12_months() -> None:
    rows = [EmploymentPeriod(dt.date(2020, 1, 1), dt.date(2020, 11, 30))]

    assert latest_job(rows, dt.date(2022, 1, 1)) is None
    result = latest_job(rows, dt.date(2022, 1, 1), min_months=11)
    assert result is not None
    assert result.months == 11.0


def test_no_periods_no_latest_job() -> None:
    assert latest_job([], dt.date(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        ("2020-01-01", "2020-12-31", 12.0),
        ("2020-01-01", "2020-11-30", 11.0),
        ("2020-01-15", "2021-01-14", 12.0),
        ("2020-02-01", "2020-02-29", 1.0),
        ("2020-01-01", "2020-01-16", 16 / 31),
        # a one-day period: one day of a 31-day month
        ("2023-03-01", "2023-03-01", 1 / 31),
        # months of 30 days, and 31 January: whole months end on the clamped day
        ("2022-04-01", "2023-04-30", 13.0),
        ("2022-04-30", "2022-05-29", 1.0),
        ("2022-01-31", "2023-01-29", 11 + 30 / 31),
        # leap years: February has 29 days in 2024, 28 in 2023
        ("2024-02-01", "2024-02-14", 14 / 29),
        ("2023-02-01", "2023-02-14", 14 / 28),
        ("2020-02-29", "2021-02-28", 12 + 1 / 28),
        ("2024-02-29", "2024-03-28", 1.0),
        # not a span (last before first): whole months back, the rest of a month forward
        ("2019-02-28", "2019-01-28", -1 + 1 / 31),
        ("2019-02-28", "2019-01-27", -1.0),
        ("2019-03-15", "2019-01-31", -1.0),
        ("2020-02-29", "2019-12-30", -2 + 2 / 31),
    ],
)
def test_span_months(first: str, last: str, months: float) -> None:
    assert span_months(dt.date.fromisoformat(first), dt.date.fromisoformat(last)) == (
        pytest.approx(months)
    )


_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2026, 12, 31))
_periods = st.lists(
    st.builds(
        EmploymentPeriod,
        start=_dates,
        end=st.none() | _dates,
        kind=st.sampled_from(list(EmploymentKind)),
        job_type=st.sampled_from([None, "Kok", "kok ", "Pedel"]),
        employer=st.sampled_from([None, "A", "B"]),
    ),
    max_size=6,
)


@given(_periods, _dates)
def test_latest_job_invariants(rows: list[EmploymentPeriod], ref: dt.date) -> None:
    result = latest_job(rows, ref)

    if result is None:
        # Nothing of 12 months, alone or added together, is left out.
        assert all(
            row.kind is EmploymentKind.LOENTILSKUD
            or (span := row.span(ref)) is None
            or span_months(*span) < 12
            for row in rows
        )
        return
    assert result.months >= 12
    assert result.start <= result.end < ref
    assert all(rows[i].kind is not EmploymentKind.LOENTILSKUD for i in result.indices)
    assert len(set(result.indices)) == len(result.indices)
    assert result.ongoing == any(rows[i].is_ongoing(ref) for i in result.indices)
    if result.aggregated:
        assert len({rows[i].job_type_key for i in result.indices}) == 1


_any_dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31))


@given(_any_dates, _any_dates)
def test_span_months_equals_the_calendar_arithmetic(first: dt.date, last: dt.date) -> None:
    # span_months has its own month arithmetic (it runs in every evaluation); it must give
    # exactly what deadlines.months_between / add_months give
    after = last + dt.timedelta(days=1)
    whole = months_between(first, after)
    rest_start = add_months(first, whole)
    rest_days = (after - rest_start).days
    expected = (
        float(whole)
        if rest_days <= 0
        else whole + rest_days / (add_months(rest_start, 1) - rest_start).days
    )

    assert span_months(first, last) == expected


# -- "more than five years back": one definition --------------------------------------------


def _job(
    start: str, end: str | None, job_type: str = "rengøring", **kw: object
) -> EmploymentPeriod:
    return EmploymentPeriod(
        dt.date.fromisoformat(start),
        None if end is None else dt.date.fromisoformat(end),
        job_type=job_type,
        **kw,  # type: ignore[arg-type]
    )


REF = dt.date(2025, 3, 10)  # ref minus 60 months: 10.3.2020


def test_last_day_exactly_five_years_back_is_not_more_than_five_years() -> None:
    result = latest_job([_job("1990-03-11", "2020-03-10")], REF)

    assert result is not None
    assert not result.beyond_five_years
    assert not result.aggregated


def test_five_years_and_one_day_back_is_more_for_both_rules() -> None:
    # the last day 9.3.2020 reads as 4.9993 years (days / 365.25), but it is before
    # 10.3.2020: more than five years back, for adding periods together and for the form
    alone = latest_job([_job("1990-03-10", "2020-03-09")], REF)
    assert alone is not None
    assert alone.years_back < 5.0
    assert alone.beyond_five_years
    assert not alone.aggregated

    added = latest_job(
        [
            _job("1990-03-10", "2020-03-09"),
            _job("2023-01-01", "2023-06-30", employer="A"),
            _job("2024-01-01", "2024-06-30", employer="B"),
        ],
        REF,
    )
    assert added is not None
    assert added.aggregated
    assert added.beyond_five_years
    assert added.indices == (1, 2)


@given(_periods, _dates)
def test_beyond_five_years_is_the_window_test(rows: list[EmploymentPeriod], ref: dt.date) -> None:
    result = latest_job(rows, ref)
    if result is None:
        return
    window = add_months(ref, -60)
    recent_single = any(
        row.kind is not EmploymentKind.LOENTILSKUD
        and (span := row.span(ref)) is not None
        and span[1] >= window
        and span_months(*span) >= 12
        for row in rows
    )
    if result.aggregated:
        assert result.beyond_five_years
    if not result.aggregated and result.end >= window:
        assert not result.beyond_five_years
    if recent_single:
        assert not result.beyond_five_years


# -- a described job against the rule's ------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "matches"),
    [
        ("2014-09-01", "2024-08-31", True),
        ("2014-08-01", "2024-09-30", True),  # a month either way
        ("2014-07-31", "2024-08-31", False),  # a month and a day early
        ("2014-09-01", "2024-10-01", False),
        ("2014-09-01", None, False),  # described as still held; it ended 31.8.2024
        ("2006-09-01", "2014-08-31", False),  # the job before
    ],
)
def test_describes(first: str, last: str | None, matches: bool) -> None:
    rows = [_job("2006-09-01", "2014-08-31", "køkken"), _job("2014-09-01", "2024-08-31", "pleje")]
    job = latest_job(rows, REF)
    assert job is not None
    end = None if last is None else dt.date.fromisoformat(last)

    assert describes(job, rows, dt.date.fromisoformat(first), end, REF) is matches


def test_an_ongoing_job_is_described_with_an_open_or_later_end() -> None:
    job = latest_job([_job("2014-09-01", None)], REF)
    assert job is not None and job.ongoing

    rows = [_job("2014-09-01", None)]
    assert describes(job, rows, dt.date(2014, 9, 1), None, REF)
    assert describes(job, rows, dt.date(2014, 9, 1), dt.date(2026, 1, 1), REF)
    assert not describes(job, rows, dt.date(2014, 9, 1), dt.date(2024, 12, 31), REF)


def test_a_job_is_described_from_its_last_row_or_its_start() -> None:
    # one job at one employer, split when the title changed in 2013
    rows = [
        _job("2003-09-01", "2013-08-31", "slagteri", employer="Danish Crown"),
        _job("2013-09-01", None, "slagteri", employer="Danish Crown"),
    ]
    job = latest_job(rows, REF)
    assert job is not None and job.indices == (0, 1)

    assert describes(job, rows, dt.date(2013, 9, 1), None, REF)
    assert describes(job, rows, dt.date(2003, 9, 1), None, REF)
    assert not describes(job, rows, dt.date(2008, 1, 1), None, REF)


def test_a_job_still_held_ends_the_day_before_the_reference_date_when_described() -> None:
    # the latest job ended 1 May; "still held" (no end) is read as 31 May, within a month
    rows = [EmploymentPeriod(dt.date(2023, 5, 1), dt.date(2024, 5, 1))]
    ref = dt.date(2024, 6, 1)
    job = latest_job(rows, ref)
    assert job is not None
    assert describes(job, rows, dt.date(2023, 5, 1), None, ref)
    assert describes(job, rows, dt.date(2023, 5, 1), dt.date(2030, 1, 1), ref)
    # one day further and it is more than a month after the job's end
    assert not describes(job, rows, dt.date(2023, 5, 1), None, ref + dt.timedelta(days=2))
