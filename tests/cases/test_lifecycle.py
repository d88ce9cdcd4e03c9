"""The lifecycle table, exhaustively: every pair of states, every party and every way."""

from __future__ import annotations

import itertools

import pytest

from forms_service.cases.lifecycle import (
    TRANSITIONS,
    IllegalTransitionError,
    Outcome,
    Party,
    Status,
    Via,
    available_transitions,
    check_transition,
)

# The legal transitions, written out independently of the table they test.
EXPECTED: dict[tuple[Status, Status], tuple[Party, Via]] = {
    (Status.RECEIVED, Status.SENT_TO_MUNICIPALITY): (Party.SENIORPENSION, Via.ACTION),
    (Status.SENT_TO_MUNICIPALITY, Status.DRAFT_IN_PROGRESS): (Party.MUNICIPALITY, Via.SAVE),
    (Status.SENT_TO_MUNICIPALITY, Status.SUBMITTED): (Party.MUNICIPALITY, Via.SUBMIT),
    (Status.DRAFT_IN_PROGRESS, Status.SUBMITTED): (Party.MUNICIPALITY, Via.SUBMIT),
    (Status.RETURNED, Status.DRAFT_IN_PROGRESS): (Party.MUNICIPALITY, Via.SAVE),
    (Status.RETURNED, Status.SUBMITTED): (Party.MUNICIPALITY, Via.SUBMIT),
    (Status.SUBMITTED, Status.RETURNED): (Party.SENIORPENSION, Via.ACTION),
    (Status.SUBMITTED, Status.SUFFICIENTLY_INFORMED): (Party.SENIORPENSION, Via.ACTION),
    (Status.SUFFICIENTLY_INFORMED, Status.RETURNED): (Party.SENIORPENSION, Via.ACTION),
    (Status.SUFFICIENTLY_INFORMED, Status.DECIDED): (Party.SENIORPENSION, Via.ACTION),
    (Status.RECEIVED, Status.DECIDED): (Party.SENIORPENSION, Via.ACTION),
    (Status.SENT_TO_MUNICIPALITY, Status.DECIDED): (Party.SENIORPENSION, Via.ACTION),
    (Status.DRAFT_IN_PROGRESS, Status.DECIDED): (Party.SENIORPENSION, Via.ACTION),
    (Status.SUBMITTED, Status.DECIDED): (Party.SENIORPENSION, Via.ACTION),
    (Status.RETURNED, Status.DECIDED): (Party.SENIORPENSION, Via.ACTION),
}
REASON_REQUIRED = {
    (Status.SUBMITTED, Status.RETURNED),
    (Status.SUFFICIENTLY_INFORMED, Status.RETURNED),
} | {(s, Status.DECIDED) for s in Status if s not in (Status.DECIDED, Status.SUFFICIENTLY_INFORMED)}


def _args(source: Status, target: Status) -> dict[str, object]:
    outcome = None
    if target is Status.DECIDED:
        outcome = Outcome.GRANTED if source is Status.SUFFICIENTLY_INFORMED else Outcome.WITHDRAWN
    return {"reason": "Begrundelse", "outcome": outcome}


def test_table_is_exactly_the_expected_transitions() -> None:
    assert {k: (t.party, t.via) for k, t in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(
    ("source", "target", "party", "via"),
    list(itertools.product(Status, Status, Party, Via)),
    ids=lambda v: str(v),
)
def test_every_combination(source: Status, target: Status, party: Party, via: Via) -> None:
    legal = EXPECTED.get((source, target)) == (party, via)
    if legal:
        transition = check_transition(source, target, party=party, via=via, **_args(source, target))
        assert (transition.source, transition.target) == (source, target)
    else:
        with pytest.raises(IllegalTransitionError) as info:
            check_transition(source, target, party=party, via=via, **_args(source, target))
        assert str(info.value)  # a Danish message for the user


@pytest.mark.parametrize(("source", "target"), sorted(REASON_REQUIRED))
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_reason_required(source: Status, target: Status, reason: str | None) -> None:
    args = _args(source, target) | {"reason": reason}
    with pytest.raises(IllegalTransitionError, match="begrundelse"):
        check_transition(source, target, party=Party.SENIORPENSION, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize("outcome", list(Outcome))
def test_decide_from_sufficiently_informed_takes_any_outcome(outcome: Outcome) -> None:
    transition = check_transition(
        Status.SUFFICIENTLY_INFORMED, Status.DECIDED, party=Party.SENIORPENSION, outcome=outcome
    )
    assert outcome in transition.outcomes


@pytest.mark.parametrize(
    "source", [s for s in Status if s not in (Status.DECIDED, Status.SUFFICIENTLY_INFORMED)]
)
@pytest.mark.parametrize("outcome", [Outcome.GRANTED, Outcome.REFUSED, None])
def test_before_sufficiently_informed_only_withdrawal(
    source: Status, outcome: Outcome | None
) -> None:
    with pytest.raises(IllegalTransitionError):
        check_transition(
            source, Status.DECIDED, party=Party.SENIORPENSION, reason="x", outcome=outcome
        )


def test_outcome_refused_outside_decision() -> None:
    with pytest.raises(IllegalTransitionError, match="udfald"):
        check_transition(
            Status.SUBMITTED,
            Status.SUFFICIENTLY_INFORMED,
            party=Party.SENIORPENSION,
            outcome=Outcome.GRANTED,
        )


def test_decided_is_final() -> None:
    for target, party, via in itertools.product(Status, Party, Via):
        with pytest.raises(IllegalTransitionError):
            check_transition(Status.DECIDED, target, party=party, via=via, reason="x")


def test_available_transitions_for_buttons() -> None:
    targets = {t.target for t in available_transitions(Status.SUBMITTED, Party.SENIORPENSION)}
    assert targets == {Status.RETURNED, Status.SUFFICIENTLY_INFORMED, Status.DECIDED}
    assert available_transitions(Status.SUBMITTED, Party.MUNICIPALITY) == []
