import datetime as dt

from forms_service import danish as fmt


def test_dates_long_and_short() -> None:
    assert fmt.date_long("2026-11-23") == "23. november 2026"
    assert fmt.date_long(dt.date(2025, 5, 1)) == "1. maj 2025"
    assert fmt.date_short(dt.date(2026, 11, 3)) == "03.11.2026"
    assert fmt.date_long(None) == ""


def test_week_labels_and_days() -> None:
    assert fmt.week_label(dt.date(2025, 12, 1)) == "uge 49 2025"
    # the ISO year: 29 December 2025 is in week 1 of 2026, 1 January 2027 in week 53 of 2026
    assert fmt.week_label(dt.date(2025, 12, 29)) == "uge 1 2026"
    assert fmt.week_label("2027-01-01") == "uge 53 2026"
    assert fmt.week_label(None) == ""
    assert fmt.days(106) == "106 dage"
    assert fmt.days(106.0) == "106 dage"
    assert fmt.days(1) == "1 dag"
    assert fmt.days(12.46) == "12,5 dage"
    assert fmt.days(None) == ""


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
