"""Uploaded documents and archival PDFs.

1. Upload and download through the app (Flask test client: multipart parsing, type check,
   sha256, the store, the audit entry; download streamed back in chunks) in MB/s, beside the
   baseline: a raw ``write``/``read`` of the same bytes to the same store in the same run.
   Database store (SQLite file; PostgreSQL with ``--pg``) and folder store.
2. Archival PDFs (PDF/A-3b, WeasyPrint, answers and completeness embedded) per second beside
   the filled-in Word form of the same submission (the baseline), both from the same context.

    .venv/bin/python benchmarks/bench_attachments.py [--files 5] [--mb 10] [--pdfs 20]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from forms_service.wiring import register_domain_functions

register_domain_functions()  # the domain's expression functions, as the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def make_pdf(size: int) -> bytes:
    import os

    from pypdf import PdfReader, PdfWriter

    base = (ROOT / "tests/fixtures/files/laegeattest.pdf").read_bytes()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
    writer.add_attachment("fyld.bin", os.urandom(size - len(base) - 2048))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_app(database_url: str, instance: Path, folder: str | None) -> Any:
    from forms_service.app import create_app
    from forms_service.cases import db as cases_db
    from forms_service.cases.users import create_user, hash_password

    engine = cases_db.make_engine(database_url)
    cases_db.upgrade(engine)
    session = cases_db.make_session_factory(engine)()
    password = hash_password("bench-adgang")
    from forms_service.cases.roles import Role

    for name, role, code in (
        ("kbh", Role.MUNICIPAL_CASEWORKER, 101),
        ("sp", Role.SENIORPENSION_CASEWORKER, None),
    ):
        create_user(session, name, role=role, password_hash=password, municipality_code=code)
    session.commit()
    session.close()
    engine.dispose()
    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(instance),
        "WTF_CSRF_ENABLED": False,
        "TESTING": True,
        "ATTACHMENT_MAX_CASE_MB": 100_000,
    }
    if folder:
        config["ATTACHMENT_DIR"] = folder
    return create_app(config)


def new_case(app: Any) -> int:
    from forms_service.cases.models import User
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of

    session = app.extensions["forms_service.sessions"]()
    try:
        sp = session.query(User).filter_by(username="sp").one()
        service = CaseService(
            session, actor_of(sp), registry=app.extensions["forms_service.registry"]
        )
        case = service.create_case(
            case_number=f"SP-BENCH-{uuid.uuid4().hex[:8]}",
            cpr="010160-1234",
            citizen_name="Karin Holm Madsen",
            application_date=dt.date.today() - dt.timedelta(days=40),
            municipality_code=101,
            send_to_municipality=True,
        )
        return case.id
    finally:
        session.close()


def bench_store(label: str, app: Any, files: list[bytes]) -> dict[str, float]:
    from forms_service.http.attachments import blob_store

    client = app.test_client()
    client.post("/login", data={"username": "kbh", "password": "bench-adgang"})
    case_id = new_case(app)
    total = sum(len(f) for f in files) / MB

    # through the app: upload, then download every file
    started = time.perf_counter()
    ids = []
    for index, data in enumerate(files):
        response = client.post(
            f"/api/v1/cases/{case_id}/attachments",
            data={
                "file": (io.BytesIO(data), f"fil{index}.pdf"),
                "path": "helbredsdokumenter[0].dokument",
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    upload = time.perf_counter() - started
    started = time.perf_counter()
    for attachment_id, data in zip(ids, files, strict=True):
        response = client.get(
            f"/api/v1/cases/{case_id}/attachments/{attachment_id}", buffered=False
        )
        digest = hashlib.sha256()
        for chunk in response.response:
            digest.update(chunk)
        response.close()
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    download = time.perf_counter() - started

    # baseline: the same store, the same sizes (fresh bytes: the store skips known hashes)
    with app.app_context():
        store = blob_store()
        fresh = [bytes([b ^ 0x5A for b in data[:64]]) + data[64:] for data in files]
        session = app.extensions["forms_service.sessions"]()
        started = time.perf_counter()
        digests = []
        for data in fresh:
            digest = hashlib.sha256(data).hexdigest()
            store.write(session, digest, io.BytesIO(data), len(data))
            session.commit()
            digests.append(digest)
        raw_write = time.perf_counter() - started
        session.close()
        started = time.perf_counter()
        for digest in digests:
            for _chunk in store.read(digest):
                pass
        raw_read = time.perf_counter() - started

    figures = {
        "upload": total / upload,
        "raw_write": total / raw_write,
        "download": total / download,
        "raw_read": total / raw_read,
    }
    print(
        f"{label:<26} upload {figures['upload']:7.1f} MB/s  raw write {figures['raw_write']:7.1f} MB/s"
        f"  ratio {figures['upload'] / figures['raw_write']:.2f}x | download "
        f"{figures['download']:7.1f} MB/s  raw read {figures['raw_read']:7.1f} MB/s  ratio "
        f"{figures['download'] / figures['raw_read']:.2f}x"
    )
    return figures


def bench_pdfs(count: int) -> None:
    from forms_service.archive.context import Submission, archive_context
    from forms_service.archive.render import render_pdf
    from forms_service.completeness import evaluate_completeness
    from forms_service.definitions.registry import default_registry
    from forms_service.documents.context import CaseFacts
    from forms_service.documents.render import render_case_form

    definition = default_registry().get("sagsoplysningsskema", "1.0.0")
    answers = json.loads((ROOT / "tests/fixtures/answers/v1_complete.json").read_text("utf-8"))
    today = dt.date(2025, 6, 1)
    completeness = evaluate_completeness(definition, answers, today=today).to_dict()
    case = CaseFacts(reference="SP-BENCH-1", citizen_name="Karin Holm Madsen", cpr="1508622402")
    submission = Submission(1, 1, dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC), "Test kbh")

    def word_form() -> bytes:
        return render_case_form(
            definition, answers, case=case, completeness=completeness, today=today
        )

    def archival_pdf() -> bytes:
        context = archive_context(
            definition,
            answers,
            completeness=completeness,
            case=case,
            submission=submission,
            documents=[],
        )
        return render_pdf(context, answers, completeness)

    def per_second(render: Any) -> tuple[float, int]:
        size = len(render())  # warm: templates compiled, fonts loaded
        started = time.perf_counter()
        for _ in range(count):
            render()
        return count / (time.perf_counter() - started), size

    word, _ = per_second(word_form)
    pdfa, size = per_second(archival_pdf)
    print(
        f"archival PDF/A-3b          {pdfa:6.1f}/s ({size / 1024:.0f} kB) | Word form (baseline) "
        f"{word:6.1f}/s | ratio {pdfa / word:.2f}x"
    )


def main() -> None:
    # personal data is encrypted at rest (issue 18): benchmark keys unless the environment
    # brings its own (PostgreSQL has no development key)
    os.environ.setdefault(
        "FORMS_SERVICE_ENCRYPTION_KEYS", "b1:" + "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
    )
    os.environ.setdefault(
        "FORMS_SERVICE_BLIND_INDEX_KEY", "YmVuY2gtaW5kZXgtYmVuY2gtaW5kZXgtYmVuY2gtMDE="
    )
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--pg", help="PostgreSQL URL: also measure the database store there")
    args = parser.parse_args()

    files = [make_pdf(int(args.mb * MB)) for _ in range(args.files)]
    print(f"{args.files} PDF files of {args.mb:g} MB each")
    with tempfile.TemporaryDirectory(prefix="bench-attachments-") as tmp:
        folder = Path(tmp)
        app = make_app(f"sqlite:///{folder / 'db.sqlite3'}", folder / "i1", None)
        bench_store("SQLite, database store", app, files)
        app.extensions["forms_service.engine"].dispose()
        app = make_app(f"sqlite:///{folder / 'db2.sqlite3'}", folder / "i2", str(folder / "docs"))
        bench_store("folder store", app, files)
        app.extensions["forms_service.engine"].dispose()
        if args.pg:
            from forms_service.cases import db as cases_db

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = cases_db.make_engine(args.pg)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                from sqlalchemy.engine import make_url

                url = make_url(cases_db.normalize_url(args.pg)).update_query_dict(
                    {"options": f"-csearch_path={schema}"}
                )
                app = make_app(url.render_as_string(hide_password=False), folder / "i3", None)
                bench_store("PostgreSQL, database store", app, files)
                app.extensions["forms_service.engine"].dispose()
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    bench_pdfs(args.pdfs)


if __name__ == "__main__":
    main()
