"""Where the bytes of documents live: one interface, a database store and a folder store.

An object is addressed by the sha256 of its bytes; the caller computes it (it has to read the
upload anyway to check it) and writes only what is not stored yet. Both stores stream: a write
reads the source a chunk at a time, a read yields chunks, so no file is ever whole in memory.

The database store keeps chunks of ``CHUNK`` bytes in ``attachment_chunks`` (the same SQL on
SQLite and PostgreSQL, and every app instance sees the same documents with no extra server).
It writes through the caller's session, so a document and the row that names it commit together.
The folder store writes a temporary file and renames it, so a reader never sees half a file.

Encryption at rest (issue 18) goes behind this interface.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from forms_service.attachments.models import BlobRow, ChunkRow

CHUNK = 1024 * 1024


class BlobStore(Protocol):
    def exists(self, session: Session, sha256: str) -> bool: ...

    def write(self, session: Session, sha256: str, source: BinaryIO, size: int) -> None:
        """Store ``size`` bytes read from ``source`` (at its current position) as ``sha256``."""

    def read(self, sha256: str) -> Iterator[bytes]:
        """The bytes, chunk by chunk (usable after the request's session has closed)."""

    def delete(self, session: Session, sha256: str) -> None: ...


class DatabaseStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def exists(self, session: Session, sha256: str) -> bool:
        return session.scalar(select(BlobRow.sha256).where(BlobRow.sha256 == sha256)) is not None

    def write(self, session: Session, sha256: str, source: BinaryIO, size: int) -> None:
        count = -(-size // CHUNK)
        session.execute(insert(BlobRow).values(sha256=sha256, size=size, chunks=count))
        for seq in range(count):
            data = source.read(CHUNK)
            session.execute(insert(ChunkRow).values(sha256=sha256, seq=seq, data=data))

    def read(self, sha256: str) -> Iterator[bytes]:
        # One chunk per query on a connection of its own: a download streams after the view
        # returned, and holds one chunk in memory.
        with self.engine.connect() as connection:
            count = connection.scalar(select(BlobRow.chunks).where(BlobRow.sha256 == sha256))
            if count is None:
                raise FileNotFoundError(sha256)
            query = select(ChunkRow.data).where(ChunkRow.sha256 == sha256)
            for seq in range(count):
                yield bytes(connection.scalar(query.where(ChunkRow.seq == seq)))

    def delete(self, session: Session, sha256: str) -> None:
        session.execute(delete(ChunkRow).where(ChunkRow.sha256 == sha256))
        session.execute(delete(BlobRow).where(BlobRow.sha256 == sha256))


class FolderStore:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        return self.folder / sha256[:2] / sha256

    def exists(self, session: Session, sha256: str) -> bool:
        return self._path(sha256).exists()

    def write(self, session: Session, sha256: str, source: BinaryIO, size: int) -> None:
        target = self._path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                remaining = size
                while remaining > 0:
                    data = source.read(min(CHUNK, remaining))
                    if not data:
                        break
                    handle.write(data)
                    remaining -= len(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, sha256: str) -> Iterator[bytes]:
        with self._path(sha256).open("rb") as handle:
            while data := handle.read(CHUNK):
                yield data

    def delete(self, session: Session, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)


def make_store(folder: str | None, engine: Engine) -> BlobStore:
    return FolderStore(folder) if folder else DatabaseStore(engine)
