from __future__ import annotations

import datetime as dt

import pytest

from forms_service.reporting.tables import (
    COUNT,
    DATE,
    DAYS,
    NUMBER,
    SHARE,
    csv_value,
    format_value,
)


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (106.0, DAYS, "106 dage"),
        (106.5, DAYS, "106,5 dage"),
        (1234.25, NUMBER, "1.234,2"),
        (1234, COUNT, "1.234"),
        (0.256, SHARE, "25,6 %"),
        (dt.date(2026, 11, 3), DATE, "03.11.2026"),
        (None, DAYS, "–"),
    ],
)
def test_a_figure_reads_as_danish_text(value: object, kind: str, text: str) -> None:
    assert format_value(value, kind) == text


def test_days_in_csv_keep_their_decimals() -> None:
    assert csv_value(106.5, DAYS) == "106,5000"
