import datetime as dt

from forms_service import danish as fmt


def test_dates_long_and_short() -> None:
    assert fmt.date_long("2026-11-23") == "23. november 2026"
    assert fmt.date_long(dt.date(2025, 5, 1)) == "1. maj 2025"
    assert fmt.date_short(dt.date(2026, 11, 3)) == "03-11-2026"
    assert fmt.date_long(None) == ""


def test_numbers_use_danish_separators() -> None:
    assert fmt.number(1234.5) == "1.234,5"
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(20.0) == "20"
    assert fmt.number(26.75, 1) == "26,8"
    assert fmt.number(0.1 + 0.2, 2) == "0,30"
    assert fmt.number(37, unit="timer") == "37 timer"
    assert fmt.percent(3.3) == "3,3 %"


def test_booleans() -> None:
    assert fmt.yes_no(True) == "Ja"
    assert fmt.yes_no(False) == "Nej"
    assert fmt.yes_no(None) == ""
