"""PostgreSQL restarted while requests run, on our own cluster (initdb in a temporary folder,
a free port; never the machine's shared server): requests in flight get a 503 with a Danish
message, the next ones succeed, and no partial answer set is stored."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from forms_service.cases import db as cases_db
from forms_service.cases.models import AnswerSet, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of, create_api_token, create_user
from tests.conftest import TEST_PASSWORD

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers" / "v1_minimal_draft.json"


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )
    assert found, f"{name} is needed (scripts/test.sh installs the PostgreSQL server)"
    return str(found)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OwnPostgres:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="forms-pg-"))
        self.port = _free_port()
        self.data = self.folder / "data"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run(f"{_pg_bin('initdb')} -D {self.data} -A trust -U postgres")
        self.start()

    def _run(self, command: str) -> None:
        argv = ["su", "postgres", "-c", command] if self._as_postgres else ["sh", "-c", command]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    @property
    def _options(self) -> str:
        return f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"

    def start(self) -> None:
        self._run(
            f"{_pg_bin('pg_ctl')} -D {self.data} -o '{self._options}' -l {self.folder}/log -w start"
        )

    def stop(self) -> None:
        self._run(f"{_pg_bin('pg_ctl')} -D {self.data} -m fast -w stop")

    def restart(self) -> None:
        self._run(
            f"{_pg_bin('pg_ctl')} -D {self.data} -m fast -o '{self._options}' "
            f"-l {self.folder}/log -w restart"
        )

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg_app(own_postgres: OwnPostgres, tmp_path: Path):  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    engine = cases_db.make_engine(own_postgres.url)
    cases_db.upgrade(engine)
    session = cases_db.make_session_factory(engine)()
    suffix = dt.datetime.now().strftime("%H%M%S%f")
    kbh = create_user(
        session,
        f"kbh{suffix}",
        role="municipal_caseworker",
        password=TEST_PASSWORD,
        municipality_code=101,
    )
    sp = create_user(
        session, f"sp{suffix}", role="seniorpension_caseworker", password=TEST_PASSWORD
    )
    session.commit()
    token = create_api_token(session, kbh)
    case = CaseService(session, actor_of(session.get(User, sp.id))).create_case(
        case_number=f"SP-FAULT-{suffix}",
        cpr="010160-1234",
        citizen_name="Karen Testesen",
        application_date=dt.date.today() - dt.timedelta(days=30),
        municipality_code=101,
        send_to_municipality=True,
    )
    session.commit()
    case_id = case.id
    session.close()
    engine.dispose()
    app = create_app(
        {"DATABASE_URL": own_postgres.url, "TESTING": True, "INSTANCE_PATH": str(tmp_path / "i")}
    )
    yield app, token, case_id
    app.extensions["forms_service.engine"].dispose()


def _save(client, token: str, case_id: int, number: int):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"}
    current = client.get(f"/api/v1/cases/{case_id}/answers", headers=headers)
    if current.status_code != 200:
        return current
    # a visible question (a hidden one is not stored: answers.storage)
    answers = json.loads(ANSWERS.read_text("utf-8")) | {
        "arbejdsfunktioner": f"Gemning nr. {number}"
    }
    return client.put(
        f"/api/v1/cases/{case_id}/answers/draft",
        headers=headers,
        json={"base_revision": current.json["revision"], "answers": answers},
    )


def test_a_stopped_database_is_a_danish_503_and_the_next_request_succeeds(
    own_postgres: OwnPostgres, pg_app
) -> None:  # type: ignore[no-untyped-def]
    app, token, case_id = pg_app
    client = app.test_client()
    assert _save(client, token, case_id, 0).status_code == 200
    own_postgres.stop()
    try:
        response = _save(client, token, case_id, 1)
        assert response.status_code == 503
        assert response.json["message"].startswith("Databasen kan ikke nås lige nu")
        assert response.headers["Retry-After"] == "5"
        page = client.get("/login")
        assert page.status_code == 200  # a page that needs no database still works
    finally:
        own_postgres.start()
    assert _save(client, token, case_id, 2).status_code == 200


def test_a_restart_during_saves_fails_cleanly_and_stores_no_partial_answer_set(
    own_postgres: OwnPostgres, pg_app
) -> None:  # type: ignore[no-untyped-def]
    app, token, case_id = pg_app
    statuses: list[int] = []
    messages: set[str] = set()
    stop = threading.Event()

    def keep_saving() -> None:
        client = app.test_client()
        number = 0
        while not stop.is_set():
            number += 1
            response = _save(client, token, case_id, number)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                messages.add(response.json["message"])

    workers = [threading.Thread(target=keep_saving) for _ in range(3)]
    for worker in workers:
        worker.start()
    try:
        while len(statuses) < 6:
            threading.Event().wait(0.05)
        own_postgres.restart()
        done = len(statuses)
        while len(statuses) < done + 6:
            threading.Event().wait(0.05)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    assert set(statuses) <= {200, 409, 503}, statuses
    assert 503 in statuses  # requests met the restart
    assert messages <= {
        "Databasen kan ikke nås lige nu. Intet er gemt fra denne handling; prøv igen om lidt."
    }
    assert statuses[-3:].count(200) >= 1  # the database is back: saves succeed again
    assert _save(app.test_client(), token, case_id, 999).status_code == 200

    engine = cases_db.make_engine(own_postgres.url)
    try:
        with cases_db.make_session_factory(engine)() as session:
            stored = session.scalars(select(AnswerSet).where(AnswerSet.case_id == case_id)).all()
            revisions = [s.case_revision for s in stored]
            for answer_set in stored:  # whole documents only
                expected = json.loads(ANSWERS.read_text("utf-8"))
                assert answer_set.answers.keys() == expected.keys() | {"arbejdsfunktioner"}
                assert answer_set.answers["arbejdsfunktioner"].startswith("Gemning nr. ")
    finally:
        engine.dispose()
    assert len(revisions) == len(set(revisions))  # one answer set per case revision
    assert len(stored) >= statuses.count(200)
