from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from forms_service.cli import main


def test_pension_age_prints_the_dates_as_json() -> None:
    result = CliRunner().invoke(main, ["pension-age", "1954-06-30"])

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        '{"birth_date": "1954-06-30", "pension_age": {"years": 65, "months": 6}, '
        '"pension_age_date": "2019-12-30", "seniorpension_earliest_date": "2013-12-30", '
        '"application_earliest_date": "2013-06-30"}\n'
    )


def test_pension_age_for_the_70_year_band() -> None:
    result = CliRunner().invoke(main, ["pension-age", "1971-01-01"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pension_age"] == {"years": 70, "months": 0}
    assert json.loads(result.stdout)["application_earliest_date"] == "2034-07-01"


@pytest.mark.parametrize("value", ["1954-02-30", "30-06-1954", "19540630", "i går"])
def test_a_value_that_is_not_a_date_exits_with_code_2(value: str) -> None:
    result = CliRunner().invoke(main, ["pension-age", value])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "ikke en dato" in result.stderr
    assert "expected YYYY-MM-DD" in result.stderr


def test_missing_argument_exits_with_code_2() -> None:
    result = CliRunner().invoke(main, ["pension-age"])

    assert result.exit_code == 2


def test_a_birth_on_29_february_says_which_convention_is_used() -> None:
    result = CliRunner().invoke(main, ["pension-age", "1964-02-29"])

    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    # 68 years after 29.2.1964 is 2032, a leap year: the day exists; 6 years before is 2026,
    # which has no 29 February: 28 February by the convention the note names
    assert found["pension_age_date"] == "2032-02-29"
    assert found["seniorpension_earliest_date"] == "2026-02-28"
    assert len(found["notes"]) == 1
    assert "28. februar" in found["notes"][0]


def test_other_birth_dates_carry_no_notes() -> None:
    result = CliRunner().invoke(main, ["pension-age", "1964-03-01"])

    assert "notes" not in json.loads(result.stdout)
