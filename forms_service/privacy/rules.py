"""Which retention rule a case falls under on a day: pure, so every limit is tested exactly.

A period runs from the day its event happened (the decision, the withdrawal, the last save of
a draft): the data is kept for that many months and removed on the day the period ends
(``add_months``: 31 January + 1 month is 28/29 February, as the deadlines count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from forms_service.privacy.settings import RetentionSettings
from forms_service.seniorpension.deadlines import add_months


class Rule(StrEnum):
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    UNSUBMITTED_DRAFTS = "unsubmitted_drafts"
    DOCUMENT_JOBS = "document_jobs"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS: dict[Rule, str] = {
    Rule.DECIDED: "Afgjort sag (bevilget eller afslået)",
    Rule.WITHDRAWN: "Tilbagekaldt ansøgning",
    Rule.UNSUBMITTED_DRAFTS: "Kladder, der aldrig blev indsendt",
    Rule.DOCUMENT_JOBS: "Samlede Word-dokumenter (zip)",
}


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules read of a case (no personal data)."""

    status: str
    outcome: str | None
    decided_on: dt.date | None
    submitted: bool
    last_draft_on: dt.date | None
    drafts: int
    anonymised: bool
    on_hold: bool


@dataclass(frozen=True, slots=True)
class Due:
    rule: Rule
    since: dt.date  # the first day the rule applies


def due(facts: CaseFacts, today: dt.date, settings: RetentionSettings) -> Due | None:
    """The rule that removes data from the case today, or None (kept, held, or done)."""
    if facts.anonymised or facts.on_hold:
        return None
    if facts.status == "decided" and facts.decided_on is not None:
        months = (
            settings.withdrawn_months if facts.outcome == "withdrawn" else settings.decided_months
        )
        rule = Rule.WITHDRAWN if facts.outcome == "withdrawn" else Rule.DECIDED
        since = add_months(facts.decided_on, months)
        return Due(rule, since) if today >= since else None
    if not facts.submitted and facts.drafts and facts.last_draft_on is not None:
        since = add_months(facts.last_draft_on, settings.draft_months)
        return Due(Rule.UNSUBMITTED_DRAFTS, since) if today >= since else None
    return None


def job_due(finished_on: dt.date, today: dt.date, settings: RetentionSettings) -> bool:
    return today >= finished_on + dt.timedelta(days=settings.document_job_days)
