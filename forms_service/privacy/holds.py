"""Legal holds: Seniorpension stops retention for a case, with a reason, until it releases it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases import audit
from forms_service.cases.errors import CaseNotFoundError
from forms_service.cases.models import Case, utcnow
from forms_service.cases.roles import Actor
from forms_service.privacy.models import LegalHold

MIN_REASON = 5


class LegalHoldError(ValueError):
    """A hold that cannot be set or released (with a Danish message for the user)."""


def held_case_ids(session: Session) -> set[int]:
    query = select(LegalHold.case_id).where(LegalHold.released_at.is_(None))
    return set(session.scalars(query))


def active_hold(session: Session, case_id: int) -> LegalHold | None:
    query = (
        select(LegalHold)
        .where(LegalHold.case_id == case_id, LegalHold.released_at.is_(None))
        .order_by(LegalHold.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def holds_of(session: Session, case_id: int) -> list[LegalHold]:
    query = select(LegalHold).where(LegalHold.case_id == case_id).order_by(LegalHold.id)
    return list(session.scalars(query))


def set_hold(session: Session, actor: Actor, case_id: int, reason: str) -> LegalHold:
    """Put the case on hold (one active hold per case); audited."""
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFoundError()
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise LegalHoldError("Angiv en begrundelse for tilbageholdelsen (mindst 5 tegn).")
    if case.anonymised_at is not None:
        raise LegalHoldError("Sagens personoplysninger er allerede slettet.")
    if active_hold(session, case_id) is not None:
        raise LegalHoldError("Sagen er allerede tilbageholdt.")
    hold = LegalHold(
        case_id=case_id,
        reason=reason,
        set_at=utcnow(),
        set_by_name=actor.display_name or actor.username,
    )
    session.add(hold)
    audit.record(session, actor, "legal_hold.set", case_id=case_id)
    session.commit()
    return hold


def release_hold(session: Session, actor: Actor, case_id: int) -> LegalHold:
    hold = active_hold(session, case_id)
    if hold is None:
        raise LegalHoldError("Sagen er ikke tilbageholdt.")
    hold.released_at = utcnow()
    hold.released_by_name = actor.display_name or actor.username
    audit.record(session, actor, "legal_hold.released", case_id=case_id)
    session.commit()
    return hold
