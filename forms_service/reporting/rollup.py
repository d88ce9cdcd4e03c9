"""Daily roll-ups of the reporting facts, and the conditions both they and the row queries count.

``status_daily`` holds, per application day × municipality × form version × known citizen,
the status counts (``ROLLUP_KEYS``) as they stand once every date of the case has passed
(``as_of`` = ∞). ``finding_daily`` holds the findings per day × municipality × version.
The status page reads these small tables instead of counting over every case.

A count on a report date ``as_of`` differs from its final value only for cases some of whose
dates (request, submission, decision, the day after a running deadline) still lie after
``as_of``; ``case_metrics.settles_on`` is the latest such date. So a figure is

    roll-up sum  +  Σ over cases with settles_on > as_of of (count on as_of − final count)

and the second term is a row query over the few recent cases (an index on ``settles_on``).

Both tables are kept by the ``case_metrics`` listener (subtract a case's contribution before
a change, add it after), by the bulk loader, and rebuilt from ``case_metrics`` by
``rebuild``. Every contribution is an aggregate query whose conditions are the same SQL
expressions the row queries use, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    delete,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from forms_service.reporting.models import CaseFinding, CaseMetrics, FindingDaily, StatusDaily
from forms_service.reporting.sql import day_after, latest

DECIDED = "decided"
WITHDRAWN = "withdrawn"

# the status counts, in the order of the roll-up's columns (``received`` is count(*))
CUBE_KEYS = (
    "submitted",
    "waiting",
    "waiting_overdue",
    "municipal_due",
    "municipal_kept",
    "late",
    "sufficient",
    "not_sufficient",
    "returned",
    "decided",
    "decision_kept",
    "decision_due",
    "open_overdue",
)
# the pilot measures' own counts that the status page does not have (``measure_conditions``)
MEASURE_KEYS = (
    "returns_total",
    "with_drafts",
    "drafts_abandoned",
    "measure_municipal_due",
    "measure_decision_due",
)
ROLLUP_KEYS = ("received", *CUBE_KEYS, *MEASURE_KEYS)
UNKNOWN = 2  # ``known`` code for "not answered"

_status = StatusDaily.__table__
_finding_daily = FindingDaily.__table__


def _on_or_before(column: Any, as_of: dt.date | None) -> ColumnElement[bool]:
    if as_of is None:  # every date has passed
        return column.is_not(None)
    return and_(column.is_not(None), column <= as_of)


def _before(column: Any, as_of: dt.date | None) -> ColumnElement[bool]:
    # only ever used positively, where NULL and false count the same
    if as_of is None:
        return column.is_not(None)
    return column < as_of


def status_conditions(as_of: dt.date | None) -> dict[str, ColumnElement[bool]]:
    """The status page's conditions on the report date ``as_of`` (None: once all has passed)."""
    m = CaseMetrics
    submitted = _on_or_before(m.first_submitted_on, as_of)
    decided = _on_or_before(m.decided_on, as_of)
    asked = _on_or_before(m.request_date, as_of)
    waiting = and_(asked, ~submitted, ~decided)
    real_decision = and_(decided, m.status == DECIDED, m.decision_outcome != WITHDRAWN)
    return {
        "submitted": submitted,
        "waiting": waiting,
        "waiting_overdue": and_(waiting, _before(m.municipality_deadline, as_of)),
        "municipal_due": and_(asked, or_(submitted, _before(m.municipality_deadline, as_of))),
        "municipal_kept": and_(submitted, m.first_submitted_on <= m.municipality_deadline),
        "late": and_(submitted, m.first_submitted_on > m.municipality_deadline),
        "sufficient": and_(submitted, m.sufficient_at_submission.is_(True)),
        "not_sufficient": and_(submitted, m.sufficient_at_submission.is_(False)),
        "returned": and_(submitted, m.returns > 0),
        "decided": real_decision,
        "decision_kept": and_(real_decision, m.decided_on <= m.decision_deadline),
        "decision_due": or_(real_decision, and_(~decided, _before(m.decision_deadline, as_of))),
        "open_overdue": and_(~decided, _before(m.decision_deadline, as_of)),
    }


