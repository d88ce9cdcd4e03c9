"""encryption at rest (issue 18): encrypted columns, blind index, key ids

Encrypts an existing database in place with the current key of the configured ring
(``FORMS_SERVICE_ENCRYPTION_KEYS``, or the embedded database's development keys), fills the
CPR blind index, and records the keys' check values; the downgrade decrypts again.

The columns as of this revision (the models declare them with ``cases.encrypted`` types):
CPR number, citizen's name and assignment note of a case, reasons of case events (returns,
decisions), whole answer sets and completeness reports, attachment file names and the bytes
of every stored document and archival PDF (per chunk), the zips of document jobs, the data of
notification events (what e-mails and webhooks say) and webhook signing secrets.

PostgreSQL: the VARCHAR columns among them become TEXT (an envelope is longer than its value).
SQLite does not enforce a declared length, and changing a type there means copying the table,
which with foreign keys on would cascade-delete what refers to it: the declared types stay.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from forms_service.cases import crypto

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 500

# table, primary key, [(column, kind)]: kind is text | json | bytes
ENCRYPTED: list[tuple[str, tuple[str, ...], list[tuple[str, str]]]] = [
    ("cases", ("id",), [("cpr", "text"), ("citizen_name", "text"), ("assignment_note", "text")]),
    ("case_events", ("id",), [("reason", "text")]),
    ("answer_sets", ("id",), [("answers", "json"), ("completeness", "json")]),
    ("attachments", ("id",), [("filename", "text")]),
    ("attachment_chunks", ("sha256", "seq"), [("data", "bytes")]),
    ("document_jobs", ("id",), [("output", "bytes")]),
    ("notification_events", ("id",), [("data", "json")]),
    ("webhook_subscriptions", ("id",), [("secret", "text")]),
]
# VARCHAR columns widened to TEXT on PostgreSQL, with their length before
WIDENED = [
    ("cases", "cpr", 10),
    ("cases", "citizen_name", 200),
    ("attachments", "filename", 255),
    ("webhook_subscriptions", "secret", 100),
]
# primary keys are integers except these
_PK_TYPES = {("attachment_chunks", "sha256"): sa.String(64), ("document_jobs", "id"): sa.String(32)}


def upgrade() -> None:
    op.create_table(
        "encryption_keys",
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("check_value", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_encryption_keys")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cpr_index", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_cpr_index"), ["cpr_index"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table, column, length in WIDENED:
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))

    bind = op.get_bind()
    touched = False
    for table, pk, columns in ENCRYPTED:
        touched |= _transform(bind, table, pk, columns, _encrypt)
    touched |= _fill_cpr_index(bind)
    try:
        key_ring = crypto.ring()
    except crypto.EncryptionError:
        if touched:
            raise
        # no keys configured yet (a new PostgreSQL database migrated before the service is
        # set up): nothing is encrypted, and the first start registers its keys
        return
    # registered now, not at the first start: a command (the demo, an import) may write
    # before any start checks the keys
    _register_keys(bind, key_ring)


def downgrade() -> None:
    bind = op.get_bind()
    for table, pk, columns in ENCRYPTED:
        _transform(bind, table, pk, columns, _decrypt)
    if bind.dialect.name == "postgresql":
        for table, column, length in WIDENED:
            op.alter_column(table, column, type_=sa.String(length), existing_type=sa.Text())
    # not batch mode: on SQLite that copies the table, and dropping the old one with foreign
    # keys on would cascade-delete every case's events and answers (SQLite >= 3.35 drops a
    # column in place)
    op.drop_index(op.f("ix_cases_cpr_index"), table_name="cases")
    op.drop_column("cases", "cpr_index")
    op.drop_table("encryption_keys")


# --- rows -----------------------------------------------------------------------------------


def _raw_type(kind: str) -> sa.types.TypeEngine[Any]:
    return {"text": sa.Text(), "json": sa.JSON(), "bytes": sa.LargeBinary()}[kind]


def _rows(
    bind: sa.Connection, table: sa.TableClause, pk: tuple[str, ...], reads: list[Any]
) -> Iterator[list[sa.Row[Any]]]:
    """Batches in primary-key order (keyset: a batch never re-reads or skips a row)."""
    keys = [table.c[name] for name in pk]
    last: tuple[Any, ...] | None = None
    while True:
        query = sa.select(*keys, *reads).order_by(*keys).limit(BATCH)
        if last is not None:
            query = query.where(
                keys[0] > last[0] if len(keys) == 1 else sa.tuple_(*keys) > sa.tuple_(*last)
            )
        batch = bind.execute(query).all()
        if not batch:
            return
        yield batch
        last = tuple(batch[-1][: len(keys)])


def _transform(
    bind: sa.Connection,
    name: str,
    pk: tuple[str, ...],
    columns: list[tuple[str, str]],
    change: Callable[[str, Any], Any],
) -> bool:
    table = sa.table(
        name,
        *[sa.column(key, _PK_TYPES.get((name, key), sa.Integer())) for key in pk],
        *[sa.column(column, _raw_type(kind)) for column, kind in columns],
    )
    # JSON read as its text (psycopg would parse a json column; the text is what we encrypt)
    reads = [
        sa.cast(table.c[column], sa.Text()) if kind == "json" else table.c[column]
        for column, kind in columns
    ]
    touched = False
    for batch in _rows(bind, table, pk, reads):
        for row in batch:
            values = {}
            for position, (column, kind) in enumerate(columns):
                value = row[len(pk) + position]
                if value is None or (kind == "json" and value == "null"):
                    continue
                values[column] = change(kind, value)
            if values:
                where = [table.c[key] == row[i] for i, key in enumerate(pk)]
                bind.execute(table.update().where(*where).values(**values))
                touched = True
    return touched


def _encrypt(kind: str, value: Any) -> Any:
    if kind == "bytes":
        return crypto.encrypt_bytes(bytes(value))
    # json: the stored JSON text encrypted whole, kept as a JSON string
    return crypto.encrypt_text(value)


def _decrypt(kind: str, value: Any) -> Any:
    if kind == "bytes":
        return crypto.decrypt_bytes(bytes(value))
    if kind == "json":
        return json.loads(crypto.decrypt_text(json.loads(value)))
    return crypto.decrypt_text(value)


def _fill_cpr_index(bind: sa.Connection) -> bool:
    table = sa.table("cases", sa.column("id", sa.Integer()), sa.column("cpr", sa.Text()))
    index = sa.table("cases", sa.column("id", sa.Integer()), sa.column("cpr_index", sa.String()))
    touched = False
    for batch in _rows(bind, table, ("id",), [table.c.cpr]):
        for case_id, envelope in batch:
            if envelope is None:
                continue
            digest = crypto.blind_index(crypto.decrypt_text(envelope))
            bind.execute(index.update().where(index.c.id == case_id).values(cpr_index=digest))
            touched = True
    return touched


def _register_keys(bind: sa.Connection, key_ring: crypto.KeyRing) -> None:
    """The check values of the key the data is now under and of the index key (as
    ``forms_service.cases.keys.verify`` writes them), so a start with other keys is refused."""
    table = sa.table(
        "encryption_keys",
        sa.column("key_id", sa.String()),
        sa.column("purpose", sa.String()),
        sa.column("check_value", sa.Text()),
        sa.column("added_at", sa.DateTime(timezone=True)),
    )
    now = dt.datetime.now(dt.UTC)
    bind.execute(
        table.insert().values(
            key_id=key_ring.current_id,
            purpose="data",
            check_value=crypto.encrypt_text(crypto.CHECK_PLAINTEXT, key_ring),
            added_at=now,
        )
    )
    bind.execute(
        table.insert().values(
            key_id="blind-index",
            purpose="index",
            check_value=crypto.index_key_check(key_ring),
            added_at=now,
        )
    )
