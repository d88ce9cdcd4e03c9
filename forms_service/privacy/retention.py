"""The retention run: remove the personal data that is due, keep what the figures need.

What goes from a case that is due (``Rule.DECIDED`` / ``Rule.WITHDRAWN``): every answer set
(answers and completeness reports), uploaded documents and archival PDFs (their bytes too,
unless another case still refers to the same file), the reasons of its events, its
notifications (what e-mails and webhooks said), the citizen's CPR number and name. The case
row stays with its number, dates, status and outcome, and so do ``case_metrics``,
``case_findings`` and the roll-ups (no personal data; the reports are computed from them), and
the audit log (ids and actions, never a CPR number). ``cases.anonymised_at`` marks it done.

``Rule.UNSUBMITTED_DRAFTS`` removes only the drafts (and their documents) of a case that was
never submitted; ``Rule.DOCUMENT_JOBS`` removes old zips of bulk Word documents.

A run is idempotent: what is done is not due again. ``dry_run`` says what would go and
changes nothing. Each case is removed in a transaction of its own, so a run stopped half-way
leaves whole cases, and the next run goes on where it stopped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, delete, func, select, update
from sqlalchemy.orm import Session

from forms_service.archive.models import SubmissionArchive
from forms_service.attachments.models import AttachmentRow
from forms_service.attachments.service import blob_in_use
from forms_service.attachments.store import BlobStore
from forms_service.cases import audit
from forms_service.cases.models import AnswerSet, Case, CaseEvent, utcnow
from forms_service.cases.roles import SYSTEM_ACTOR, Actor
from forms_service.documents.models import DocumentJobRow
from forms_service.notifications.models import NotificationDelivery, NotificationEvent
from forms_service.pilots.tracking import local_date
from forms_service.privacy.holds import held_case_ids
from forms_service.privacy.models import RetentionLogEntry
from forms_service.privacy.rules import CaseFacts, Rule, due, job_due
from forms_service.privacy.settings import RetentionSettings


@dataclass(slots=True)
class CaseRemoval:
    case_id: int
    case_number: str
    rule: Rule
    since: dt.date
    removed: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class RetentionReport:
    today: dt.date
    dry_run: bool
    run_id: str
    cases: list[CaseRemoval] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # case numbers due but on legal hold
    document_jobs: int = 0

    def count(self, rule: Rule) -> int:
        return sum(1 for removal in self.cases if removal.rule is rule)


class RetentionService:
    def __init__(
        self,
        session: Session,
        store: BlobStore,
        settings: RetentionSettings | None = None,
        *,
        actor: Actor = SYSTEM_ACTOR,
    ) -> None:
        self.session = session
        self.store = store
        self.settings = settings or RetentionSettings()
        self.actor = actor

    # --- what is due ---------------------------------------------------------------------

    def _facts(self, held: set[int]) -> Iterator[tuple[int, str, CaseFacts]]:
        decided = (
            select(CaseEvent.case_id, func.max(CaseEvent.at).label("at"))
            .where(CaseEvent.to_status == "decided")
            .group_by(CaseEvent.case_id)
            .subquery()
        )
        sets = (
            select(
                AnswerSet.case_id,
                func.sum((AnswerSet.kind == "submission").cast(Integer())).label("submissions"),
                func.sum((AnswerSet.kind == "draft").cast(Integer())).label("drafts"),
                func.max(AnswerSet.created_at).label("last_at"),
            )
            .group_by(AnswerSet.case_id)
            .subquery()
        )
        query = (
            select(
                Case.id,
                Case.case_number,
                Case.status,
                Case.decision_outcome,
                decided.c.at,
                sets.c.submissions,
                sets.c.drafts,
                sets.c.last_at,
            )
            .outerjoin(decided, decided.c.case_id == Case.id)
            .outerjoin(sets, sets.c.case_id == Case.id)
            .where(Case.anonymised_at.is_(None))
            .order_by(Case.id)
        )
        for row in self.session.execute(query):
            decided_at = _aware(row.at)
            last_at = _aware(row.last_at)
            yield (
                row.id,
                row.case_number,
                CaseFacts(
                    status=row.status,
                    outcome=row.decision_outcome,
                    decided_on=local_date(decided_at) if decided_at else None,
                    submitted=bool(row.submissions),
                    last_draft_on=local_date(last_at) if last_at else None,
                    drafts=int(row.drafts or 0),
                    anonymised=False,
                    on_hold=row.id in held,
                ),
            )

    # --- the run ---------------------------------------------------------------------------

    def run(self, today: dt.date, *, dry_run: bool = False) -> RetentionReport:
        report = RetentionReport(today=today, dry_run=dry_run, run_id=secrets.token_hex(8))
        held = held_case_ids(self.session)
        plan: list[CaseRemoval] = []
        for case_id, number, facts in self._facts(held):
            found = due(facts, today, self.settings)
            if found is None:
                if facts.on_hold and due(_unheld(facts), today, self.settings) is not None:
                    report.held.append(number)
                continue
            plan.append(CaseRemoval(case_id, number, found.rule, found.since))
        self.session.rollback()  # the plan was read; each case is removed on its own
        for removal in plan:
            if dry_run:
                removal.removed = self._count(removal)
            else:
                removal.removed = self._remove(removal, report.run_id)
            report.cases.append(removal)
        report.document_jobs = self._document_jobs(today, report.run_id, dry_run)
        if not dry_run:
            audit.record(
                self.session,
                self.actor,
                "retention.run",
                details={
                    "run_id": report.run_id,
                    "today": today.isoformat(),
                    "cases": {rule.value: report.count(rule) for rule in Rule},
                    "document_jobs": report.document_jobs,
                    "held": len(report.held),
                },
            )
            self.session.commit()
        return report

    def _targets(self, removal: CaseRemoval) -> dict[str, Any]:
        sets = select(AnswerSet.id).where(AnswerSet.case_id == removal.case_id)
        attachments = select(AttachmentRow).where(AttachmentRow.case_id == removal.case_id)
        if removal.rule is Rule.UNSUBMITTED_DRAFTS:
            sets = sets.where(AnswerSet.kind == "draft")
        return {
            "answer_sets": list(self.session.scalars(sets)),
            "attachments": list(self.session.scalars(attachments)),
            "archives": list(
                self.session.scalars(
                    select(SubmissionArchive).where(SubmissionArchive.case_id == removal.case_id)
                )
            ),
        }

    def _count(self, removal: CaseRemoval) -> dict[str, int]:
        targets = self._targets(removal)
        counts = {
            "answer_sets": len(targets["answer_sets"]),
            "attachments": len(targets["attachments"]),
        }
        if removal.rule is not Rule.UNSUBMITTED_DRAFTS:
            counts["archives"] = len(targets["archives"])
            counts["notifications"] = self._notification_count(removal.case_id)
        self.session.rollback()
        return counts

    def _notification_count(self, case_id: int) -> int:
        query = select(func.count()).where(NotificationEvent.case_id == case_id)
        return int(self.session.scalar(query) or 0)

    def _remove(self, removal: CaseRemoval, run_id: str) -> dict[str, int]:
        session = self.session
        targets = self._targets(removal)
        blobs = {row.sha256 for row in targets["attachments"]}
        removed = {"answer_sets": len(targets["answer_sets"])}
        removed["attachments"] = len(targets["attachments"])
        if removal.rule is not Rule.UNSUBMITTED_DRAFTS:
            blobs |= {row.sha256 for row in targets["archives"]}
            removed["archives"] = len(targets["archives"])
            session.execute(
                delete(SubmissionArchive).where(SubmissionArchive.case_id == removal.case_id)
            )
        session.execute(delete(AttachmentRow).where(AttachmentRow.case_id == removal.case_id))
        if targets["answer_sets"]:
            session.execute(
                delete(SubmissionArchive).where(
                    SubmissionArchive.answer_set_id.in_(targets["answer_sets"])
                )
            )
            session.execute(delete(AnswerSet).where(AnswerSet.id.in_(targets["answer_sets"])))
        if removal.rule is not Rule.UNSUBMITTED_DRAFTS:
            removed |= self._anonymise_case(removal.case_id)
        for sha256 in sorted(blobs):
            if not blob_in_use(session, sha256):
                self.store.delete(session, sha256)
        session.add(
            RetentionLogEntry(
                run_id=run_id,
                case_id=removal.case_id,
                rule=removal.rule.value,
                removed=removed,
                at=utcnow(),
            )
        )
        audit.record(
            session,
            self.actor,
            "retention.removed",
            case_id=removal.case_id,
            details={"run_id": run_id, "rule": removal.rule.value, "removed": removed},
        )
        session.commit()
        return removed

    def _anonymise_case(self, case_id: int) -> dict[str, int]:
        session = self.session
        events = session.execute(
            update(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.reason.is_not(None))
            .values(reason=None)
        ).rowcount
        event_ids = select(NotificationEvent.id).where(NotificationEvent.case_id == case_id)
        session.execute(
            delete(NotificationDelivery).where(NotificationDelivery.event_id.in_(event_ids))
        )
        notifications = session.execute(
            delete(NotificationEvent).where(NotificationEvent.case_id == case_id)
        ).rowcount
        case = session.get(Case, case_id)
        assert case is not None
        # the ORM, not a bulk update: the reporting listener sees the case change and keeps
        # its figures (nothing it counts changes), and the CPR's blind index goes with it
        case.cpr = ""
        case.citizen_name = ""
        case.anonymised_at = utcnow()
        session.flush()
        return {"event_reasons": events or 0, "notifications": notifications or 0, "identity": 1}

    def _document_jobs(self, today: dt.date, run_id: str, dry_run: bool) -> int:
        rows = self.session.execute(
            select(DocumentJobRow.id, DocumentJobRow.finished_at).where(
                DocumentJobRow.finished_at.is_not(None)
            )
        ).all()
        due_ids = [
            row.id
            for row in rows
            if job_due(local_date(_aware(row.finished_at)), today, self.settings)
        ]
        if dry_run or not due_ids:
            self.session.rollback()
            return len(due_ids)
        self.session.execute(delete(DocumentJobRow).where(DocumentJobRow.id.in_(due_ids)))
        self.session.add(
            RetentionLogEntry(
                run_id=run_id,
                case_id=None,
                rule=Rule.DOCUMENT_JOBS.value,
                removed={"document_jobs": len(due_ids)},
                at=utcnow(),
            )
        )
        self.session.commit()
        return len(due_ids)


def _unheld(facts: CaseFacts) -> CaseFacts:
    return dataclasses.replace(facts, on_hold=False)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
