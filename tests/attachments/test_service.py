"""The attachment service on a real database: streaming store (memory stays flat), drafts keep
uploads, a failed submit keeps them, a version move carries them, removal frees the blob."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forms_service.attachments.models import BlobRow, ChunkRow
from forms_service.attachments.service import AttachmentService
from forms_service.attachments.settings import AttachmentSettings
from forms_service.attachments.store import DatabaseStore, FolderStore
from forms_service.cases.errors import AnswersInvalidError
from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import default_registry

MB = 1024 * 1024
HEALTH = "helbredsdokumenter[0].dokument"


class _Pattern(io.RawIOBase):
    """``size`` bytes produced as they are read: a large source that is never in memory."""

    def __init__(self, size: int) -> None:
        self.size, self.position = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = bytes([self.position % 251]) * count
        self.position += count
        return count


def _expected_sha(size: int) -> str:
    digest = hashlib.sha256()
    source = _Pattern(size)
    while data := source.read(MB):
        digest.update(data)
    return digest.hexdigest()


@pytest.mark.parametrize("kind", ["database", "folder"])
def test_store_streams_30_mb_with_flat_memory(db_engine, db_session, tmp_path: Path, kind) -> None:
    store = DatabaseStore(db_engine) if kind == "database" else FolderStore(tmp_path / "docs")
    size = 30 * MB
    sha = _expected_sha(size)
    tracemalloc.start()
    store.write(db_session, sha, io.BufferedReader(_Pattern(size), MB), size)
    db_session.commit()
    _, write_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    digest = hashlib.sha256()
    total = 0
    for chunk in store.read(sha):
        digest.update(chunk)
        total += len(chunk)
    _, read_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (total, digest.hexdigest()) == (size, sha)
    assert write_peak < 6 * MB, write_peak  # a few chunks, never the 30 MB
    assert read_peak < 6 * MB, read_peak
    if kind == "database":
        assert db_session.scalar(select(func.count()).select_from(ChunkRow)) == 30


def _services(db_session, users, username: str) -> tuple[CaseService, AttachmentService]:  # type: ignore[no-untyped-def]
    actor = actor_of(db_session.get(User, users[username].id))
    cases = CaseService(db_session, actor, registry=default_registry())
    return cases, AttachmentService(
        cases, AttachmentSettings(), DatabaseStore(db_session.get_bind())
    )


def _case(db_session, users) -> int:  # type: ignore[no-untyped-def]
    import datetime as dt

    sp, _ = _services(db_session, users, "sp")
    case = sp.create_case(
        case_number="SP-ATT-1",
        cpr="010160-1234",
        citizen_name="Karen Testesen",
        application_date=dt.date.today() - dt.timedelta(days=30),
        municipality_code=101,
        send_to_municipality=True,
    )
    case.form_version = "1.0.0"
    db_session.commit()
    return case.id


def test_drafts_failed_submits_and_version_moves_keep_the_documents(
    db_session, users, fixture_file
) -> None:
    case_id = _case(db_session, users)
    cases, attachments = _services(db_session, users, "kbh")
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    row = attachments.upload(case_id, HEALTH, io.BytesIO(pdf), "attest.pdf")
    case = cases.get_case(case_id, audit_read=False)
    cases.save_draft(case_id, {"navn": "Karen"}, base_revision=case.revision)
    with pytest.raises(AnswersInvalidError):
        cases.submit(case_id, {"navn": "Karen"}, base_revision=case.revision)
    assert [a.id for a in attachments.list(case_id)] == [row.id]

    sp, _ = _services(db_session, users, "sp")
    case = sp.get_case(case_id, audit_read=False)
    sp.move_to_version(case_id, "2.0.0-pilot.1", reason="Pilot", base_revision=case.revision)
    cases, attachments = _services(db_session, users, "kbh")
    assert cases.get_case(case_id, audit_read=False).form_version == "2.0.0-pilot.1"
    [kept] = attachments.list(case_id)
    assert (kept.id, kept.path, kept.sha256) == (row.id, HEALTH, hashlib.sha256(pdf).hexdigest())
    # and another upload to the same path on the new version is taken
    attachments.upload(case_id, HEALTH, io.BytesIO(fixture_file("skanning.png").read_bytes()), "s")


def test_removal_frees_the_blob_only_when_nothing_else_uses_it(
    db_session, users, fixture_file
) -> None:
    case_id = _case(db_session, users)
    _, attachments = _services(db_session, users, "kbh")
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    first = attachments.upload(case_id, HEALTH, io.BytesIO(pdf), "a.pdf")
    second = attachments.upload(case_id, "helbredsdokumenter[1].dokument", io.BytesIO(pdf), "b")
    assert first.sha256 == second.sha256
    assert db_session.scalar(select(func.count()).select_from(BlobRow)) == 1  # stored once
    attachments.remove(case_id, first.id)
    assert db_session.scalar(select(func.count()).select_from(BlobRow)) == 1
    attachments.remove(case_id, second.id)
    assert db_session.scalar(select(func.count()).select_from(BlobRow)) == 0
    assert db_session.scalar(select(func.count()).select_from(ChunkRow)) == 0
