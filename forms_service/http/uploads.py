"""HTTP answers for stored documents, shared by the web pages and the API.

A document is always a download (``Content-Disposition: attachment``), never rendered inline,
with ``nosniff`` and a sandboxing CSP so a browser cannot be talked into running it.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from forms_service.archive.service import ArchiveDownload
from forms_service.attachments.errors import AttachmentTooLargeError
from forms_service.attachments.names import ascii_fallback
from forms_service.attachments.service import Download
from forms_service.danish import file_size

UPLOAD_OVERHEAD = 256 * 1024  # multipart boundaries and the other form fields


def file_response(
    chunks: Iterator[bytes], *, filename: str, content_type: str, size: int, sha256: str
) -> Response:
    response = Response(chunks, mimetype=content_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = f'"{sha256}"'
    return response


def attachment_response(found: Download) -> Response:
    row = found.attachment
    return file_response(
        found.chunks,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
    )


def receipt_response(found: ArchiveDownload) -> Response:
    return file_response(
        found.chunks,
        filename=found.filename,
        content_type="application/pdf",
        size=found.archive.size,
        sha256=found.archive.sha256,
    )


def limit_upload(max_bytes: int) -> None:
    """Let this request carry up to ``max_bytes`` of files (the app's default is far lower);
    a larger body is refused with the Danish message before it is read."""
    request.max_content_length = max_bytes + UPLOAD_OVERHEAD
    try:
        request.files  # noqa: B018 - parses the body now, under the limit
    except RequestEntityTooLarge:
        raise AttachmentTooLargeError(
            f"Filen er for stor: en fil må højst fylde {file_size(max_bytes)}. "
            "Dokumentet er ikke gemt."
        ) from None
