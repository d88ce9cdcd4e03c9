"""Effort on a case's form, recorded as events without personal data (issue 19).

An event names the case, its form version, a kind and at most a section and field id: never an
answer, a name or a CPR number. The pilots' effort measures read them (``pilots.effort``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.answers.evaluate import top_field
from forms_service.cases.models import EffortEvent, utcnow

FORM_OPENED = "form_opened"  # the municipality opened the case's form for editing
SUBMIT_REFUSED = "submit_refused"  # a submission refused for validation errors
FIELD_ERROR = "field_error"  # one field of a refused submission (then corrected, or not)
SUBMITTED = "submitted"  # a submission stored
SECTION_TIME = "section_time"  # seconds a section had the focus (sent by the browser)
KINDS = (FORM_OPENED, SUBMIT_REFUSED, FIELD_ERROR, SUBMITTED, SECTION_TIME)

# What the browser may send (forms.js batches per section and sends on leaving the page): one
# section's time is at most an hour per event, a batch names at most every section once, and a
# case takes at most MAX_SECTION_EVENTS_PER_DAY section events a day, so a client that loops
# cannot fill the table.
MAX_SECTION_SECONDS = 3600
MAX_BATCH_ENTRIES = 50
MAX_SECTION_EVENTS_PER_DAY = 200


class EffortInputError(ValueError):
    """A batch of section times refused whole (Danish message)."""


class EffortCapError(EffortInputError):
    """The case has had its share of section events today."""


def record(
    session: Session,
    case_id: int,
    form: str,
    version: str,
    kind: str,
    *,
    field_id: str | None = None,
    section_id: str | None = None,
    seconds: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    session.add(
        EffortEvent(
            case_id=case_id,
            form=form,
            form_version=version,
            kind=kind,
            section_id=section_id,
            field_id=field_id,
            seconds=seconds,
            at=at or utcnow(),
        )
    )


def record_refusal(
    session: Session,
    case_id: int,
    form: str,
    version: str,
    paths: Iterable[str],
    at: dt.datetime | None = None,
    sections: Mapping[str, str] | None = None,
) -> None:
    """A refused submission and its fields; ``sections`` ({field id: section id}) names the
    section each field is in: the sections the caseworker must reopen to correct them."""
    record(session, case_id, form, version, SUBMIT_REFUSED, at=at)
    for field_id in sorted({top_field(p) for p in paths}):
        record(
            session,
            case_id,
            form,
            version,
            FIELD_ERROR,
            field_id=field_id,
            section_id=(sections or {}).get(field_id),
            at=at,
        )


def record_opened(session: Session, case_id: int, form: str, version: str) -> None:
    """The first opening only: the effort starts there."""
    seen = session.scalar(
        select(EffortEvent.id)
        .where(EffortEvent.case_id == case_id, EffortEvent.kind == FORM_OPENED)
        .limit(1)
    )
    if seen is None:
        record(session, case_id, form, version, FORM_OPENED)


def parse_section_times(entries: Any, known: Iterable[str]) -> dict[str, int]:
    """{section id: whole seconds} from the browser's batch, or ``EffortInputError``.

    A batch is refused whole rather than partly stored: a client sending unknown sections or
    impossible times is not one whose other figures should count.
    """
    if not isinstance(entries, Mapping) or not entries:
        raise EffortInputError("Angiv tiden pr. afsnit som {afsnit: sekunder}.")
    if len(entries) > MAX_BATCH_ENTRIES:
        raise EffortInputError(f"Højst {MAX_BATCH_ENTRIES} afsnit ad gangen.")
    sections = set(known)
    out: dict[str, int] = {}
    for section_id, value in entries.items():
        if section_id not in sections:
            raise EffortInputError(f"Skemaversionen har intet afsnit »{str(section_id)[:100]}«.")
        # bool is an int in Python; true is not a number of seconds
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EffortInputError("Sekunderne skal være et tal.")
        seconds = round(value)
        if not 0 < seconds <= MAX_SECTION_SECONDS:
            raise EffortInputError(
                f"Sekunderne skal være mellem 1 og {MAX_SECTION_SECONDS} pr. afsnit."
            )
        out[section_id] = seconds
    return out


def record_section_times(
    session: Session,
    case_id: int,
    form: str,
    version: str,
    times: Mapping[str, int],
    *,
    now: dt.datetime,
) -> int:
    """Store one event per section (the caller commits); ``EffortCapError`` past the day's cap."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = (
        session.scalar(
            select(func.count()).where(
                EffortEvent.case_id == case_id,
                EffortEvent.kind == SECTION_TIME,
                EffortEvent.at >= day_start,
            )
        )
        or 0
    )
    if today + len(times) > MAX_SECTION_EVENTS_PER_DAY:
        raise EffortCapError("Sagen har modtaget det højeste antal tidsmålinger for i dag.")
    for section_id, seconds in sorted(times.items()):
        record(
            session, case_id, form, version, SECTION_TIME,
            section_id=section_id, seconds=seconds, at=now,
        )  # fmt: skip
    return len(times)
