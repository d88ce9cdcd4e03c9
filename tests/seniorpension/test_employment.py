from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_service.seniorpension import (
    EmploymentKind,
    EmploymentPeriod,
    fulltime_years,
    fulltime_years_exact,
)
from forms_service.seniorpension.employment import calendar_years

from . import _reference_fulltime as reference
from ._fixtures import load_fixture
from ._periods import periods

CASES = load_fixture("fulltime_years.json")["cases"]


def _expected(value: float | list[int]) -> Fraction:
    if isinstance(value, list):
        return Fraction(value[0], value[1])
    return Fraction(str(value))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_fulltime_years(case: dict) -> None:
    rows = periods(case["periods"])
    ref = dt.date.fromisoformat(case["ref"])
    expected = _expected(case["expected"])

    assert fulltime_years_exact(rows, ref) == expected
    assert fulltime_years(rows, ref) == float(expected)


def test_25_calendar_years_pass_a_25_year_threshold() -> None:
    rows = [EmploymentPeriod(dt.date(1995, 1, 1), dt.date(2019, 12, 31), 37)]

    assert fulltime_years(rows, dt.date(2024, 1, 1)) >= 25.0


@pytest.mark.parametrize(
    ("hours", "kind", "fraction"),
    [
        (27, EmploymentKind.LOENMODTAGER, Fraction(1)),  # BEK § 2, stk. 3: hours ÷ 27
        (37, EmploymentKind.LOENMODTAGER, Fraction(1)),  # more than 27 hours counts as full
        (13.5, EmploymentKind.LOENMODTAGER, Fraction(1, 2)),
        (0, EmploymentKind.LOENMODTAGER, Fraction(0)),
        (-5, EmploymentKind.LOENMODTAGER, Fraction(0)),  # never less than nothing
        (None, EmploymentKind.LOENMODTAGER, Fraction(1)),
        (10, EmploymentKind.FLEKSJOB, Fraction(1)),  # a flexjob counts as full time
    ],
)
def test_the_full_time_fraction_of_a_period(
    hours: float | None, kind: EmploymentKind, fraction: Fraction
) -> None:
    period = EmploymentPeriod(dt.date(2020, 1, 1), dt.date(2020, 12, 31), hours, kind=kind)
    assert period.fulltime_fraction == fraction
    ref = dt.date(2021, 1, 1)
    assert fulltime_years_exact([period], ref) == fraction  # 2020 is one calendar year


def test_kind_given_as_text_becomes_the_enum() -> None:
    period = EmploymentPeriod(dt.date(2020, 1, 1), kind="fleksjob")  # type: ignore[arg-type]

    assert period.kind is EmploymentKind.FLEKSJOB
    with pytest.raises(ValueError):
        EmploymentPeriod(dt.date(2020, 1, 1), kind="ukendt")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("job_type", "title", "key"),
    [
        ("  Social- og  sundhedshjælper ", "Hjemmehjælper", "social- og sundhedshjælper"),
        (None, "HJEMMEHJÆLPER", "hjemmehjælper"),
        ("  ", "Hjemmehjælper", "hjemmehjælper"),
        (None, None, None),
    ],
)
def test_job_type_key_falls_back_to_title(
    job_type: str | None, title: str | None, key: str | None
) -> None:
    period = EmploymentPeriod(dt.date(2020, 1, 1), job_type=job_type, title=title)

    assert period.job_type_key == key


def test_kind_labels_are_danish() -> None:
    assert EmploymentKind.LOENTILSKUD.label == "Job med løntilskud"


_dates = st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2030, 12, 31))
_periods = st.lists(
    st.builds(
        EmploymentPeriod,
        start=_dates,
        end=st.none() | _dates,
        hours_per_week=st.none() | st.floats(min_value=0, max_value=60, allow_nan=False),
        kind=st.sampled_from(list(EmploymentKind)),
    ),
    max_size=6,
)


@given(_periods, _dates)
def test_fulltime_years_never_exceed_the_covered_calendar_time(
    rows: list[EmploymentPeriod], ref: dt.date
) -> None:
    result = fulltime_years_exact(rows, ref)
    spans = [span for row in rows if (span := row.span(ref)) is not None]

    assert result >= 0
    if spans:
        first = min(span[0] for span in spans)
        assert result <= Fraction((ref - first).days, 365)
    else:
        assert result == 0
    assert fulltime_years_exact(list(reversed(rows)), ref) == result
    # Adding a copy of any period never changes the result: overlaps count once.
    assert fulltime_years_exact(rows + rows[:1], ref) == result


_any_dates = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2040, 12, 31))
_any_periods = st.lists(
    st.builds(
        EmploymentPeriod,
        start=_any_dates,
        end=st.none() | _any_dates,
        hours_per_week=st.none()
        | st.floats(min_value=0, max_value=60, allow_nan=False)
        | st.sampled_from([0, 13.5, 18.5, 26.99, 27, 37, 37.5]),
        kind=st.sampled_from(list(EmploymentKind)),
    ),
    max_size=8,
)


@given(_any_periods, _any_dates)
def test_integer_sum_equals_the_fraction_sum(rows: list[EmploymentPeriod], ref: dt.date) -> None:
    expected = reference.fulltime_years_exact(rows, ref)

    assert fulltime_years_exact(rows, ref) == expected
    assert fulltime_years(rows, ref) == float(expected)


@pytest.mark.parametrize(
    ("first", "after", "expected"),
    [
        ("2000-02-29", "2001-02-28", Fraction(1)),
        ("2000-02-29", "2004-02-29", Fraction(4)),
        ("2000-02-29", "2003-03-01", 3 + Fraction(1, 366)),
        ("2001-03-01", "2001-03-01", Fraction(0)),
        ("1999-12-31", "2000-12-30", Fraction(365, 366)),
    ],
)
def test_calendar_years_across_29_february(first: str, after: str, expected: Fraction) -> None:
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(after)

    assert calendar_years(a, b) == expected == reference.calendar_years(a, b)
