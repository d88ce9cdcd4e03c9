"""State pension age (folkepensionsalder) and the senior-pension dates derived from it.

Sources: Pensionsloven § 1 a (the age by date of birth, the 70-year step adopted 2025) and
§ 26 b (senior pension at most 6 years before the pension age; the application at the earliest
6 months before that).

Dates are calendar arithmetic on the birth date (see ``deadlines.add_months``). A person born
on 29 February reaches an age in a non-leap year on 28 February: the clamping rule used for
every month deadline here, and the reading that never pays out later than the birthday would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms_service.seniorpension.deadlines import add_months

SENIORPENSION_YEARS_BEFORE = 6
APPLICATION_MONTHS_BEFORE_SENIORPENSION = 6


@dataclass(frozen=True, slots=True, order=True)
class PensionAge:
    years: int
    months: int = 0

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        if self.months == 6:
            return f"{self.years}½ år"
        if self.months:
            return f"{self.years} år og {self.months} måneder"
        return f"{self.years} år"


# (first birth date of the band, age); ordered, the last band is open-ended.
_AGE_TABLE: tuple[tuple[dt.date, PensionAge], ...] = (
    (dt.date.min, PensionAge(65, 0)),
    (dt.date(1954, 1, 1), PensionAge(65, 6)),
    (dt.date(1954, 7, 1), PensionAge(66, 0)),
    (dt.date(1955, 1, 1), PensionAge(66, 6)),
    (dt.date(1955, 7, 1), PensionAge(67, 0)),
    (dt.date(1963, 1, 1), PensionAge(68, 0)),
    (dt.date(1967, 1, 1), PensionAge(69, 0)),
    (dt.date(1971, 1, 1), PensionAge(70, 0)),
)


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date subclass; comparing one with a date raises, so strip the time.
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"expected datetime.date, got {type(value).__name__}")
    return value


def pension_age(birth_date: dt.date) -> PensionAge:
    """Folkepensionsalder for a person born on ``birth_date``."""
    birth_date = _as_date(birth_date)
    age = _AGE_TABLE[0][1]
    for first_birth_date, band_age in _AGE_TABLE[1:]:
        if birth_date < first_birth_date:
            break
        age = band_age
    return age


def pension_age_date(birth_date: dt.date) -> dt.date:
    """The day folkepensionsalder is reached."""
    birth_date = _as_date(birth_date)
    return add_months(birth_date, pension_age(birth_date).total_months)


def seniorpension_earliest_date(birth_date: dt.date) -> dt.date:
    """The earliest day senior pension can be received: 6 years before the pension-age date."""
    return add_months(pension_age_date(birth_date), -12 * SENIORPENSION_YEARS_BEFORE)


def application_earliest_date(birth_date: dt.date) -> dt.date:
    """The earliest application day: 6 months before the earliest senior-pension day.

    Counted from the senior-pension day (not 78 months from the pension-age day) because that
    is how § 26 b words it; the two differ only for 29 February pension-age dates.
    """
    return add_months(
        seniorpension_earliest_date(birth_date), -APPLICATION_MONTHS_BEFORE_SENIORPENSION
    )


@dataclass(frozen=True, slots=True)
class PensionDates:
    birth_date: dt.date
    pension_age: PensionAge
    pension_age_date: dt.date
    seniorpension_earliest_date: dt.date
    application_earliest_date: dt.date

    @property
    def notes(self) -> tuple[str, ...]:
        """Danish notes on conventions the dates rest on (29 February)."""
        if (self.birth_date.month, self.birth_date.day) != (2, 29):
            return ()
        return (LEAP_DAY_NOTE,)

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "birth_date": self.birth_date.isoformat(),
            "pension_age": {"years": self.pension_age.years, "months": self.pension_age.months},
            "pension_age_date": self.pension_age_date.isoformat(),
            "seniorpension_earliest_date": self.seniorpension_earliest_date.isoformat(),
            "application_earliest_date": self.application_earliest_date.isoformat(),
        }
        if self.notes:
            found["notes"] = list(self.notes)
        return found


# An open question for Seniorpension's lawyers (docs/legal-reading.md): the law does not say
# which day someone born on 29 February reaches an age in a year without that day.
LEAP_DAY_NOTE = (
    "Født 29. februar: i år uden 29. februar regnes alderen opnået den 28. februar "
    "(samme regel som for alle frister her). Reglen er ikke fastsat i loven; Seniorpension "
    "skal bekræfte den, da 1. marts også kan forsvares."
)


def pension_dates(birth_date: dt.date) -> PensionDates:
    """All the dates above for one birth date."""
    birth_date = _as_date(birth_date)
    return PensionDates(
        birth_date=birth_date,
        pension_age=pension_age(birth_date),
        pension_age_date=pension_age_date(birth_date),
        seniorpension_earliest_date=seniorpension_earliest_date(birth_date),
        application_earliest_date=application_earliest_date(birth_date),
    )
