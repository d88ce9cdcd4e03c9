"""The case lifecycle as a pure table.

No SQLAlchemy, no Flask: the whole state machine is the ``TRANSITIONS`` table below, so it can be
tested exhaustively (every pair of states not in the table is refused) and read by a reviewer in
one screen.

Who may move a case is expressed as a *party* (Seniorpension or the municipality), not as a
user role; the service layer maps roles to parties. A transition also says *how* it happens:
some are explicit actions (Seniorpension returns a case), others are side effects of saving a
draft or submitting the answers, which must go through the service's save/submit so the answers
are stored and validated together with the state change.

Withdrawal: a citizen may withdraw the application at any time before a decision, so every open
state may go to ``decided`` with the outcome ``withdrawn`` (Seniorpension records it, with a
reason). ``granted``/``refused`` are only possible once the case is sufficiently informed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    SENT_TO_MUNICIPALITY = "sent_to_municipality"
    DRAFT_IN_PROGRESS = "draft_in_progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    SUFFICIENTLY_INFORMED = "sufficiently_informed"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.RECEIVED: "Modtaget",
    Status.SENT_TO_MUNICIPALITY: "Sendt til kommunen",
    Status.DRAFT_IN_PROGRESS: "Kladde under udfyldelse",
    Status.SUBMITTED: "Indsendt",
    Status.RETURNED: "Returneret til kommunen",
    Status.SUFFICIENTLY_INFORMED: "Tilstrækkeligt oplyst",
    Status.DECIDED: "Afgjort",
}


class Outcome(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.GRANTED: "Bevilget",
    Outcome.REFUSED: "Afslået",
    Outcome.WITHDRAWN: "Trukket tilbage",
}


class Party(StrEnum):
    SENIORPENSION = "seniorpension"
    MUNICIPALITY = "municipality"


class Via(StrEnum):
    ACTION = "action"  # an explicit transition (page button, API /transitions)
    SAVE = "save"  # happens when the municipality saves a draft
    SUBMIT = "submit"  # happens when the municipality submits complete answers


# States in which the municipality holds the case and may edit answers.
MUNICIPALITY_EDITABLE: frozenset[Status] = frozenset(
    {Status.SENT_TO_MUNICIPALITY, Status.DRAFT_IN_PROGRESS, Status.RETURNED}
)
OPEN_STATES: frozenset[Status] = frozenset(set(Status) - {Status.DECIDED})


@dataclass(frozen=True, slots=True)
class Transition:
    source: Status
    target: Status
    party: Party
    via: Via
    reason_required: bool = False
    outcomes: frozenset[Outcome] = frozenset()  # non-empty: an outcome is required

    @property
    def label(self) -> str:
        if self.target is Status.DECIDED and self.outcomes == _WITHDRAW:
            # before the case is informed, "deciding" can only record a withdrawal
            return "Registrér, at ansøgningen er trukket tilbage"
        return TRANSITION_LABELS.get((self.source, self.target), self.target.label)


def _t(
    source: Status,
    target: Status,
    party: Party,
    via: Via = Via.ACTION,
    *,
    reason: bool = False,
    outcomes: frozenset[Outcome] = frozenset(),
) -> Transition:
    return Transition(source, target, party, via, reason, outcomes)


_SP, _M = Party.SENIORPENSION, Party.MUNICIPALITY
_DECIDE_OUTCOMES = frozenset(Outcome)
_WITHDRAW = frozenset({Outcome.WITHDRAWN})

_TABLE: list[Transition] = [
    _t(Status.RECEIVED, Status.SENT_TO_MUNICIPALITY, _SP),
    _t(Status.SENT_TO_MUNICIPALITY, Status.DRAFT_IN_PROGRESS, _M, Via.SAVE),
    _t(Status.SENT_TO_MUNICIPALITY, Status.SUBMITTED, _M, Via.SUBMIT),
    _t(Status.DRAFT_IN_PROGRESS, Status.SUBMITTED, _M, Via.SUBMIT),
    _t(Status.RETURNED, Status.DRAFT_IN_PROGRESS, _M, Via.SAVE),
    _t(Status.RETURNED, Status.SUBMITTED, _M, Via.SUBMIT),
    _t(Status.SUBMITTED, Status.RETURNED, _SP, reason=True),
    _t(Status.SUBMITTED, Status.SUFFICIENTLY_INFORMED, _SP),
    # Seniorpension may find a gap after marking the case sufficiently informed.
    _t(Status.SUFFICIENTLY_INFORMED, Status.RETURNED, _SP, reason=True),
    _t(Status.SUFFICIENTLY_INFORMED, Status.DECIDED, _SP, outcomes=_DECIDE_OUTCOMES),
]
# Withdrawal from every other open state.
_TABLE += [
    _t(state, Status.DECIDED, _SP, reason=True, outcomes=_WITHDRAW)
    for state in Status
    if state not in (Status.DECIDED, Status.SUFFICIENTLY_INFORMED)
]

TRANSITIONS: dict[tuple[Status, Status], Transition] = {(t.source, t.target): t for t in _TABLE}

TRANSITION_LABELS: dict[tuple[Status, Status], str] = {
    (Status.RECEIVED, Status.SENT_TO_MUNICIPALITY): "Send til kommunen",
    (Status.SUBMITTED, Status.RETURNED): "Returnér til kommunen",
    (Status.SUFFICIENTLY_INFORMED, Status.RETURNED): "Returnér til kommunen",
    (Status.SUBMITTED, Status.SUFFICIENTLY_INFORMED): "Markér som tilstrækkeligt oplyst",
    (Status.SUFFICIENTLY_INFORMED, Status.DECIDED): "Træf afgørelse",
}


class IllegalTransitionError(ValueError):
    """A transition the lifecycle does not allow; ``str()`` is a Danish message for users."""

    def __init__(self, message: str, source: Status, target: Status) -> None:
        super().__init__(message)
        self.source = source
        self.target = target


def check_transition(
    source: Status,
    target: Status,
    *,
    party: Party,
    via: Via = Via.ACTION,
    reason: str | None = None,
    outcome: Outcome | None = None,
) -> Transition:
    """Return the transition if it is legal for ``party`` done ``via``; raise otherwise."""
    source, target = Status(source), Status(target)
    transition = TRANSITIONS.get((source, target))
    if transition is None:
        raise IllegalTransitionError(
            f"En sag kan ikke gå fra »{source.label}« til »{target.label}«.", source, target
        )
    if transition.party is not party:
        who = "Seniorpension" if transition.party is Party.SENIORPENSION else "kommunen"
        raise IllegalTransitionError(
            f"Kun {who} kan flytte en sag fra »{source.label}« til »{target.label}«.",
            source,
            target,
        )
    if transition.via is not via:
        how = {
            Via.SAVE: "ved at gemme en kladde",
            Via.SUBMIT: "ved at indsende skemaet",
            Via.ACTION: "som en handling på sagen",
        }[transition.via]
        raise IllegalTransitionError(
            f"»{source.label}« → »{target.label}« sker kun {how}.", source, target
        )
    if transition.reason_required and not (reason and reason.strip()):
        raise IllegalTransitionError("Angiv en begrundelse.", source, target)
    if transition.outcomes:
        if outcome is None or Outcome(outcome) not in transition.outcomes:
            allowed = ", ".join(sorted(o.label for o in transition.outcomes))
            raise IllegalTransitionError(f"Angiv afgørelsens udfald ({allowed}).", source, target)
    elif outcome is not None:
        raise IllegalTransitionError(
            "Et udfald kan kun angives, når sagen afgøres.", source, target
        )
    return transition


def available_transitions(source: Status, party: Party, via: Via = Via.ACTION) -> list[Transition]:
    """The transitions ``party`` can start from ``source`` (for buttons and the API)."""
    return [t for t in _TABLE if t.source is Status(source) and t.party is party and t.via is via]
