"""What a file is, decided from its content (magic bytes and structure), never its name.

Allowed by default: PDF, JPEG, PNG and Word (DOCX). Everything else is refused with a Danish
message that says what the file looked like: an executable renamed ``.pdf``, an HTML page, an SVG
drawing (which can carry script), an encrypted or damaged PDF. The checks read the file from a
seekable stream (the upload's temporary file), a bounded amount at a time.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from forms_service.attachments.errors import AttachmentRefusedError

HEAD = 4096
TAIL = 2048


@dataclass(frozen=True, slots=True)
class FileType:
    key: str  # the configuration name: pdf, jpeg, png, docx
    content_type: str
    extension: str
    label: str  # Danish, for lists and messages


PDF = FileType("pdf", "application/pdf", "pdf", "PDF")
JPEG = FileType("jpeg", "image/jpeg", "jpg", "JPEG-billede")
PNG = FileType("png", "image/png", "png", "PNG-billede")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word-dokument (DOCX)",
)
FILE_TYPES: dict[str, FileType] = {t.key: t for t in (PDF, JPEG, PNG, DOCX)}
DEFAULT_TYPES: tuple[str, ...] = ("pdf", "jpeg", "png", "docx")

# What a refused file looked like, for the message (first match wins).
_SUSPECTS: list[tuple[bytes, str]] = [
    (b"\x7fELF", "et program (ELF)"),
    (b"MZ", "et program (Windows)"),
    (b"\xca\xfe\xba\xbe", "et program (Java/macOS)"),
    (b"\xcf\xfa\xed\xfe", "et program (macOS)"),
    (b"#!", "et script"),
    (b"%!PS", "en PostScript-fil"),
    (b"GIF8", "et GIF-billede"),
    (b"Rar!", "et RAR-arkiv"),
    (b"7z\xbc\xaf", "et 7z-arkiv"),
    (b"\xd0\xcf\x11\xe0", "et ældre Office-dokument (DOC/XLS)"),
]


def type_labels(allowed: tuple[str, ...]) -> str:
    labels = [FILE_TYPES[key].label for key in allowed]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]


def detect_type(stream: BinaryIO, filename: str, allowed: tuple[str, ...]) -> FileType:
    """The file's type if it is one of ``allowed`` and sound; ``AttachmentRefusedError`` if not."""
    stream.seek(0)
    head = stream.read(HEAD)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        found = PNG
    elif head.startswith(b"PK\x03\x04") and _is_docx(stream):
        found = DOCX
    if found is None or found.key not in allowed:
        what = found.label if found else _describe(head)
        raise AttachmentRefusedError(
            f"Filen »{filename}« kan ikke modtages: indholdet er {what}. "
            f"Tilladte filtyper er {type_labels(allowed)}."
        )
    if found is PDF:
        _check_pdf(stream, filename)
    stream.seek(0)
    return found


def _describe(head: bytes) -> str:
    for magic, label in _SUSPECTS:
        if head.startswith(magic):
            return label
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:1024]:
        return "en SVG-tegning"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or (
        b"<html" in text[:1024]
    ):
        return "en HTML-side"
    if text.startswith(b"<?xml"):
        return "en XML-fil"
    if head.startswith(b"PK\x03\x04"):
        return "et ZIP-arkiv (ikke et Word-dokument)"
    if not head:
        return "tomt"
    return "en ukendt filtype"


def _is_docx(stream: BinaryIO) -> bool:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    # a macro-enabled document (docm) renamed .docx carries vbaProject.bin
    return (
        "[Content_Types].xml" in names
        and "word/document.xml" in names
        and "word/vbaProject.bin" not in names
    )


def _check_pdf(stream: BinaryIO, filename: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    damaged = AttachmentRefusedError(
        f"PDF-filen »{filename}« er beskadiget eller ufuldstændig og kan ikke modtages. "
        "Gem eller scan dokumentet som PDF igen, og prøv igen."
    )
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - TAIL))
    if b"%%EOF" not in stream.read(TAIL):
        raise damaged  # cut off: the end marker is missing
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        raise damaged from None
    if encrypted:
        raise AttachmentRefusedError(
            f"PDF-filen »{filename}« er krypteret eller beskyttet med adgangskode, så "
            "Seniorpension ikke kan læse den. Gem den uden adgangskode, og prøv igen."
        )
    if pages < 1:
        raise damaged
