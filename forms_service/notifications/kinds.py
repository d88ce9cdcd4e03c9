"""The kinds of events the outbox carries, with their Danish names.

A kind is *required* when the receiver cannot opt out of it: a case that arrives or comes back
to the municipality, and a deadline that is missed, must reach someone.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    CASE_CREATED = "case.created"
    CASE_SENT = "case.sent_to_municipality"
    CASE_SUBMITTED = "case.submitted"
    CASE_RETURNED = "case.returned"
    CASE_SUFFICIENTLY_INFORMED = "case.sufficiently_informed"
    CASE_DECIDED = "case.decided"
    CASE_VERSION_MOVED = "case.version_moved"
    DEADLINE_APPROACHING = "deadline.approaching"
    DEADLINE_MISSED = "deadline.missed"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def required(self) -> bool:
        return self in REQUIRED


LABELS: dict[EventType, str] = {
    EventType.CASE_CREATED: "Sag oprettet",
    EventType.CASE_SENT: "Sag sendt til kommunen",
    EventType.CASE_SUBMITTED: "Sagsoplysningsskema indsendt",
    EventType.CASE_RETURNED: "Sag returneret til kommunen",
    EventType.CASE_SUFFICIENTLY_INFORMED: "Sag tilstrækkeligt oplyst",
    EventType.CASE_DECIDED: "Sag afgjort",
    EventType.CASE_VERSION_MOVED: "Sag flyttet til en anden skemaversion",
    EventType.DEADLINE_APPROACHING: "Frist nærmer sig",
    EventType.DEADLINE_MISSED: "Frist overskredet",
}

REQUIRED: frozenset[EventType] = frozenset(
    {EventType.CASE_SENT, EventType.CASE_RETURNED, EventType.DEADLINE_MISSED}
)

# Whose deadline a deadline event is about.
MUNICIPALITY_DEADLINE = "municipality"
DECISION_DEADLINE = "decision"
DEADLINE_LABELS = {
    MUNICIPALITY_DEADLINE: "kommunens svarfrist",
    DECISION_DEADLINE: "fristen for afgørelse",
}
