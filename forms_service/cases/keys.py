"""Where the encryption keys come from, and the check that they fit the database.

- ``FORMS_SERVICE_ENCRYPTION_KEYS``: the data keys, ``k2:<base64>,k1:<base64>`` (first is
  current; older ones stay until ``forms-service keys rotate`` has moved their data).
- ``FORMS_SERVICE_BLIND_INDEX_KEY``: the key of the CPR blind index (base64), its own key.

Neither set and the database is the embedded SQLite default: a development key pair is made
once in the instance folder (``encryption_keys``, ``blind_index_key``; mode 0600). Production
— any other database (PostgreSQL) — refuses to start without both: a key lying beside the
data protects nothing.

``verify`` compares the ring with the check values in ``encryption_keys`` and registers the
current key: a wrong or missing key stops the start with a message naming the key, instead of
failing (or, with a weaker cipher, showing garbage) at the first read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from forms_service.cases import crypto
from forms_service.cases import db as cases_db
from forms_service.cases.models import EncryptionKey

ENV_KEYS = crypto.ENV_KEYS
ENV_INDEX_KEY = crypto.ENV_INDEX_KEY
DEV_KEYS_FILE = "encryption_keys"
DEV_INDEX_FILE = "blind_index_key"
INDEX_PURPOSE = "index"
DATA_PURPOSE = "data"
INDEX_KEY_ID = "blind-index"


def load_ring(
    *, instance: Path, database_url: str, environ: Mapping[str, str] | None = None
) -> crypto.KeyRing:
    """The key ring from the environment, else the instance folder's development keys (only
    for the embedded SQLite database)."""
    environ = os.environ if environ is None else environ
    spec = (environ.get(ENV_KEYS) or "").strip()
    index = (environ.get(ENV_INDEX_KEY) or "").strip()
    if spec or index:
        if not spec:
            raise crypto.EncryptionError(f"{ENV_INDEX_KEY} er sat, men {ENV_KEYS} mangler.")
        if not index:
            raise crypto.EncryptionError(f"{ENV_KEYS} er sat, men {ENV_INDEX_KEY} mangler.")
        return crypto.parse_key_ring(spec, index)
    if not cases_db.is_sqlite(database_url):
        raise crypto.EncryptionError(
            f"{ENV_KEYS} og {ENV_INDEX_KEY} skal sættes i drift: personoplysningerne krypteres "
            "med dem, og en udviklingsnøgle laves kun til den indbyggede SQLite-database. "
            "Lav nøgler med `forms-service keys new`."
        )
    keys = _dev_file(instance / DEV_KEYS_FILE, lambda: f"dev1:{crypto.new_key()}")
    return crypto.parse_key_ring(keys, _dev_file(instance / DEV_INDEX_FILE, crypto.new_key))


def _dev_file(path: Path, make: object) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(make())  # type: ignore[operator]
    return path.read_text().strip()


def default_loader(
    instance: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> Callable[[], crypto.KeyRing]:
    folder = cases_db.instance_path(instance)
    url = cases_db.database_url(database_url, instance=folder)
    return lambda: load_ring(instance=folder, database_url=url)


def configure_from_environment(
    instance: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> None:
    """Load the ring on first use (CLI, workers): commands that never read the database need
    no keys."""
    crypto.configure_lazily(default_loader(instance, database_url))


def verify(engine: Engine, key_ring: crypto.KeyRing | None = None) -> None:
    """Refuse a ring that does not fit the database; register the current key (and the index
    key) the first time they are used."""
    key_ring = key_ring or crypto.ring()
    for attempt in range(2):
        try:
            _verify_once(engine, key_ring)
            return
        except IntegrityError:  # two instances registering at once: check again
            if attempt:
                raise


def _verify_once(engine: Engine, key_ring: crypto.KeyRing) -> None:
    with engine.begin() as connection:
        rows = connection.execute(select(EncryptionKey.__table__)).all()
        registered = {row.key_id: row for row in rows}
        for row in rows:
            if row.purpose == INDEX_PURPOSE:
                if row.check_value != crypto.index_key_check(key_ring):
                    raise crypto.EncryptionError(
                        f"{ENV_INDEX_KEY} er ikke den nøgle, databasens CPR-søgeindeks er lavet "
                        "med: søgning efter CPR-nummer ville intet finde."
                    )
            elif row.key_id in key_ring.ids:
                try:
                    ok = crypto.decrypt_text(row.check_value, key_ring) == crypto.CHECK_PLAINTEXT
                except crypto.KeyMismatchError:
                    ok = False
                if not ok:
                    raise crypto.EncryptionError(
                        f"Nøglen '{row.key_id}' i {ENV_KEYS} er ikke den, databasens data er "
                        "krypteret med."
                    )
            elif row.retired_at is None:
                raise crypto.EncryptionError(
                    f"Databasen har data krypteret med nøglen '{row.key_id}', som mangler i "
                    f"{ENV_KEYS}. Tilføj den bag den nuværende nøgle (og kør `forms-service "
                    "keys rotate`, før den fjernes)."
                )
        new_rows = []
        if key_ring.current_id not in registered:
            new_rows.append(data_key_row(key_ring))
        if not any(row.purpose == INDEX_PURPOSE for row in rows):
            new_rows.append(
                {
                    "key_id": INDEX_KEY_ID,
                    "purpose": INDEX_PURPOSE,
                    "check_value": crypto.index_key_check(key_ring),
                }
            )
        if new_rows:
            connection.execute(EncryptionKey.__table__.insert(), new_rows)


def data_key_row(key_ring: crypto.KeyRing) -> dict[str, str]:
    return {
        "key_id": key_ring.current_id,
        "purpose": DATA_PURPOSE,
        "check_value": crypto.encrypt_text(crypto.CHECK_PLAINTEXT, key_ring),
    }
