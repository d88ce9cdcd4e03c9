"""Archiving a submission as it is stored, and handing the archive out again.

``Archiver`` is called by the case service inside the submission's transaction (see
``CaseService.on_submit``): the PDF is rendered, its bytes go to the blob store under their
sha256 and a ``submission_archives`` row records number, hash and size. The submission and its
archive commit together; neither is ever changed afterwards. Both parties read the archives of
the cases they may read; each download is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.archive.context import DocumentEntry, Submission, archive_context
from forms_service.archive.models import SubmissionArchive
from forms_service.archive.render import render_pdf
from forms_service.attachments.listing import document_entries
from forms_service.attachments.store import BlobStore
from forms_service.cases import audit
from forms_service.cases.errors import CaseNotFoundError
from forms_service.cases.models import AnswerSet, Case
from forms_service.cases.service import CaseService
from forms_service.definitions.model import FormDefinition
from forms_service.documents.case_jobs import case_facts
from forms_service.documents.context import CaseFacts


def documents_of(session: Session, case_id: int) -> list[DocumentEntry]:
    return [
        DocumentEntry(**(entry | {"uploaded_at": dt.datetime.fromisoformat(entry["uploaded_at"])}))
        for entry in document_entries(session, [case_id]).get(case_id, [])
    ]


@dataclass
class Archiver:
    store: BlobStore

    def __call__(
        self, session: Session, case: Case, answer_set: AnswerSet, definition: FormDefinition
    ) -> SubmissionArchive:
        # Read and render before anything of the submission is flushed: rendering takes a
        # second or more, and on SQLite the first write would hold the database's write lock
        # all that time.
        with session.no_autoflush:
            number = (
                session.scalar(
                    select(func.count())
                    .select_from(SubmissionArchive)
                    .where(SubmissionArchive.case_id == case.id)
                )
                or 0
            ) + 1
            context = archive_context(
                definition,
                answer_set.answers,
                completeness=answer_set.completeness,
                case=CaseFacts.from_mapping(case_facts(case, answer_set)),
                submission=Submission(
                    number=number,
                    sequence=answer_set.sequence,
                    submitted_at=answer_set.created_at,
                    submitted_by=answer_set.created_by_name,
                ),
                documents=documents_of(session, case.id),
            )
        pdf = render_pdf(context, answer_set.answers, answer_set.completeness)
        sha256 = hashlib.sha256(pdf).hexdigest()
        session.flush()  # the answer set's id, and the case's revision check
        if not self.store.exists(session, sha256):
            self.store.write(session, sha256, io.BytesIO(pdf), len(pdf))
        row = SubmissionArchive(
            answer_set_id=answer_set.id,
            case_id=case.id,
            number=number,
            sha256=sha256,
            size=len(pdf),
            created_at=answer_set.created_at,
        )
        session.add(row)
        return row


@dataclass(frozen=True, slots=True)
class ArchiveDownload:
    archive: SubmissionArchive
    case: Case
    chunks: Iterator[bytes]

    @property
    def filename(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.case.case_number)
        return f"Kvittering_{safe}_indsendelse_{self.archive.number}.pdf"


@dataclass
class ArchiveService:
    cases: CaseService
    store: BlobStore

    def list(self, case_id: int) -> list[SubmissionArchive]:
        return self.of_case(self.cases.get_case(case_id, audit_read=False).id)

    def of_case(self, case_id: int) -> list[SubmissionArchive]:
        """The archives of a case already loaded through the case service."""
        query = (
            select(SubmissionArchive)
            .where(SubmissionArchive.case_id == case_id)
            .order_by(SubmissionArchive.number)
        )
        return list(self.cases.session.scalars(query))

    def download(self, case_id: int, number: int | None = None) -> ArchiveDownload:
        """Submission ``number`` (1, 2, …) of the case, or the latest when ``None``."""
        case = self.cases.get_case(case_id, audit_read=False)
        query = select(SubmissionArchive).where(SubmissionArchive.case_id == case.id)
        if number is None:
            query = query.order_by(SubmissionArchive.number.desc()).limit(1)
        else:
            query = query.where(SubmissionArchive.number == number)
        row = self.cases.session.scalar(query)
        if row is None:
            raise CaseNotFoundError("Sagen har ingen indsendelse med det nummer.")
        audit.record(
            self.cases.session,
            self.cases.actor,
            "archive.download",
            case_id=case.id,
            details={"number": row.number, "sha256": row.sha256},
            at=self.cases.now(),
        )
        self.cases.session.commit()
        return ArchiveDownload(row, case, self.store.read(row.sha256))
