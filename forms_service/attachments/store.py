"""Where the bytes of documents live: one interface, a database store and a folder store.

An object is addressed by the sha256 of its bytes; the caller computes it (it has to read the
upload anyway to check it) and writes only what is not stored yet. Both stores stream: a write
reads the source a chunk at a time, a read yields chunks, so no file is ever whole in memory.

The database store keeps chunks of ``CHUNK`` bytes in ``attachment_chunks`` (the same SQL on
SQLite and PostgreSQL, and every app instance sees the same documents with no extra server).
It writes through the caller's session, so a document and the row that names it commit together.
The folder store writes a temporary file and renames it, so a reader never sees half a file.

Both stores encrypt (issue 18): the database store's chunks through their column type
(``EncryptedBytes``), the folder store each chunk as a record of its own (a length and an
AES-GCM envelope after a header), so both still stream. A folder file from before encryption
(no header) is read as it is, and ``rotate_folder`` encrypts it.
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
from forms_service.cases import crypto

CHUNK = 1024 * 1024
FOLDER_HEADER = b"FSEF1\n"  # an encrypted folder file: records of 4-byte length + envelope


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
        def chunks() -> Iterator[bytes]:
            remaining = size
            while remaining > 0:
                data = source.read(min(CHUNK, remaining))
                if not data:
                    break
                remaining -= len(data)
                yield data

        self._write_records(self._path(sha256), chunks())

    def _write_records(self, target: Path, chunks: Iterator[bytes]) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(FOLDER_HEADER)
                for data in chunks:
                    envelope = crypto.encrypt_bytes(data)
                    handle.write(len(envelope).to_bytes(4, "big") + envelope)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, sha256: str) -> Iterator[bytes]:
        yield from (data for _key_id, data in _records(self._path(sha256)))

    def rotate(self, key_ring: crypto.KeyRing | None = None) -> tuple[int, int]:
        """Rewrite every file not wholly under the current key (or from before encryption);
        (files, rewritten). A file is replaced whole (temporary file, rename): a reader sees
        the old or the new one."""
        key_ring = key_ring or crypto.ring()
        files = rewritten = 0
        for path in sorted(self.folder.glob("??/*")):
            if path.name.startswith(".") or len(path.name) != 64:
                continue
            files += 1
            if all(key_id == key_ring.current_id for key_id, _ in _records(path, decrypt=False)):
                continue
            self._write_records(path, (data for _key_id, data in _records(path)))
            rewritten += 1
        return files, rewritten

    def delete(self, session: Session, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)


def _records(path: Path, *, decrypt: bool = True) -> Iterator[tuple[str | None, bytes]]:
    """(key id, bytes) per chunk of a folder file; key id None for a file from before
    encryption (read as it is)."""
    with path.open("rb") as handle:
        head = handle.read(len(FOLDER_HEADER))
        if head != FOLDER_HEADER:
            if head:
                yield None, head + handle.read(CHUNK - len(head))
            while data := handle.read(CHUNK):
                yield None, data
            return
        while length := handle.read(4):
            envelope = handle.read(int.from_bytes(length, "big"))
            key_id = crypto.bytes_key_id(envelope)
            yield key_id, crypto.decrypt_bytes(envelope) if decrypt else b""


def make_store(folder: str | None, engine: Engine) -> BlobStore:
    return FolderStore(folder) if folder else DatabaseStore(engine)
