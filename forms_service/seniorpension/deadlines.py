"""Calendar-month arithmetic and the case deadlines.

Deadlines in the senior-pension rules are stated in calendar months ("inden 3 måneder"), so
they are computed by moving the month and keeping the day of the month; when the target month
is shorter, the day is clamped to its last day (30 November + 3 months = 28/29 February), the
usual reading of Danish month deadlines and the same as ``dateutil.relativedelta``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

MUNICIPALITY_DEADLINE_MONTHS = 3  # from Seniorpension's request to the municipality
DECISION_DEADLINE_MONTHS = 6  # from the application to Seniorpension's decision
SOON_DAYS = 14  # a deadline this close (or closer) is flagged as "soon"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> dt.date:
    """Exactly ``YYYY-MM-DD`` as a date (``date.fromisoformat`` also takes week dates and
    ``YYYYMMDD``, which an answers document never holds); ``ValueError`` otherwise."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"ikke en dato på formen ÅÅÅÅ-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(d: dt.date, n: int) -> dt.date:
    """``d`` moved ``n`` calendar months (negative: back), the day clamped to the month's end.

    The one month arithmetic of the service (deadlines, pension age, latest job, reports), the
    same result as ``d + dateutil.relativedelta(months=n)`` (a test compares them); written out
    because it runs many times in every evaluation of a form and is several times faster.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    day = d.day
    if day > 28:
        length = _MONTH_DAYS[month0]
        if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            length = 29
        day = min(day, length)
    try:
        return dt.date(year, month0 + 1, day)
    except ValueError:
        raise ValueError(f"{d.isoformat()} + {n} måneder ligger uden for kalenderen") from None


def add_years(d: dt.date, n: int) -> dt.date:
    """``d`` moved ``n`` years; 29 February becomes 28 February in a non-leap year."""
    return add_months(d, 12 * n)


def months_between(a: dt.date, b: dt.date) -> int:
    """Whole calendar months from ``a`` to ``b`` (negative when ``b`` is before ``a``).

    A month is whole when ``add_months(a, m) <= b``: 2020-01-31 to 2020-02-29 is 1 month,
    2020-01-15 to 2020-02-14 is 0.
    """
    if b < a:
        return -months_between(b, a)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if add_months(a, months) > b:
        months -= 1
    return months


def municipality_deadline(request_date: dt.date) -> dt.date:
    """The day the municipality must have answered Seniorpension's request (3 months)."""
    return add_months(request_date, MUNICIPALITY_DEADLINE_MONTHS)


def decision_deadline(application_date: dt.date) -> dt.date:
    """The day Seniorpension must have decided the application (6 months)."""
    return add_months(application_date, DECISION_DEADLINE_MONTHS)


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Days from ``today`` to ``deadline``; 0 on the day itself, negative when overdue."""
    return (deadline - today).days


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    SOON = "soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """Danish text for the UI."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    DeadlineStatus.ON_TIME: "Inden for fristen",
    DeadlineStatus.SOON: "Fristen nærmer sig",
    DeadlineStatus.OVERDUE: "Fristen er overskredet",
}


def deadline_status(
    deadline: dt.date, today: dt.date, *, soon_days: int = SOON_DAYS
) -> DeadlineStatus:
    """On time, soon (at most ``soon_days`` left, the deadline day included) or overdue."""
    left = days_left(deadline, today)
    if left < 0:
        return DeadlineStatus.OVERDUE
    if left <= soon_days:
        return DeadlineStatus.SOON
    return DeadlineStatus.ON_TIME
