"""Documents on the case form: the file inputs of attachment fields and the lists beside them.

Without JavaScript the files travel with the form (``multipart/form-data``): each attachment
field has a file input named ``<field name>-file`` (``helbredsdokumenter-0-dokument-file``), and
whatever button is pressed, chosen files are stored first. With JavaScript (``upload.js``) a
file is stored as soon as it is chosen or dropped, with progress, through ``views.upload``.

An uploaded document fills in the field's title when it is empty, so the field counts as
answered (and the completeness report counts the document for its criterion).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import g, url_for
from werkzeug.datastructures import MultiDict

from forms_service.attachments.detect import FILE_TYPES, type_labels
from forms_service.attachments.models import AttachmentRow
from forms_service.attachments.paths import form_name_to_path, path_to_form_name
from forms_service.attachments.scan import SCAN_LABELS
from forms_service.cases.errors import CaseError
from forms_service.danish import file_size
from forms_service.http.attachments import attachment_service, attachment_settings

FILE_SUFFIX = "-file"
REMOVE_ACTION = "remove_attachment:"


@dataclass
class FieldFiles:
    """What the form shows beside one attachment field."""

    path: str
    editable: bool
    upload_url: str
    hint: str
    accept: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def describe(row: AttachmentRow) -> dict[str, Any]:
    kind = next((t.label for t in FILE_TYPES.values() if t.content_type == row.content_type), "")
    return {
        "id": row.id,
        "filename": row.filename,
        "type": kind or row.content_type,
        "size": file_size(row.size),
        "sha256": row.sha256,
        "uploaded_by": row.uploaded_by_name,
        "uploaded_at": row.uploaded_at,
        "scan": SCAN_LABELS.get(row.scan_status, row.scan_status),
        "not_scanned": row.scan_status != "clean",
        "url": url_for("attachments.download", case_id=row.case_id, attachment_id=row.id),
    }


def prepare(case_id: int, *, editable: bool, errors: dict[str, list[str]] | None = None) -> None:
    """Make the case's documents available to the form templates of this request."""
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in attachment_service().of_case(case_id):
        by_path[row.path].append(describe(row))
    settings = attachment_settings()
    g.attachment_form = {
        "by_path": by_path,
        "errors": errors or {},
        "editable": editable,
        "upload_url": url_for("attachments.upload", case_id=case_id),
        "hint": f"{type_labels(settings.allowed_types)}; højst "
        f"{file_size(settings.max_file_bytes)} pr. fil.",
        "accept": ",".join(
            f".{FILE_TYPES[key].extension},{FILE_TYPES[key].content_type}"
            + (",.jpeg" if key == "jpeg" else "")
            for key in settings.allowed_types
        ),
    }


def files_for(name: str) -> FieldFiles | None:
    """The documents of the attachment field ``name`` (a form input name), or None off the case
    form (the preview has no case to attach to)."""
    state = g.get("attachment_form")
    if state is None:
        return None
    path = form_name_to_path(name)
    return FieldFiles(
        path=path,
        editable=state["editable"],
        upload_url=state["upload_url"],
        hint=state["hint"],
        accept=state["accept"],
        rows=state["by_path"].get(path, []),
        errors=state["errors"].get(path, []),
    )


def receive(case_id: int, formdata: MultiDict[str, Any], files: Any) -> dict[str, list[str]]:
    """Store the files chosen in the form; fill empty titles. Returns refusals by path."""
    service = attachment_service()
    errors: dict[str, list[str]] = defaultdict(list)
    for key in files:
        if not key.endswith(FILE_SUFFIX):
            continue
        name = key.removesuffix(FILE_SUFFIX)
        path = form_name_to_path(name)
        for upload in files.getlist(key):
            if not upload or not upload.filename:
                continue
            try:
                row = service.upload(case_id, path, upload.stream, upload.filename)
            except CaseError as error:
                errors[path].append(error.message)
                continue
            title = f"{name}-title"
            if not (formdata.get(title) or "").strip():
                formdata[title] = row.filename.rsplit(".", 1)[0]
    return dict(errors)


def summary_items(refused: dict[str, list[str]]) -> list[Any]:
    """Error-summary links to the file inputs whose files were refused."""
    from forms_service.web.forms.render import SummaryItem

    return [
        SummaryItem(f"#{path_to_form_name(path)}-file", message)
        for path, messages in refused.items()
        for message in messages
    ]


def remove_row(case_id: int, action: str) -> None:
    """``remove_row:<repeat>:<index>``: the row's documents go with the row."""
    _, group, index = [*action.split(":"), "", ""][:3]
    if group and index.isdigit():
        attachment_service().remove_row(case_id, group, int(index))


def remove(case_id: int, action: str) -> None:
    attachment_id = action.removeprefix(REMOVE_ACTION)
    if attachment_id.isdigit():
        attachment_service().remove(case_id, int(attachment_id))
