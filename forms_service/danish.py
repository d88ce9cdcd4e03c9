"""Danish presentation of values: dates, numbers, yes/no, percentages.

Plain functions over plain values, used wherever a value is shown to a person: the Word
documents (registered as Jinja filters in ``documents.sandbox``), the web pages and the
validator's messages, so a date or a number reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_long(value: object) -> str:
    """``2026-11-23`` → ``23. november 2026``."""
    day = parse_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def date_short(value: object) -> str:
    """``2026-11-23`` → ``23.11.2026`` (dd.mm.åååå, as dates are typed on the form)."""
    day = parse_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def week_label(value: object) -> str:
    """The ISO week a date falls in, as said in Danish: ``2025-12-01`` → ``uge 49 2025``."""
    day = parse_date(value)
    if day is None:
        return "" if value is None else str(value)
    year, week, _ = day.isocalendar()
    return f"uge {week} {year}"


def days(value: object) -> str:
    """A number of days: ``106`` → ``106 dage``, ``1`` → ``1 dag``, ``12.5`` → ``12,5 dage``."""
    if value is None or value == "":
        return ""
    amount = round(float(str(value)), 1)
    return f"{number(amount)} {'dag' if amount == 1 else 'dage'}"


def datetime_long(value: dt.datetime) -> str:
    """``2026-11-23 14:05`` → ``23. november 2026 kl. 14.05`` (a date alone: no time)."""
    if not isinstance(value, dt.datetime):
        return date_long(value)
    return f"{date_long(value)} kl. {value.hour:02d}.{value.minute:02d}"


def version_words(version: str) -> str:
    """A form version as a reader says it: ``2.0.0-pilot.1`` → ``version 2.0.0 (pilot 1)``."""
    core, _, pre = version.partition("-")
    if not pre:
        return f"version {core}"
    name, _, count = pre.partition(".")
    return f"version {core} ({name} {count})".replace(" )", ")")


def number(value: object, decimals: int | None = None, unit: str | None = None) -> str:
    """Danish number: ``1234.5`` → ``1.234,5``; ``decimals`` fixes the decimals shown.

    Without ``decimals`` trailing zeros are dropped, so ``20.0`` reads ``20``.
    """
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None or value == "" else yes_no(value)
    try:
        dec = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if decimals is None:
        dec = dec.normalize()
        exponent = dec.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    else:
        places = decimals
    text = f"{dec:,.{places}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} {unit}" if unit else text


def percent(value: object, decimals: int = 1) -> str:
    return f"{number(value, decimals)} %"


def file_size(size: int) -> str:
    """Bytes as Danish text: ``2048`` → ``2 kB``, ``21 * 1024 * 1024`` → ``21 MB``."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{number(round(size / 1024))} kB"
    return f"{number(round(size / (1024 * 1024), 1))} MB"


def yes_no(value: object) -> str:
    if value is None or value == "":
        return ""
    return "Ja" if value else "Nej"


def join_list(values: Iterable[object], sep: str = ", ") -> str:
    return sep.join(str(v) for v in values if v not in (None, ""))


FILTERS = {
    "dato": date_long,
    "dato_kort": date_short,
    "uge": week_label,
    "dage": days,
    "tal": number,
    "procent": percent,
    "ja_nej": yes_no,
    "liste": join_list,
}
