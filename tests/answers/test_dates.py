"""Dates as a Danish caseworker types them: dd.mm.åååå besides ISO; an impossible day is named."""

from __future__ import annotations

import datetime as dt

import pytest

from forms_service.answers import validate
from forms_service.answers.coerce import CoercionError, parse_date
from forms_service.definitions.registry import default_registry


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2019-11-05", dt.date(2019, 11, 5)),
        ("05.11.2019", dt.date(2019, 11, 5)),
        ("5.11.2019", dt.date(2019, 11, 5)),
        ("5-11-2019", dt.date(2019, 11, 5)),
        ("5/11/2019", dt.date(2019, 11, 5)),
        (" 29.02.2024 ", dt.date(2024, 2, 29)),
    ],
)
def test_danish_and_iso_dates_are_read(typed: str, day: dt.date) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["31.02.2019", "29.02.2023", "2019-02-31", "1.13.2019", "i går"])
def test_impossible_dates_are_refused(typed: str) -> None:
    with pytest.raises(CoercionError):
        parse_date(typed)


def test_the_message_quotes_the_impossible_date() -> None:
    definition = default_registry().get("sagsoplysningsskema", "1.0.0")
    result = validate(
        definition, {"seneste_job_fra": "31.02.2019"}, today=dt.date(2026, 12, 6), complete=False
    )
    messages = [p.message for p in result.problems if p.path == "seneste_job_fra"]
    assert messages == [
        "»Seneste job fra«: 31.02.2019 er ikke en gyldig dato, den dag findes ikke. "
        "Ret dag eller måned (dd.mm.åååå)."
    ]
    result = validate(
        definition, {"seneste_job_fra": "snart"}, today=dt.date(2026, 12, 6), complete=False
    )
    assert [p.message for p in result.problems if p.path == "seneste_job_fra"] == [
        "»Seneste job fra« skal være en gyldig dato (dd.mm.åååå)."
    ]
