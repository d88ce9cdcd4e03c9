"""``forms-service keys rotate``: every encrypted value under the current key, while the
service runs.

Each envelope names its key, so the progress is in the rows themselves: a value under the
current key is done, any other is re-encrypted. The walk goes table by table in primary-key
batches, one short transaction per batch, so it can be stopped at any point and run again
(it carries on where the data says, nothing to remember). An update is a compare-and-swap on
the old envelope: a row the service changed meanwhile already holds a value under the current
key and is left alone. It updates through Core, not the ORM: a case's optimistic-locking
revision does not move, so nobody editing the case gets a conflict from a rotation.

When a full walk finds nothing under an old key, the key is marked retired in
``encryption_keys`` and may leave ``FORMS_SERVICE_ENCRYPTION_KEYS``. Run it after every
instance has the new ring (else an instance with the old ring keeps writing under the old key).
The audit log holds no encrypted column, so its append-only triggers never get in the way.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from forms_service.cases import crypto
from forms_service.cases.encrypted import EncryptedBytes, EncryptedJSON, encrypted_columns
from forms_service.cases.models import Base, EncryptionKey, utcnow

BATCH = 200

# Encrypted data outside the tables (the attachments' folder store), added by ``wiring``: each
# walker gets the ring after the tables are done and returns a line for the report (or None).
_walkers: list[Callable[[crypto.KeyRing], str | None]] = []


def add_walker(walker: Callable[[crypto.KeyRing], str | None]) -> None:
    if walker not in _walkers:
        _walkers.append(walker)


@dataclass
class TableProgress:
    table: str
    rows: int = 0
    rotated: int = 0  # values re-encrypted under the current key
    changed_meanwhile: int = 0  # rows the service rewrote during the walk (already current)
    before: Counter[str] = field(default_factory=Counter)  # values per key id found

    def line(self, current: str) -> str:
        keys = ", ".join(f"{key}: {count}" for key, count in sorted(self.before.items()))
        return (
            f"{self.table}: {self.rows} rækker, {self.rotated} værdier genkrypteret til "
            f"'{current}' (fundet: {keys or 'ingen krypterede værdier'})"
        )


@dataclass
class RotationReport:
    current: str
    tables: list[TableProgress]
    retired: list[str]
    complete: bool = True  # False: stopped by max_batches, run again to finish
    elsewhere: list[str] = field(default_factory=list)  # what the walkers did

    @property
    def rotated(self) -> int:
        return sum(t.rotated for t in self.tables)


def rotate(
    engine: Engine,
    *,
    key_ring: crypto.KeyRing | None = None,
    batch_size: int = BATCH,
    pause: float = 0.0,
    max_batches: int | None = None,
    progress: Callable[[TableProgress], None] | None = None,
) -> RotationReport:
    """Walk every encrypted column; ``max_batches`` stops early (a slice per night: the next
    run carries on), and then no key is retired."""
    key_ring = key_ring or crypto.ring()
    budget = [max_batches]
    tables = []
    for name, columns in encrypted_columns(Base.metadata).items():
        done = _rotate_table(engine, key_ring, name, columns, batch_size, pause, budget)
        tables.append(done)
        if progress:
            progress(done)
        if budget[0] == 0:
            return RotationReport(key_ring.current_id, tables, [], complete=False)
    elsewhere = [line for walker in _walkers if (line := walker(key_ring))]
    retired = _retire_unused(engine, key_ring, tables)
    return RotationReport(key_ring.current_id, tables, retired, elsewhere=elsewhere)


def _rotate_table(
    engine: Engine,
    key_ring: crypto.KeyRing,
    name: str,
    columns: list[tuple[str, type]],
    batch_size: int,
    pause: float,
    budget: list[int | None],
) -> TableProgress:
    real = Base.metadata.tables[name]
    pk = [c.name for c in real.primary_key.columns]
    # the same table without the encrypting types: the envelopes as they are stored
    raw = sa.table(
        name,
        *[sa.column(key, real.c[key].type) for key in pk],
        *[sa.column(column, _raw_type(kind)) for column, kind in columns],
    )
    progress = TableProgress(name)
    for batch in _batches(engine, raw, pk, batch_size):
        if budget[0] is not None:
            if budget[0] == 0:
                break
            budget[0] -= 1
        with engine.begin() as connection:
            for row in batch:
                progress.rows += 1
                _rotate_row(connection, key_ring, raw, pk, columns, row, progress)
        if pause:
            time.sleep(pause)
    return progress


def _raw_type(kind: type) -> sa.types.TypeEngine[Any]:
    if kind is EncryptedBytes:
        return sa.LargeBinary()
    if kind is EncryptedJSON:
        return sa.JSON()  # the envelope is a JSON string
    return sa.Text()


def _batches(
    engine: Engine, raw: sa.TableClause, pk: list[str], size: int
) -> Iterator[list[sa.Row[Any]]]:
    keys = [raw.c[name] for name in pk]
    values = [c for c in raw.columns if c.name not in pk]
    last: tuple[Any, ...] | None = None
    while True:
        query = sa.select(*keys, *values).order_by(*keys).limit(size)
        if last is not None:
            query = query.where(
                keys[0] > last[0] if len(keys) == 1 else sa.tuple_(*keys) > sa.tuple_(*last)
            )
        with engine.connect() as connection:
            batch = connection.execute(query).all()
        if not batch:
            return
        yield batch
        last = tuple(batch[-1][: len(keys)])


def _rotate_row(
    connection: sa.Connection,
    key_ring: crypto.KeyRing,
    raw: sa.TableClause,
    pk: list[str],
    columns: list[tuple[str, type]],
    row: sa.Row[Any],
    progress: TableProgress,
) -> None:
    where = [raw.c[key] == row[i] for i, key in enumerate(pk)]
    values: dict[str, Any] = {}
    for position, (column, kind) in enumerate(columns):
        value = row[len(pk) + position]
        if value is None:
            continue
        if kind is EncryptedBytes:
            value = bytes(value)
            key_id = crypto.bytes_key_id(value)
        else:
            key_id = crypto.text_key_id(value)
        progress.before[key_id] += 1
        if key_id == key_ring.current_id:
            continue
        if kind is EncryptedBytes:
            values[column] = crypto.encrypt_bytes(crypto.decrypt_bytes(value, key_ring), key_ring)
            where.append(raw.c[column] == value)
        else:
            values[column] = crypto.encrypt_text(crypto.decrypt_text(value, key_ring), key_ring)
            # compare-and-swap on the stored text (a JSON column compared as its text)
            stored = sa.cast(raw.c[column], sa.Text())
            where.append(stored == (f'"{value}"' if kind is EncryptedJSON else value))
    if not values:
        return
    result = connection.execute(raw.update().where(*where).values(**values))
    if result.rowcount:
        progress.rotated += len(values)
    else:
        progress.changed_meanwhile += 1


def _retire_unused(
    engine: Engine, key_ring: crypto.KeyRing, tables: list[TableProgress]
) -> list[str]:
    """After a whole walk nothing is left under another key (a row changed meanwhile was
    written under the current one): every other registered data key is retired."""
    with engine.begin() as connection:
        retired = list(
            connection.execute(
                sa.select(EncryptionKey.key_id).where(
                    EncryptionKey.purpose == "data",
                    EncryptionKey.retired_at.is_(None),
                    EncryptionKey.key_id != key_ring.current_id,
                )
            ).scalars()
        )
        if retired:
            connection.execute(
                sa.update(EncryptionKey)
                .where(EncryptionKey.key_id.in_(retired))
                .values(retired_at=utcnow())
            )
    return retired
