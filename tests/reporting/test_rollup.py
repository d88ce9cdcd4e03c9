"""The daily roll-ups give exactly the figures of the row-level queries.

A few thousand cases simulated with the demo's generator (every status, late and early
submissions, withdrawals, returns, open cases past their deadlines), compared on many report
dates — before, inside and after the period, where the roll-up's row correction matters —
and with every filter; then kept in step by the listener and rebuilt after damage.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from forms_service.demo.history import CANDIDATE, CURRENT, simulate_case
from forms_service.pilots.measures import Cohort, measure
from forms_service.reporting import rollup
from forms_service.reporting.bulk import SimCase, bulk_insert
from forms_service.reporting.models import CaseMetrics, FindingDaily, StatusDaily
from forms_service.reporting.status import ROWS, StatusFilter, status_report

TODAY = dt.date(2026, 6, 30)
START = dt.date(2025, 7, 1)
CODES = (101, 147, 329, 561, 766, 810, 851)


def _simulated(n: int) -> list[SimCase]:
    rng = random.Random(5)
    cases = []
    for i in range(n):
        applied = START + dt.timedelta(days=rng.randrange((TODAY - START).days + 1))
        code = rng.choice(CODES)
        case = simulate_case(rng, i, code, applied, TODAY, pilot_id=None)
        if code in (329, 766) and rng.random() < 0.5:
            case.form_version = CANDIDATE
        cases.append(case)
    return cases


@pytest.fixture
def simulated(db_engine: Engine) -> list[SimCase]:
    cases = _simulated(1500)
    with db_engine.begin() as connection:
        bulk_insert(connection, cases, with_events=False)
    return cases


def _same(session: Session, f: StatusFilter) -> None:
    fast = status_report(session, f)
    slow = status_report(session, f, source=ROWS)
    assert fast.summary == slow.summary, f
    assert fast.weekly == slow.weekly, f
    assert fast.decision_histogram == slow.decision_histogram, f
    for table in slow.tables:
        assert fast.table(table.id).rows == table.rows, (f, table.id)


AS_OF = [
    dt.date(2025, 6, 1),  # before every case
    dt.date(2025, 9, 15),
    dt.date(2025, 12, 31),
    dt.date(2026, 3, 31),
    dt.date(2026, 5, 20),
    TODAY,
    dt.date(2027, 6, 1),  # after every date has passed
]


@pytest.mark.parametrize("as_of", AS_OF)
def test_rollup_equals_rows_on_every_report_date(
    db_session: Session, simulated: list[SimCase], as_of: dt.date
) -> None:
    whole = StatusFilter(START, TODAY, as_of)
    report = status_report(db_session, whole)
    assert report.summary["received"] == len(simulated)
    _same(db_session, whole)
    _same(db_session, StatusFilter(dt.date(2025, 10, 3), dt.date(2026, 2, 17), as_of))


def test_rollup_equals_rows_with_filters(db_session: Session, simulated: list[SimCase]) -> None:
    base = StatusFilter(dt.date(2025, 8, 1), dt.date(2026, 4, 30), dt.date(2026, 5, 1))
    _same(db_session, base.with_changes(region_code=1085))
    _same(db_session, base.with_changes(municipality_code=329))
    _same(db_session, base.with_changes(form_version=CANDIDATE))
    _same(db_session, base.with_changes(form_version=CURRENT, region_code=1082))
    empty = base.with_changes(municipality_code=999)
    assert status_report(db_session, empty).summary["received"] == 0
    _same(db_session, empty)


def test_settled_cases_need_no_correction(db_session: Session, simulated: list[SimCase]) -> None:
    """On a date after settles_on, every condition equals its final value, case by case."""
    as_of = dt.date(2026, 3, 31)
    on, final = rollup.status_conditions(as_of), rollup.status_conditions(None)
    for key in rollup.CUBE_KEYS:
        differing = db_session.scalar(
            select(func.count())
            .select_from(CaseMetrics)
            .where(CaseMetrics.settles_on <= as_of, on[key] != final[key])
        )
        assert differing == 0, key
    unsettled = db_session.scalar(
        select(func.count()).select_from(CaseMetrics).where(CaseMetrics.settles_on > as_of)
    )
    assert 0 < unsettled < len(simulated)


def test_rebuild_repairs_damaged_rollups(db_session: Session, simulated: list[SimCase]) -> None:
    f = StatusFilter(START, TODAY, TODAY)
    before = status_report(db_session, f)
    db_session.execute(update(StatusDaily).values(received=StatusDaily.received + 3))
    db_session.execute(delete(FindingDaily))
    db_session.execute(update(CaseMetrics).values(settles_on=None))
    assert status_report(db_session, f).summary != before.summary
    rollup.rebuild(db_session.connection())
    after = status_report(db_session, f)
    assert after.summary == before.summary
    assert after.tables == before.tables
    _same(db_session, f)


COHORTS = [
    Cohort("sagsoplysningsskema", CURRENT, START, TODAY),
    Cohort("sagsoplysningsskema", CANDIDATE, dt.date(2025, 9, 1), TODAY, (329, 766)),
    Cohort("sagsoplysningsskema", CURRENT, dt.date(2025, 9, 1), TODAY, None, (329, 766)),
    Cohort("sagsoplysningsskema", None, dt.date(2025, 11, 2), dt.date(2026, 2, 27)),
    Cohort("andet_skema"),
]


@pytest.mark.parametrize("as_of", AS_OF)
def test_pilot_measures_from_rollup_equal_rows(
    db_session: Session, simulated: list[SimCase], as_of: dt.date
) -> None:
    for cohort in COHORTS:
        fast = measure(db_session, cohort, as_of=as_of)
        slow = measure(db_session, cohort, as_of=as_of, by_rows=True)
        assert fast.to_dict() == slow.to_dict(), cohort
    assert measure(db_session, COHORTS[0], as_of=as_of).received > 1000
