"""Time per section in a real browser (issue 19): the caseworker works in a section of the case
form, leaves the page, and forms.js's beacon has stored the seconds for that section."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from forms_service.cases.effort import SECTION_TIME
from forms_service.cases.models import EffortEvent

pytestmark = pytest.mark.browser


def _section_events(app: Any, case_id: int) -> list[tuple[str | None, int | None]]:
    with app.extensions["forms_service.sessions"]() as session:
        rows = session.execute(
            select(EffortEvent.section_id, EffortEvent.seconds).where(
                EffortEvent.case_id == case_id, EffortEvent.kind == SECTION_TIME
            )
        ).all()
    return [(s, n) for s, n in rows]


def test_time_in_a_section_is_stored_when_the_page_is_left(
    page: Any, live_app: Any, make_case: Callable[..., int], log_in: Callable[[Any, str], None]
) -> None:
    case_id = make_case()
    log_in(page, "kbh")
    page.goto(f"/cases/{case_id}/form")
    page.locator("#section-tilknytning input[type=text]").first.focus()
    page.wait_for_timeout(2300)  # working in "tilknytning" (no typing: leaving asks nothing)
    page.goto("/cases/")  # pagehide: the beacon goes
    deadline = time.monotonic() + 10
    while not _section_events(live_app, case_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    events = _section_events(live_app, case_id)
    assert len(events) == 1, events
    section, seconds = events[0]
    assert section == "tilknytning"
    assert seconds is not None and 2 <= seconds <= 15
