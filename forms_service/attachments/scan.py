"""Virus scan through clamd's INSTREAM command, when ``FORMS_SERVICE_CLAMD_URL`` is set.

Without a scanner a document is stored as "ikke scannet", and the lists say so. With one, an
infected file is refused and a scanner that does not answer refuses the upload (a document that
should have been scanned is never stored unscanned).
"""

from __future__ import annotations

import socket
import struct
from typing import BinaryIO
from urllib.parse import urlsplit

from forms_service.attachments.errors import AttachmentInfectedError, ScannerUnavailableError

CLEAN = "clean"
NOT_SCANNED = "not_scanned"
SCAN_LABELS = {CLEAN: "scannet, ingen virus", NOT_SCANNED: "ikke scannet"}
CHUNK = 64 * 1024
TIMEOUT = 30.0


def scan(url: str | None, stream: BinaryIO, filename: str) -> str:
    """``CLEAN`` or ``NOT_SCANNED``; raises if infected or the scanner fails."""
    if not url:
        return NOT_SCANNED
    stream.seek(0)
    try:
        with _connect(url) as connection:
            connection.sendall(b"zINSTREAM\0")
            while data := stream.read(CHUNK):
                connection.sendall(struct.pack(">I", len(data)) + data)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = connection.recv(4096)
                if not part:
                    break
                reply += part
    except OSError:
        raise ScannerUnavailableError(
            "Virusscanningen svarer ikke, så dokumentet er ikke gemt. Prøv igen om lidt."
        ) from None
    finally:
        stream.seek(0)
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith("FOUND"):
        signature = answer.split(":", 1)[-1].removesuffix("FOUND").strip()
        raise AttachmentInfectedError(
            f"Virusscanningen fandt skadeligt indhold i »{filename}« ({signature}). "
            "Dokumentet er ikke gemt."
        )
    if not answer.endswith("OK"):
        raise ScannerUnavailableError(
            "Virusscanningen kunne ikke scanne dokumentet, så det er ikke gemt. Prøv igen om lidt."
        )
    return CLEAN


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(TIMEOUT)
        connection.connect(parts.path)
        return connection
    if parts.scheme != "tcp" or not parts.hostname:
        raise OSError(f"unsupported clamd URL: {url}")
    return socket.create_connection((parts.hostname, parts.port or 3310), timeout=TIMEOUT)
