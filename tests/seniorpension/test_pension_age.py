from __future__ import annotations

import datetime as dt

import pytest

from forms_service.seniorpension import (
    PensionAge,
    application_earliest_date,
    pension_age,
    pension_age_date,
    pension_dates,
    seniorpension_earliest_date,
)

from ._fixtures import load_fixture

CASES = load_fixture("pension_age.json")["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["birth"] for case in CASES])
def test_pension_age_table_and_dates(case: dict) -> None:
    birth = dt.date.fromisoformat(case["birth"])

    assert pension_age(birth) == PensionAge(case["years"], case["months"])
    assert pension_age_date(birth) == dt.date.fromisoformat(case["pension"])
    assert seniorpension_earliest_date(birth) == dt.date.fromisoformat(case["senior"])
    assert application_earliest_date(birth) == dt.date.fromisoformat(case["application"])


def test_every_boundary_of_the_table_is_covered_by_the_fixture() -> None:
    births = {case["birth"] for case in CASES}
    boundaries = [
        ("1953-12-31", "1954-01-01"),
        ("1954-06-30", "1954-07-01"),
        ("1954-12-31", "1955-01-01"),
        ("1955-06-30", "1955-07-01"),
        ("1962-12-31", "1963-01-01"),
        ("1966-12-31", "1967-01-01"),
        ("1970-12-31", "1971-01-01"),
    ]
    for before, after in boundaries:
        assert {before, after} <= births
        assert pension_age(dt.date.fromisoformat(before)) < pension_age(
            dt.date.fromisoformat(after)
        )


def test_pension_dates_bundle_and_json() -> None:
    dates = pension_dates(dt.date(1955, 1, 1))

    assert dates.as_json() == {
        "birth_date": "1955-01-01",
        "pension_age": {"years": 66, "months": 6},
        "pension_age_date": "2021-07-01",
        "seniorpension_earliest_date": "2015-07-01",
        "application_earliest_date": "2015-01-01",
    }


def test_datetime_argument_is_treated_as_its_date() -> None:
    moment = dt.datetime(1963, 1, 1, 0, 0, tzinfo=dt.UTC)

    assert pension_age(moment) == PensionAge(68)
    assert pension_age_date(moment) == dt.date(2031, 1, 1)


def test_non_date_argument_is_rejected() -> None:
    with pytest.raises(TypeError):
        pension_age("1960-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("age", "text", "total"),
    [(PensionAge(65, 6), "65½ år", 786), (PensionAge(67), "67 år", 804)],
)
def test_pension_age_text_and_months(age: PensionAge, text: str, total: int) -> None:
    assert str(age) == text
    assert age.total_months == total


def test_a_non_date_is_refused_with_its_type() -> None:
    with pytest.raises(TypeError, match=r"^expected datetime\.date, got str$"):
        pension_age("1960-01-01")  # type: ignore[arg-type]


def test_the_first_band_holds_every_birth_before_1954() -> None:
    assert pension_age(dt.date(1900, 6, 15)) == PensionAge(65, 0)
    assert pension_age(dt.date(1953, 12, 31)) == PensionAge(65, 0)
    assert pension_age(dt.date(1954, 1, 1)) == PensionAge(65, 6)
