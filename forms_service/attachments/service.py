"""Uploading, listing, downloading and removing a case's documents.

Access is exactly the case's: the case service loads the case (another municipality gets "not
found"), only the municipality adds or removes documents and only while it holds the case, and
every download is written to the audit log. An upload is checked completely (size, the case's
total, type from the content, virus scan) before a byte is stored; a refusal stores nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from forms_service.archive.models import SubmissionArchive
from forms_service.attachments import scan
from forms_service.attachments.answers import with_document_titles
from forms_service.attachments.detect import detect_type
from forms_service.attachments.errors import (
    AttachmentNotFoundError,
    AttachmentTooLargeError,
)
from forms_service.attachments.models import AttachmentRow
from forms_service.attachments.names import sanitise_filename
from forms_service.attachments.paths import is_attachment_path
from forms_service.attachments.settings import AttachmentSettings
from forms_service.attachments.store import BlobStore
from forms_service.cases import audit
from forms_service.cases.errors import (
    CaseInputError,
    CaseLockedError,
    PermissionDeniedError,
    TransitionRefusedError,
)
from forms_service.cases.lifecycle import MUNICIPALITY_EDITABLE, Party, Status
from forms_service.cases.models import Case
from forms_service.cases.service import CaseService
from forms_service.danish import file_size

HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Download:
    attachment: AttachmentRow
    chunks: Iterator[bytes]


def sha256_of(stream: BinaryIO) -> tuple[str, int]:
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    while data := stream.read(HASH_CHUNK):
        digest.update(data)
        size += len(data)
    stream.seek(0)
    return digest.hexdigest(), size


@dataclass
class AttachmentService:
    cases: CaseService
    settings: AttachmentSettings
    store: BlobStore

    @property
    def session(self) -> Session:
        return self.cases.session

    # -- read --------------------------------------------------------------------------------

    def list(self, case_id: int) -> list[AttachmentRow]:
        case = self.cases.get_case(case_id, audit_read=False)
        return self.of_case(case.id)

    def of_case(self, case_id: int) -> list[AttachmentRow]:
        """The documents of a case already loaded through the case service."""
        query = (
            select(AttachmentRow)
            .where(AttachmentRow.case_id == case_id)
            .order_by(AttachmentRow.path, AttachmentRow.id)
        )
        return list(self.session.scalars(query))

    def get(self, case_id: int, attachment_id: int) -> AttachmentRow:
        case = self.cases.get_case(case_id, audit_read=False)
        row = self.session.scalar(
            select(AttachmentRow).where(
                AttachmentRow.id == attachment_id, AttachmentRow.case_id == case.id
            )
        )
        if row is None:
            raise AttachmentNotFoundError()
        return row

    def download(self, case_id: int, attachment_id: int) -> Download:
        row = self.get(case_id, attachment_id)
        audit.record(
            self.session,
            self.cases.actor,
            "attachment.download",
            case_id=row.case_id,
            details={"attachment_id": row.id, "sha256": row.sha256, "path": row.path},
            at=self.cases.now(),
        )
        self.session.commit()
        return Download(row, self.store.read(row.sha256))

    def titled_answers(self, case_id: int, answers: Any) -> Any:
        """``answers`` with uploaded documents' names as the titles left empty (see
        ``attachments.answers``); anything not a JSON object is passed on for the case service
        to refuse."""
        if not isinstance(answers, dict):
            return answers
        names: dict[str, list[str]] = {}
        for row in self.list(case_id):
            names.setdefault(row.path, []).append(row.filename)
        return with_document_titles(answers, names)

    def total_size(self, case_id: int) -> int:
        query = select(func.coalesce(func.sum(AttachmentRow.size), 0)).where(
            AttachmentRow.case_id == case_id
        )
        return int(self.session.scalar(query) or 0)

    # -- write -------------------------------------------------------------------------------

    def _editable_case(self, case_id: int) -> Case:
        case = self.cases.get_case(case_id, audit_read=False)
        if self.cases.actor.party is not Party.MUNICIPALITY:
            raise PermissionDeniedError("Kun kommunen tilføjer og fjerner dokumenter.")
        status = Status(case.status)
        if status not in MUNICIPALITY_EDITABLE:
            raise CaseLockedError(
                f"Dokumenterne kan ikke ændres, mens sagen har status »{status.label}«."
            )
        # serialise uploads to one case, so two at once cannot both pass the case's limit
        self.session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
        return case

    def upload(
        self, case_id: int, path: str, stream: BinaryIO, filename: str | None
    ) -> AttachmentRow:
        case = self._editable_case(case_id)
        path = (path or "").strip()
        if not is_attachment_path(self.cases.definition_for(case), path):
            raise CaseInputError(
                f"»{path}« er ikke et dokumentfelt i skemaet (fx helbredsdokumenter[0].dokument)."
            )
        shown = (filename or "dokument").replace("\\", "/").rsplit("/", 1)[-1][:200]
        stream.seek(0, 2)
        size = stream.tell()
        limit = self.settings.max_file_bytes
        if size > limit:
            raise AttachmentTooLargeError(
                f"Filen »{shown}« fylder {file_size(size)}; en fil må højst fylde "
                f"{file_size(limit)}. Dokumentet er ikke gemt."
            )
        if size == 0:
            raise CaseInputError(f"Filen »{shown}« er tom.")
        used = self.total_size(case.id)
        if used + size > self.settings.max_case_bytes:
            raise AttachmentTooLargeError(
                f"Sagens dokumenter må tilsammen fylde højst "
                f"{file_size(self.settings.max_case_bytes)}. Der er allerede "
                f"{file_size(used)}, og »{shown}« fylder {file_size(size)}. "
                "Dokumentet er ikke gemt."
            )
        file_type = detect_type(stream, shown, self.settings.allowed_types)
        scan_status = scan.scan(self.settings.clamd_url, stream, shown)
        sha256, size = sha256_of(stream)
        try:
            if not self.store.exists(self.session, sha256):
                self.store.write(self.session, sha256, stream, size)
            row = AttachmentRow(
                case_id=case.id,
                path=path,
                filename=sanitise_filename(shown, file_type.extension),
                content_type=file_type.content_type,
                size=size,
                sha256=sha256,
                scan_status=scan_status,
                uploaded_by=self.cases.actor.id,
                uploaded_by_name=self.cases.actor.name,
                uploaded_at=self.cases.now(),
            )
            self.session.add(row)
            self.session.flush()
            audit.record(
                self.session,
                self.cases.actor,
                "attachment.upload",
                case_id=case.id,
                details={
                    "attachment_id": row.id,
                    "path": path,
                    "sha256": sha256,
                    "size": size,
                    "content_type": file_type.content_type,
                    "scan": scan_status,
                },
                at=self.cases.now(),
            )
            self.session.commit()
        except IntegrityError:
            # the same bytes stored by a parallel upload a moment ago
            self.session.rollback()
            raise TransitionRefusedError(
                "Dokumentet blev gemt samtidig et andet sted fra. Prøv igen."
            ) from None
        return row

    def remove(self, case_id: int, attachment_id: int) -> None:
        row = self.get(case_id, attachment_id)
        self._editable_case(case_id)
        sha256 = row.sha256
        self.session.delete(row)
        self.session.flush()
        if not self._referenced(sha256):
            self.store.delete(self.session, sha256)
        audit.record(
            self.session,
            self.cases.actor,
            "attachment.remove",
            case_id=case_id,
            details={"attachment_id": attachment_id, "sha256": sha256, "path": row.path},
            at=self.cases.now(),
        )
        self.session.commit()

    def remove_row(self, case_id: int, group: str, index: int) -> int:
        """A repeat group's row removed on the form: the row's documents go with it and the
        documents of the rows after it move up one, as their answers do. Returns how many
        documents were removed."""
        case = self._editable_case(case_id)
        prefix = f"{group}["
        removed: list[AttachmentRow] = []
        moved = 0
        for row in self.of_case(case.id):
            if not row.path.startswith(prefix):
                continue
            number, _, rest = row.path[len(prefix) :].partition("]")
            if not number.isdigit():
                continue
            if int(number) == index:
                removed.append(row)
            elif int(number) > index:
                row.path = f"{group}[{int(number) - 1}]{rest}"
                moved += 1
        if not removed and not moved:
            self.session.commit()  # nothing to change: release the case row
            return 0
        for row in removed:
            self.session.delete(row)
        self.session.flush()
        for sha256 in {row.sha256 for row in removed}:
            if not self._referenced(sha256):
                self.store.delete(self.session, sha256)
        audit.record(
            self.session,
            self.cases.actor,
            "attachment.remove_row",
            case_id=case.id,
            details={
                "group": group,
                "row": index,
                "removed": [row.id for row in removed],
                "moved_up": moved,
            },
            at=self.cases.now(),
        )
        self.session.commit()
        return len(removed)

    def _referenced(self, sha256: str) -> bool:
        return blob_in_use(self.session, sha256)


def blob_in_use(session: Session, sha256: str) -> bool:
    """Does an upload or an archived submission still refer to the stored bytes? (A blob is
    content-addressed: two cases may share one; it may go only when neither refers to it.)"""
    by_attachment = select(AttachmentRow.id).where(AttachmentRow.sha256 == sha256).limit(1)
    by_archive = select(SubmissionArchive.id).where(SubmissionArchive.sha256 == sha256).limit(1)
    return session.scalar(by_attachment) is not None or session.scalar(by_archive) is not None
