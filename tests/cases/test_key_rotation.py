"""Keys: a ring of two keys reads both and writes under the first; 'keys rotate' moves every
value to the current key in batches (resumable, leaving cases' revisions alone) and retires
the old key; a wrong or missing key stops the start with a clear message."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import Engine, select, text

from forms_service import wiring
from forms_service.app import create_app
from forms_service.attachments.store import DatabaseStore
from forms_service.cases import crypto, key_commands, keys, rotation
from forms_service.cases.encrypted import EncryptedText
from forms_service.cases.models import AnswerSet, Case, EncryptionKey
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cli import main
from tests.conftest import TEST_BLIND_INDEX_KEY, TEST_ENCRYPTION_KEYS

K2 = "k2:" + base64.b64encode(b"second-key-second-key-second-k2!").decode()
CPRS = ["0101601234", "0202602345", "0303603456", "0404604567", "0505605678"]


def _ring(spec: str) -> crypto.KeyRing:
    return crypto.parse_key_ring(spec, TEST_BLIND_INDEX_KEY)


def _make_cases(engine: Engine, users, cprs: list[str], prefix: str) -> list[int]:  # type: ignore[no-untyped-def]
    session = wiring.session_factory(engine)()
    try:
        service = CaseService(session, actor_of(session.get(type(users["sp"]), users["sp"].id)))
        ids = []
        for n, cpr in enumerate(cprs):
            case = service.create_case(
                case_number=f"{prefix}-{n}",
                cpr=cpr,
                citizen_name=f"Borger {prefix} {n}",
                application_date=dt.date.today() - dt.timedelta(days=10),
                municipality_code=101,
                send_to_municipality=True,
            )
            ids.append(case.id)
        session.commit()
        return ids
    finally:
        session.close()


def _key_ids(engine: Engine) -> dict[str, int]:
    """Values per key id in the cases table, read from the raw envelopes."""
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        for cpr, name in connection.execute(text("SELECT cpr, citizen_name FROM cases")):
            for value in (cpr, name):
                key_id = crypto.text_key_id(value)
                counts[key_id] = counts.get(key_id, 0) + 1
    return counts


@pytest.fixture
def two_keys(db_engine: Engine, users, key_ring_reset):  # type: ignore[no-untyped-def]
    """Cases under t1 (the test ring), then the ring k2,t1 and more cases under k2."""
    crypto.configure(_ring(TEST_ENCRYPTION_KEYS))
    keys.verify(db_engine)
    old = _make_cases(db_engine, users, CPRS[:3], "OLD")
    crypto.configure(_ring(f"{K2},{TEST_ENCRYPTION_KEYS}"))
    keys.verify(db_engine)
    new = _make_cases(db_engine, users, CPRS[3:], "NEW")
    assert _key_ids(db_engine) == {"t1": 6, "k2": 4}
    return old, new


def test_a_ring_of_two_keys_reads_both_and_rotation_moves_everything(
    db_engine: Engine, users, two_keys
) -> None:  # type: ignore[no-untyped-def]
    old, _ = two_keys
    session_factory = wiring.session_factory
    with session_factory(db_engine)() as session:
        # a document and a draft under the old key too
        crypto.configure(_ring(TEST_ENCRYPTION_KEYS))
        content = b"gammelt dokument " * 1000
        DatabaseStore(db_engine).write(session, "b" * 64, io.BytesIO(content), len(content))
        session.commit()
        crypto.configure(_ring(f"{K2},{TEST_ENCRYPTION_KEYS}"))
        names = {c.case_number: c.citizen_name for c in session.scalars(select(Case))}
        revisions = {c.id: c.revision for c in session.scalars(select(Case))}
    assert names["OLD-0"] == "Borger OLD 0" and names["NEW-1"] == "Borger NEW 1"

    # an interrupted run: one batch of two rows, then stopped
    partial = rotation.rotate(db_engine, batch_size=2, max_batches=1)
    assert not partial.complete and partial.retired == []
    assert partial.rotated > 0
    moved = _key_ids(db_engine)

    report = rotation.rotate(db_engine, batch_size=2)
    assert report.current == "k2"
    assert report.retired == ["t1"]
    assert report.complete
    by_table = {t.table: t for t in report.tables}
    # the interrupted run moved two cases' values; the second run took the rest only
    assert moved == {"k2": 8, "t1": 2}
    assert by_table["cases"].rotated == by_table["cases"].before["t1"]
    assert by_table["cases"].before["k2"] >= 8
    assert by_table["attachment_chunks"].rotated == 1
    assert _key_ids(db_engine) == {"k2": 10}
    with db_engine.connect() as connection:
        chunk = connection.execute(text("SELECT data FROM attachment_chunks")).scalar_one()
    assert crypto.bytes_key_id(bytes(chunk)) == "k2"

    # the old key can go: everything reads with k2 alone, revisions untouched
    crypto.configure(_ring(K2))
    keys.verify(db_engine)
    with session_factory(db_engine)() as session:
        assert {c.case_number: c.citizen_name for c in session.scalars(select(Case))} == names
        assert {c.id: c.revision for c in session.scalars(select(Case))} == revisions
        search = session.scalars(
            select(Case.id).where(Case.cpr_index == crypto.blind_index(CPRS[0]))
        )
        assert list(search) == [old[0]]
    assert b"".join(DatabaseStore(db_engine).read("b" * 64)) == content
    # a second run finds nothing to do
    assert rotation.rotate(db_engine).rotated == 0


def test_rotation_leaves_a_value_changed_meanwhile(db_engine: Engine, users, two_keys) -> None:  # type: ignore[no-untyped-def]
    old, _ = two_keys
    progress = rotation.TableProgress("cases")
    raw_cols = [("cpr", EncryptedText), ("citizen_name", EncryptedText)]
    real = rotation.Base.metadata.tables["cases"]
    raw = sa.table(
        "cases",
        sa.column("id", real.c.id.type),
        sa.column("cpr", sa.Text()),
        sa.column("citizen_name", sa.Text()),
    )
    with db_engine.connect() as connection:
        row = connection.execute(
            sa.select(raw.c.id, raw.c.cpr, raw.c.citizen_name).where(raw.c.id == old[0])
        ).one()
    # the service renames the citizen (under k2) after the walk read the row
    with wiring.session_factory(db_engine)() as session:
        case = session.get(Case, old[0])
        case.citizen_name = "Nyt Navn"
        session.commit()
    with db_engine.begin() as connection:
        rotation._rotate_row(connection, crypto.ring(), raw, ["id"], raw_cols, row, progress)
    assert progress.changed_meanwhile == 1 and progress.rotated == 0
    with wiring.session_factory(db_engine)() as session:
        assert session.get(Case, old[0]).citizen_name == "Nyt Navn"


def _app(db_url: str, tmp_path: Path, ring: str, index: str = TEST_BLIND_INDEX_KEY):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ENCRYPTION_KEYS": ring,
            "BLIND_INDEX_KEY": index,
        }
    )


def test_a_wrong_or_missing_key_stops_the_start(
    db_url: str, db_engine: Engine, users, two_keys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # t1 missing while data is still under it
    with pytest.raises(crypto.EncryptionError, match="nøglen 't1', som mangler"):
        _app(db_url, tmp_path, K2)
    # another key under the id t1
    wrong_t1 = "t1:" + base64.b64encode(b"not-the-right-key-not-the-right!").decode()
    with pytest.raises(crypto.EncryptionError, match=r"Nøglen 't1' .* er ikke den"):
        _app(db_url, tmp_path, f"{K2},{wrong_t1}")
    # another index key: a CPR search would find nothing
    other_index = base64.b64encode(b"another-index-key-another-index!").decode()
    with pytest.raises(crypto.EncryptionError, match="CPR-søgeindeks"):
        _app(db_url, tmp_path, f"{K2},{TEST_ENCRYPTION_KEYS}", other_index)
    # malformed keys name the problem, not the key material
    with pytest.raises(crypto.EncryptionError, match="nøglen 'k3' er ikke 16, 24 eller 32 bytes"):
        _app(db_url, tmp_path, "k3:c2hvcnQ=")
    # the right ring starts
    _app(db_url, tmp_path, f"{K2},{TEST_ENCRYPTION_KEYS}").extensions[
        "forms_service.engine"
    ].dispose()


def test_a_value_under_another_key_is_an_error_not_garbage(key_ring_reset) -> None:  # type: ignore[no-untyped-def]
    envelope = crypto.encrypt_text("Gudrun", _ring(TEST_ENCRYPTION_KEYS))
    wrong = _ring("t1:" + base64.b64encode(b"not-the-right-key-not-the-right!").decode())
    with pytest.raises(crypto.KeyMismatchError, match="nøglen 't1'"):
        crypto.decrypt_text(envelope, wrong)
    tampered = envelope[:-6] + ("A" if envelope[-6] != "A" else "B") + envelope[-5:]
    with pytest.raises(crypto.KeyMismatchError):
        crypto.decrypt_text(tampered, _ring(TEST_ENCRYPTION_KEYS))
    with pytest.raises(crypto.EncryptionError, match="som ikke er i"):
        crypto.decrypt_text(envelope, _ring(K2))
    blob = crypto.encrypt_bytes(b"\x00pdf", _ring(TEST_ENCRYPTION_KEYS))
    assert crypto.decrypt_bytes(blob, _ring(f"{K2},{TEST_ENCRYPTION_KEYS}")) == b"\x00pdf"
    with pytest.raises(crypto.KeyMismatchError):
        crypto.decrypt_bytes(blob, wrong)


def test_production_refuses_to_start_without_keys_and_the_embedded_default_gets_dev_keys(
    tmp_path: Path, key_ring_reset
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(crypto.EncryptionError, match="skal sættes i drift"):
        keys.load_ring(instance=tmp_path, database_url="postgresql+psycopg://u@h/db", environ={})
    first = keys.load_ring(instance=tmp_path, database_url=f"sqlite:///{tmp_path}/x", environ={})
    assert first.current_id == "dev1"
    assert (tmp_path / "encryption_keys").stat().st_mode & 0o777 == 0o600
    again = keys.load_ring(instance=tmp_path, database_url=f"sqlite:///{tmp_path}/x", environ={})
    assert again == first  # made once, kept
    with pytest.raises(crypto.EncryptionError, match="BLIND_INDEX_KEY mangler"):
        keys.load_ring(
            instance=tmp_path,
            database_url="sqlite://",
            environ={keys.ENV_KEYS: TEST_ENCRYPTION_KEYS},
        )


def test_cli_rotate_and_status(
    db_url: str, db_engine: Engine, users, two_keys, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FORMS_SERVICE_DATABASE_URL", db_url)
    monkeypatch.setenv("FORMS_SERVICE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(keys.ENV_KEYS, f"{K2},{TEST_ENCRYPTION_KEYS}")
    runner = CliRunner()
    result = runner.invoke(main, ["keys", "rotate", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    # three encrypted columns of five cases (CPR, name, note), three cases under t1
    assert (
        "cases: 5 rækker, 9 værdier genkrypteret til 'k2' (fundet: k2: 6, t1: 9)" in result.output
    )
    assert "Nøglen 't1' er udfaset" in result.output
    status = runner.invoke(main, ["keys", "status"])
    assert "t1 (data): udfaset" in status.output and "k2 (data): i brug" in status.output
    with db_engine.connect() as connection:
        retired = (
            connection.execute(
                select(EncryptionKey.key_id).where(EncryptionKey.retired_at.is_not(None))
            )
            .scalars()
            .all()
        )
    assert retired == ["t1"]
    new = runner.invoke(main, ["keys", "new", "--id", "k3"])
    key_id, _, encoded = new.output.strip().partition(":")
    assert key_id == "k3" and len(base64.b64decode(encoded)) == 32
    # the answers table was walked as well (empty here): no error on JSON columns
    assert AnswerSet.__tablename__ in result.output


def test_the_commands_default_batch_is_the_rotations() -> None:
    # written out in key_commands so its --help does not import the rotation
    assert key_commands.ROTATION_BATCH == rotation.BATCH
    rotate = key_commands.keys_group.commands["rotate"]
    batch = next(p for p in rotate.params if p.name == "batch_size")
    assert batch.default == rotation.BATCH