def measure_conditions(as_of: dt.date | None) -> dict[str, ColumnElement[bool]]:
    """The pilot measures' conditions that depend on the report date (None: all has passed).

    Their other counts (submitted, sufficient, returned, deadlines kept, decided) do not look
    at the report date and equal the status page's final counts.
    """
    m = CaseMetrics
    submitted = m.first_submitted_on.is_not(None)
    decided = and_(m.status == DECIDED, m.decision_outcome != WITHDRAWN, m.decided_on.is_not(None))
    open_case = m.status != DECIDED
    return {
        "with_drafts": m.drafts > 0,
        "drafts_abandoned": and_(
            m.drafts > 0,
            not_(submitted),
            or_(m.status == DECIDED, _before(m.municipality_deadline, as_of)),
        ),
        "measure_municipal_due": and_(
            m.municipality_deadline.is_not(None),
            or_(submitted, _before(m.municipality_deadline, as_of)),
        ),
        "measure_decision_due": or_(decided, and_(open_case, _before(m.decision_deadline, as_of))),
    }


def aggregates(as_of: dt.date | None) -> dict[str, Any]:
    """Every roll-up column as an aggregate over ``case_metrics`` rows on ``as_of``."""
    m = CaseMetrics
    status = status_conditions(as_of)
    measures = measure_conditions(as_of)
    returns_total = func.coalesce(
        func.sum(case((m.first_submitted_on.is_not(None), m.returns), else_=0)), 0
    )
    return (
        {"received": func.count()}
        | {k: count_if(status[k]) for k in CUBE_KEYS}
        | {"returns_total": returns_total}
        | {k: count_if(measures[k]) for k in MEASURE_KEYS if k != "returns_total"}
    )


def count_if(condition: ColumnElement[bool]) -> Any:
    # COUNT(*) FILTER (WHERE …): SQL standard, PostgreSQL and SQLite ≥ 3.30; cheaper per row
    # than SUM(CASE …) on SQLite
    return func.count().filter(condition)


def known_code() -> ColumnElement[int]:
    k = CaseMetrics.known_citizen
    return case((k.is_(True), 1), (k.is_(False), 0), else_=UNKNOWN)


def known_value(code: int) -> bool | None:
    return None if code == UNKNOWN else bool(code)


def settles_on() -> ColumnElement[Any]:
    """The last date on which a comparison with a report date can still change its outcome.

    Request, first submission and decision flip ``x <= as_of`` on their own day; a running
    deadline flips ``deadline < as_of`` the day after. A submitted case no longer depends on its
    3-month deadline, a decided one (decision date and status) no longer on its 6-month one.
    """
    m = CaseMetrics
    floor = m.application_date

    def either(value: Any) -> Any:
        return func.coalesce(value, floor)

    return latest(
        floor,
        either(m.request_date),
        either(m.first_submitted_on),
        either(m.decided_on),
        case(
            (m.first_submitted_on.is_(None), either(day_after(m.municipality_deadline))),
            else_=floor,
        ),
        # the pilot measures call a case open by its status, the status page by decided_on
        case(
            (
                or_(m.decided_on.is_(None), m.status.is_(None), m.status != DECIDED),
                either(day_after(m.decision_deadline)),
            ),
            else_=floor,
        ),
    )


def correction_columns(as_of: dt.date, keys: Collection[str]) -> list[Any]:
    """Per key: value on the report date − value once all has passed (for unsettled cases)."""
    on, final = aggregates(as_of), aggregates(None)
    return [(on[k] - final[k]).label(k) for k in keys]


# --- maintenance ----------------------------------------------------------------------------

_STATUS_KEY = ("day", "municipality_code", "form", "form_version", "known")
_FINDING_KEY = ("day", "municipality_code", "form", "form_version", "kind", "ref")


