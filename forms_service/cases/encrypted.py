"""Column types that encrypt personal data at rest (see ``forms_service.cases.crypto``).

Declare a column with one of these and the ORM and Core statements on its table encrypt on
write and decrypt on read::

    cpr: Mapped[str] = mapped_column(EncryptedText())
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    data: Mapped[bytes] = mapped_column(EncryptedBytes())

The database holds the envelopes only (``fse1:<key id>:…``; for JSON the envelope as a JSON
string, so the column keeps its JSON type). None stays NULL. Such a column cannot be compared
or ordered in SQL; ``keys rotate`` finds every one of them through ``encrypted_columns``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, LargeBinary, MetaData, String, Text
from sqlalchemy.types import TypeDecorator

from forms_service.cases import crypto


class EncryptedText(TypeDecorator[str]):
    """A string, stored as a text envelope (TEXT: an envelope is longer than its value).

    ``sqlite_length``: a column that was VARCHAR(n) before encryption keeps that declared type
    on SQLite, which never enforces it (changing it would copy the table; see migration 0012).
    """

    impl = Text
    cache_ok = True

    def __init__(self, sqlite_length: int | None = None) -> None:
        super().__init__()
        self.sqlite_length = sqlite_length

    def load_dialect_impl(self, dialect: Any) -> Any:
        if self.sqlite_length and dialect.name == "sqlite":
            return String(self.sqlite_length)
        return Text()

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else crypto.encrypt_text(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else crypto.decrypt_text(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value, stored whole as one envelope (a JSON string in a JSON column)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return crypto.encrypt_text(plain)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise crypto.EncryptionError(
                "En JSON-kolonne med personoplysninger er ikke krypteret; kør "
                "`forms-service db upgrade` (migration 0012)."
            )
        return json.loads(crypto.decrypt_text(value))


class EncryptedBytes(TypeDecorator[bytes]):
    """Bytes (a document's chunk, a zip), stored as a binary envelope."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else crypto.encrypt_bytes(bytes(value))

    def process_result_value(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else crypto.decrypt_bytes(bytes(value))


ENCRYPTED_TYPES = (EncryptedText, EncryptedJSON, EncryptedBytes)


def encrypted_columns(metadata: MetaData) -> dict[str, list[tuple[str, type]]]:
    """{table: [(column, its Encrypted* type class)]} of every encrypted column."""
    found: dict[str, list[tuple[str, type]]] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, ENCRYPTED_TYPES):
                found.setdefault(table.name, []).append((column.name, type(column.type)))
    return found
