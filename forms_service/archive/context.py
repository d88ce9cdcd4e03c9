"""What the archival PDF of a submission shows, as plain values for its HTML template.

The answers, computed values and completeness report come from the same context builder as the
filled-in Word form (``documents.context.case_form_context``), so both documents say the same;
the PDF adds what makes it a receipt: who submitted when, the form version and its hash, and
every uploaded document with its sha256.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms_service import danish as fmt
from forms_service.definitions.model import FormDefinition
from forms_service.documents.context import CaseFacts, case_form_context


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One uploaded document as the receipt lists it."""

    path: str
    filename: str
    content_type: str
    size: int
    sha256: str
    scan: str  # Danish: "scannet, ingen virus" | "ikke scannet"
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Submission:
    number: int
    sequence: int
    submitted_at: dt.datetime
    submitted_by: str


def archive_context(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    *,
    completeness: Any,
    case: CaseFacts,
    submission: Submission,
    documents: Sequence[DocumentEntry],
) -> dict[str, Any]:
    local = submission.submitted_at.astimezone()
    context = case_form_context(
        definition,
        answers,
        case=case,
        completeness=completeness,
        today=local.date(),
        generated=local.date(),
    )
    context["submission"] = {
        "number": submission.number,
        "sequence": submission.sequence,
        "at": f"{fmt.date_long(local.date())} kl. {local:%H.%M.%S}",
        "at_iso": submission.submitted_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "by": submission.submitted_by,
    }
    context["documents"] = [
        {
            "path": d.path,
            "filename": d.filename,
            "content_type": d.content_type,
            "size": fmt.file_size(d.size),
            "sha256": d.sha256,
            "scan": d.scan,
            "uploaded_by": d.uploaded_by,
            "uploaded_at": fmt.date_long(d.uploaded_at.astimezone().date()),
        }
        for d in documents
    ]
    return context
