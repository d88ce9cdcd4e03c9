"""Who hears of a case's change inside its transaction (the notifications outbox does).

The case service tells every installed observer, in the same session, so what they write
commits with the change or not at all. Observers are installed from above by
``forms_service.wiring`` (the app factory and the CLI): this package does not depend on the
features built on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy.orm import Session

from forms_service.cases.lifecycle import Outcome, Status
from forms_service.cases.models import Case


class CaseObserver(Protocol):
    def transition(
        self,
        session: Session,
        case: Case,
        source: Status | None,
        target: Status,
        *,
        reason: str | None,
        outcome: Outcome | None,
        at: dt.datetime | None,
    ) -> Any: ...

    def version_moved(
        self, session: Session, case: Case, from_version: str, to_version: str, *, at: dt.datetime
    ) -> Any: ...


_observers: list[CaseObserver] = []


def add_observer(observer: CaseObserver) -> None:
    """Install ``observer`` (idempotent)."""
    if observer not in _observers:
        _observers.append(observer)


def transition(
    session: Session,
    case: Case,
    source: Status | None,
    target: Status,
    *,
    reason: str | None = None,
    outcome: Outcome | None = None,
    at: dt.datetime | None = None,
) -> None:
    for observer in _observers:
        observer.transition(session, case, source, target, reason=reason, outcome=outcome, at=at)


def version_moved(
    session: Session, case: Case, from_version: str, to_version: str, *, at: dt.datetime
) -> None:
    for observer in _observers:
        observer.version_moved(session, case, from_version, to_version, at=at)
