"""The uploaded documents and receipts of cases added to a document package (bulk output).

Bulk workers never touch the database, so the files are added by the parent after the Word
documents are made: into the zip (``<case>/dokumenter/<file>``, ``<case>/kvittering_<n>.pdf``)
or the folder, streamed from the blob store a chunk at a time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.archive.models import SubmissionArchive
from forms_service.attachments.models import AttachmentRow
from forms_service.attachments.paths import path_to_form_name
from forms_service.attachments.store import BlobStore
from forms_service.cases.models import Case


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "sag"


def package_entries(
    session: Session, store: BlobStore, case_ids: Sequence[int]
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(name in the package, the bytes in chunks) of every document and the latest receipt."""
    cases = session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.case_number))
    for case in cases:
        folder = _safe(case.case_number)
        rows = session.scalars(
            select(AttachmentRow)
            .where(AttachmentRow.case_id == case.id)
            .order_by(AttachmentRow.path, AttachmentRow.id)
        )
        seen: set[str] = set()
        for row in rows:
            name = f"{folder}/dokumenter/{_safe(path_to_form_name(row.path))}_{row.filename}"
            if name in seen:
                name = f"{folder}/dokumenter/{_safe(path_to_form_name(row.path))}_{row.id}_{row.filename}"
            seen.add(name)
            yield name, store.read(row.sha256)
        receipt = session.scalar(
            select(SubmissionArchive)
            .where(SubmissionArchive.case_id == case.id)
            .order_by(SubmissionArchive.number.desc())
            .limit(1)
        )
        if receipt is not None:
            yield f"{folder}/kvittering_{receipt.number}.pdf", store.read(receipt.sha256)


def add_case_files(
    output: Path, session: Session, store: BlobStore, case_ids: Sequence[int]
) -> int:
    """Add the files of ``case_ids`` to ``output`` (a .zip or a folder); returns how many."""
    count = 0
    if output.suffix.lower() == ".zip":
        with zipfile.ZipFile(output, "a", zipfile.ZIP_STORED) as archive:
            for name, chunks in package_entries(session, store, case_ids):
                with archive.open(name, "w", force_zip64=True) as handle:
                    for chunk in chunks:
                        handle.write(chunk)
                count += 1
        return count
    for name, chunks in package_entries(session, store, case_ids):
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        count += 1
    return count
