"""The folder store encrypts too: files hold AES-GCM records (one per 1 MB chunk), never the
document; a file from before encryption still reads and 'keys rotate' encrypts it and moves
old-key files to the current key."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from click.testing import CliRunner

from forms_service.attachments.store import CHUNK, FOLDER_HEADER, FolderStore
from forms_service.cases import crypto
from forms_service.cli import main
from tests.conftest import TEST_BLIND_INDEX_KEY, TEST_ENCRYPTION_KEYS

K2 = "k2:" + base64.b64encode(b"second-key-second-key-second-k2!").decode()
SECRET = b"Laegeerklaering: Kvasirsyndrom. "


def _write(store: FolderStore, name: str, content: bytes) -> None:
    store.write(None, name, io.BytesIO(content), len(content))  # type: ignore[arg-type]


def test_folder_files_are_encrypted_and_stream(tmp_path: Path, key_ring_reset) -> None:  # type: ignore[no-untyped-def]
    store = FolderStore(tmp_path)
    content = SECRET * (CHUNK // len(SECRET) * 2 + 7)  # two full chunks and a bit
    _write(store, "a" * 64, content)
    raw = (tmp_path / "aa" / ("a" * 64)).read_bytes()
    assert raw.startswith(FOLDER_HEADER) and b"Kvasirsyndrom" not in raw
    pieces = list(store.read("a" * 64))
    assert len(pieces) == 3 and b"".join(pieces) == content


def test_rotation_encrypts_old_files_and_moves_keys(
    tmp_path: Path, db_url: str, db_engine, monkeypatch, key_ring_reset
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    store = FolderStore(folder)
    crypto.configure(crypto.parse_key_ring(TEST_ENCRYPTION_KEYS, TEST_BLIND_INDEX_KEY))
    _write(store, "b" * 64, SECRET)
    legacy = folder / "cc" / ("c" * 64)  # stored before encryption
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(SECRET)
    assert b"".join(store.read("c" * 64)) == SECRET

    monkeypatch.setenv("FORMS_SERVICE_DATABASE_URL", db_url)
    monkeypatch.setenv("FORMS_SERVICE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FORMS_SERVICE_ATTACHMENT_DIR", str(folder))
    monkeypatch.setenv(crypto.ENV_KEYS, f"{K2},{TEST_ENCRYPTION_KEYS}")
    result = CliRunner().invoke(main, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert f"{folder}: 2 filer, 2 genkrypteret til 'k2'" in result.output

    for name in ("b" * 64, "c" * 64):
        raw = (folder / name[:2] / name).read_bytes()
        assert raw.startswith(FOLDER_HEADER) and b"Kvasirsyndrom" not in raw
        envelope = raw[len(FOLDER_HEADER) + 4 :]
        assert crypto.bytes_key_id(envelope) == "k2"
    # readable with the new key alone
    crypto.configure(crypto.parse_key_ring(K2, TEST_BLIND_INDEX_KEY))
    assert b"".join(store.read("c" * 64)) == SECRET
    assert store.rotate() == (2, 0)
