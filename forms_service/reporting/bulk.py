"""Bulk loading of simulated case histories (demo, benchmark, test data sets).

Writes ``cases``, their ``case_events`` (optional) and the ``case_metrics``/``case_findings``
rows directly with Core ``INSERT … VALUES`` batches, then adds them to the daily roll-ups:
tens of thousands of cases a second, where the case service (validation, audit, one transaction per change) manages hundreds.
The facts a loader gives are the ones the listener would have recorded for the same history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Connection, func, insert, select

from forms_service.cases.models import Case, CaseEvent
from forms_service.reporting import rollup
from forms_service.reporting.models import COPIED_COLUMNS, CaseFinding, CaseMetrics, days
from forms_service.seniorpension.deadlines import decision_deadline, municipality_deadline

BATCH = 5000
SIMULATED_ACTOR = "Simuleret historik"


@dataclass(slots=True)
class SimCase:
    """One case's history, as the reports see it."""

    case_number: str
    cpr: str
    application_date: dt.date
    municipality_code: int
    form_version: str
    status: str
    form: str = "sagsoplysningsskema"
    request_date: dt.date | None = None
    outcome: str | None = None
    first_submitted_on: dt.date | None = None
    sufficient_at_submission: bool | None = None
    known_citizen: bool | None = None
    returns: int = 0
    drafts: int = 0
    submissions: int = 0
    decided_on: dt.date | None = None
    pilot_id: int | None = None
    assignment_note: str | None = None
    findings: list[tuple[str, str]] = field(default_factory=list)
    citizen_name: str = "Simuleret borger"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimCase:
        values = dict(data)
        for key in ("application_date", "request_date", "first_submitted_on", "decided_on"):
            if isinstance(values.get(key), str):
                values[key] = dt.date.fromisoformat(values[key])
        values["findings"] = [tuple(f) for f in values.get("findings", [])]
        return cls(**values)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def _events(case_id: int, c: SimCase) -> list[dict[str, Any]]:
    """The status history implied by the facts (received → sent → submitted … → decided)."""
    rows: list[dict[str, Any]] = []

    def add(source: str | None, target: str, day: dt.date, outcome: str | None = None) -> None:
        rows.append(
            {
                "case_id": case_id,
                "from_status": source,
                "to_status": target,
                "outcome": outcome,
                "actor_id": None,
                "actor_name": SIMULATED_ACTOR,
                "at": _noon(day),
                "reason": "Simuleret" if target in ("returned", "decided") else None,
            }
        )

    add(None, "received", c.application_date)
    state = "received"
    if c.request_date is not None:
        add(state, "sent_to_municipality", c.request_date)
        state = "sent_to_municipality"
    if c.first_submitted_on is not None:
        add(state, "submitted", c.first_submitted_on)
        state = "submitted"
        for n in range(c.returns):
            day = c.first_submitted_on + dt.timedelta(days=7 * (2 * n + 1))
            add("submitted", "returned", day)
            add("returned", "submitted", day + dt.timedelta(days=7))
        if c.decided_on is not None and c.outcome != "withdrawn":
            add("submitted", "sufficiently_informed", c.decided_on)
            state = "sufficiently_informed"
    if c.decided_on is not None:
        add(state, "decided", c.decided_on, c.outcome)
    return rows


def _batches(items: Iterable[SimCase], size: int) -> Iterator[list[SimCase]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def bulk_insert(
    connection: Connection,
    cases: Iterable[SimCase],
    *,
    with_events: bool = True,
    batch_size: int = BATCH,
) -> int:
    """Insert the cases with their metrics, findings and (optionally) events; returns count."""
    next_id = (connection.scalar(select(func.max(Case.id))) or 0) + 1
    first_id = next_id
    now = dt.datetime.now(dt.UTC)
    count = 0
    for batch in _batches(cases, batch_size):
        case_rows, metric_rows, finding_rows, event_rows = [], [], [], []
        for c in batch:
            case_id = next_id
            next_id += 1
            case_rows.append(
                {
                    "id": case_id,
                    "case_number": c.case_number,
                    "cpr": c.cpr,
                    "citizen_name": c.citizen_name,
                    "application_date": c.application_date,
                    "municipality_code": c.municipality_code,
                    "request_date": c.request_date,
                    "form": c.form,
                    "form_version": c.form_version,
                    "status": c.status,
                    "decision_outcome": c.outcome,
                    "municipality_deadline": municipality_deadline(c.request_date)
                    if c.request_date
                    else None,
                    "decision_deadline": decision_deadline(c.application_date),
                    "assignment_note": c.assignment_note,
                    "revision": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            case_row = case_rows[-1]
            metric_rows.append(
                {name: case_row[name] for name in COPIED_COLUMNS}
                | {
                    "case_id": case_id,
                    "submission_days": days(c.first_submitted_on, c.request_date),
                    "decision_days": days(c.decided_on, c.application_date),
                    "pilot_id": c.pilot_id,
                    "first_submitted_on": c.first_submitted_on,
                    "sufficient_at_submission": c.sufficient_at_submission,
                    "known_citizen": c.known_citizen,
                    "returns": c.returns,
                    "drafts": c.drafts,
                    "submissions": c.submissions,
                    "decided_on": c.decided_on,
                }
            )
            finding_rows += [{"case_id": case_id, "kind": k, "ref": r} for k, r in c.findings]
            if with_events:
                event_rows += _events(case_id, c)
        connection.execute(insert(Case.__table__), case_rows)
        connection.execute(insert(CaseMetrics.__table__), metric_rows)
        if finding_rows:
            connection.execute(insert(CaseFinding.__table__), finding_rows)
        if event_rows:
            connection.execute(insert(CaseEvent.__table__), event_rows)
        count += len(batch)
    if count:
        rollup.contribute_range(connection, first_id, next_id - 1)
    _advance_sequence(connection)
    return count


def _advance_sequence(connection: Connection) -> None:
    # Explicit ids leave PostgreSQL's serial sequence behind; the next ORM insert would clash.
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('cases', 'id'), "
            "(SELECT COALESCE(MAX(id), 1) FROM cases))"
        )