def _key_columns() -> list[Any]:
    m = CaseMetrics
    return [
        m.application_date,
        func.coalesce(m.municipality_code, -1),
        func.coalesce(m.form, ""),
        func.coalesce(m.form_version, ""),
        known_code(),
    ]


def _status_select(where: ColumnElement[bool], sign: int) -> Select[Any]:
    final = aggregates(None)
    keys = _key_columns()
    return (
        select(*keys, *[literal(sign) * final[k] for k in ROLLUP_KEYS])
        .select_from(CaseMetrics)
        .where(CaseMetrics.application_date.is_not(None), where)
        .group_by(*keys)
    )


def _findings_select(where: ColumnElement[bool], sign: int) -> Select[Any]:
    keys = [*_key_columns()[:4], CaseFinding.kind, CaseFinding.ref]
    return (
        select(*keys, literal(sign) * func.count())
        .select_from(CaseMetrics)
        .join(CaseFinding, CaseFinding.case_id == CaseMetrics.case_id)
        .where(CaseMetrics.application_date.is_not(None), where)
        .group_by(*keys)
    )


def _upsert(connection: Connection, table: Any, key: tuple[str, ...], query: Select[Any]) -> None:
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(
        table
    )
    values = [c.name for c in table.columns if c.name not in key]
    statement = insert.from_select([*key, *values], query).on_conflict_do_update(
        index_elements=list(key),
        set_={name: table.c[name] + insert.excluded[name] for name in values},
    )
    connection.execute(statement)


def _apply(connection: Connection, where: ColumnElement[bool], sign: int) -> None:
    _upsert(connection, _status, _STATUS_KEY, _status_select(where, sign))
    _upsert(connection, _finding_daily, _FINDING_KEY, _findings_select(where, sign))


def _days_of(connection: Connection, where: ColumnElement[bool]) -> set[dt.date]:
    query = select(CaseMetrics.application_date).where(where).distinct()
    return {d for d in connection.scalars(query) if d is not None}


def _drop_empty(connection: Connection, days: set[dt.date]) -> None:
    # a group whose cases all moved away has only zeros left; the row queries would not show it
    if not days:
        return
    connection.execute(delete(_status).where(_status.c.received <= 0, _status.c.day.in_(days)))
    connection.execute(
        delete(_finding_daily).where(_finding_daily.c.n <= 0, _finding_daily.c.day.in_(days))
    )


def _of_cases(case_ids: Collection[int]) -> ColumnElement[bool]:
    return CaseMetrics.case_id.in_(sorted(case_ids))


def withdraw(connection: Connection, case_ids: Collection[int]) -> set[dt.date]:
    """Take the cases out of the roll-ups (before their metrics change); returns their days."""
    if not case_ids:
        return set()
    where = _of_cases(case_ids)
    _apply(connection, where, -1)
    return _days_of(connection, where)


def contribute(
    connection: Connection, case_ids: Collection[int], days: set[dt.date] | None = None
) -> None:
    """Settle-date and roll-up contributions of the cases (after their metrics changed)."""
    if not case_ids:
        return
    where = _of_cases(case_ids)
    refresh_settles_on(connection, where)
    _apply(connection, where, +1)
    _drop_empty(connection, days or set())


def contribute_range(connection: Connection, first_id: int, last_id: int) -> None:
    """Bulk loads: the cases with ids in [first_id, last_id] are new to the roll-ups."""
    where = CaseMetrics.case_id.between(first_id, last_id)
    refresh_settles_on(connection, where)
    _apply(connection, where, +1)


def refresh_settles_on(connection: Connection, where: ColumnElement[bool]) -> None:
    table = CaseMetrics.__table__
    connection.execute(table.update().where(where).values(settles_on=settles_on()))


def rebuild(connection: Connection) -> None:
    """Recompute ``settles_on`` and both roll-ups from ``case_metrics`` and ``case_findings``."""
    connection.execute(delete(_status))
    connection.execute(delete(_finding_daily))
    everything = not_(literal(False))
    refresh_settles_on(connection, CaseMetrics.case_id.is_not(None))
    _apply(connection, everything, +1)
