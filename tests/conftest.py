"""Shared fixtures. Each block belongs to the issue that added it: add blocks, never rewrite."""

from __future__ import annotations

# ============================================================================================
# Cases, storage and roles (issue 3): databases, the app, users of every role, logging in.
#
#   db_url            parametrised: a fresh SQLite file, and a fresh PostgreSQL schema when
#                     FORMS_SERVICE_TEST_POSTGRES_URL is set (dropped afterwards)
#   db_engine         an Engine on db_url, migrated to head with Alembic (not create_all)
#   db_session        a Session on db_engine
#   users             {username: User} — one user per role, password TEST_PASSWORD:
#                     kbh (municipal_caseworker, 101 København), ringsted (municipal, 329),
#                     sp (seniorpension_caseworker), editor (form_editor), analyst, admin,
#                     kommunikation (communications)
#   app               create_app() on the migrated db_url, TESTING, CSRF off, users created
#   client            app.test_client()
#   login             login(client, username, password=TEST_PASSWORD) -> response; logs in
#                     through the real login form
#   case_factory      case_factory(municipality_code=101, send=True, **fields) -> case id;
#                     creates a case as "sp" through the CaseService in the app's database
# ============================================================================================
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from forms_service.cases import db as cases_db
from forms_service.cases.models import User
from forms_service.cases.roles import Role
from forms_service.cases.users import create_user, hash_password

POSTGRES_ENV = "FORMS_SERVICE_TEST_POSTGRES_URL"
TEST_PASSWORD = "korrekt-hest-batteri"
TEST_USERS: dict[str, tuple[Role, int | None]] = {
    "kbh": (Role.MUNICIPAL_CASEWORKER, 101),
    "ringsted": (Role.MUNICIPAL_CASEWORKER, 329),
    "sp": (Role.SENIORPENSION_CASEWORKER, None),
    "editor": (Role.FORM_EDITOR, None),
    "analyst": (Role.ANALYST, None),
    "admin": (Role.ADMIN, None),
    "kommunikation": (Role.COMMUNICATIONS, None),  # issue 15: the brochure's drafts
}


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    base = cases_db.normalize_url(os.environ[POSTGRES_ENV])
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = cases_db.make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    engine = cases_db.make_engine(db_url)
    cases_db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(db_engine: Engine) -> Iterator[Session]:
    from forms_service import wiring

    session = wiring.session_factory(db_engine)()  # the app's sessions: listeners installed
    yield session
    session.close()


@pytest.fixture(scope="session")
def test_password_hash() -> str:
    # scrypt is slow on purpose; hash the shared test password once per run.
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def users(db_engine: Engine, test_password_hash: str) -> dict[str, User]:
    session = cases_db.make_session_factory(db_engine)()
    created = {
        name: create_user(
            session,
            name,
            role=role,
            password_hash=test_password_hash,
            display_name=f"Test {name}",
            municipality_code=code,
        )
        for name, (role, code) in TEST_USERS.items()
    }
    session.commit()
    session.close()
    return created


@pytest.fixture
def app(db_url: str, db_engine: Engine, users: dict[str, User], tmp_path: Path):  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    application = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    yield application
    application.extensions["forms_service.engine"].dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def login() -> Callable[..., object]:
    def _login(client, username: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
        response = client.post(
            "/login", data={"username": username, "password": password}, follow_redirects=False
        )
        assert response.status_code in (302, 303), response.get_data(as_text=True)
        return response

    return _login


@pytest.fixture
def case_factory(app, users: dict[str, User]) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    import datetime as dt
    import itertools

    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of

    numbers = itertools.count(1)

    def make(municipality_code: int = 101, send: bool = True, **fields: object) -> int:
        values: dict[str, object] = {
            "case_number": f"SP-TEST-{next(numbers):05d}",
            "cpr": "010160-1234",
            "citizen_name": "Karen Testesen",
            "application_date": dt.date.today() - dt.timedelta(days=30),
            "municipality_code": municipality_code,
        } | fields
        session = app.extensions["forms_service.sessions"]()
        try:
            sp = session.get(User, users["sp"].id)
            service = CaseService(
                session, actor_of(sp), registry=app.extensions["forms_service.registry"]
            )
            case = service.create_case(**values, send_to_municipality=send)  # type: ignore[arg-type]
            return case.id
        finally:
            session.close()

    return make


# ============================================================================================
# end of issue 3 block
# ============================================================================================


# ============================================================================================
# Notifications (issue 17): a real SMTP server and a real HTTP receiver on free ports.
#
#   smtp_server       SmtpSink: aiosmtpd on 127.0.0.1:<free port> in this process;
#                     .url (for FORMS_SERVICE_SMTP_URL), .messages (parsed EmailMessage list),
#                     .stop() / .start() to take it down and bring it back (same port);
#                     SmtpSink(port, credentials=(user, password)) requires AUTH
#   webhook_receiver  WebhookReceiver: a threaded HTTP server on 127.0.0.1:<free port>;
#                     .url, .requests (method, path, headers in lower case, body), .statuses (a list of
#                     status codes to answer with, in order; 204 when empty)
#   free_port         a TCP port nothing listens on
# ============================================================================================
import socket  # noqa: E402
import threading  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from email import message_from_bytes, policy  # noqa: E402
from email.message import EmailMessage  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def free_port() -> int:
    return _free_port()


class SmtpSink:
    def __init__(self, port: int, credentials: tuple[str, str] | None = None) -> None:
        self.port = port
        # (user, password): the server offers AUTH (over plain SMTP, as a test may) and
        # refuses mail from a client that did not log in with them.
        self.credentials = credentials
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        options: dict[str, object] = {}
        if self.credentials is not None:
            from aiosmtpd.smtp import AuthResult

            def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
                given = (auth_data.login.decode(), auth_data.password.decode())
                return AuthResult(success=given == self.credentials)

            options = {
                "authenticator": authenticate,
                "auth_require_tls": False,
                "auth_required": True,
            }
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    sink = SmtpSink(_free_port())
    sink.start()
    yield sink
    sink.stop()


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    port: int
    requests: list[ReceivedRequest] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(0)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            with lock:
                receiver.requests.append(
                    ReceivedRequest(
                        "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body
                    )
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 204
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


# ============================================================================================
# end of issue 17 block
# ============================================================================================


# --- Hypothesis: deterministic runs (issue 11) ------------------------------------------------
# Property tests draw from a seed derived from each test's source, and no example database is
# kept between runs, so a run (and a mutation-testing run over it) is repeatable. No deadline:
# on a loaded machine (mutmut forks a test run per mutant) a slow example would fail by time,
# not by result, and the run would not repeat.
# HYPOTHESIS_PROFILE=explore gives random draws again when hunting for new counterexamples.
import os as _os  # noqa: E402

from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile(
    "deterministic", derandomize=True, database=None, deadline=None
)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(_os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


# ============================================================================================
# Uploaded documents and archival PDFs (issue 16).
#
#   fixture_file      fixture_file("laegeattest.pdf") -> Path of a real file in
#                     tests/fixtures/files (PDF, JPEG, PNG, DOCX, encrypted PDF, HTML, SVG)
#   make_pdf          make_pdf(size_bytes) -> bytes of a valid one-page PDF of about that size
#                     (random bytes embedded, so each call's sha256 differs)
# ============================================================================================
FILES = Path(__file__).parent / "fixtures" / "files"


@pytest.fixture
def fixture_file() -> Callable[[str], Path]:
    def find(name: str) -> Path:
        path = FILES / name
        assert path.is_file(), path
        return path

    return find


@pytest.fixture
def make_pdf() -> Callable[[int], bytes]:
    import io

    from pypdf import PdfReader, PdfWriter

    def make(size: int) -> bytes:
        base = (FILES / "laegeattest.pdf").read_bytes()
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
        writer.add_attachment("fyld.bin", os.urandom(max(0, size - len(base) - 2048)))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    return make


# ============================================================================================
# end of issue 16 block
# ============================================================================================


# ============================================================================================
# Encryption at rest (issue 18): one key ring for the whole run, set in the environment before
# any app, CLI or migration loads it (every test process, so subprocesses inherit it too).
#
#   TEST_ENCRYPTION_KEYS / TEST_BLIND_INDEX_KEY   the ring ("t1:…") and the index key in use
#   key_ring_reset    forget the process's ring before and after the test (a test configuring
#                     other keys leaves the next test the environment's)
# ============================================================================================
TEST_ENCRYPTION_KEYS = "t1:" + "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE="  # 32 bytes
TEST_BLIND_INDEX_KEY = "aW5kZXgta2V5LWluZGV4LWtleS1pbmRleC1rZXktMDE="  # 32 bytes
os.environ.setdefault("FORMS_SERVICE_ENCRYPTION_KEYS", TEST_ENCRYPTION_KEYS)
os.environ.setdefault("FORMS_SERVICE_BLIND_INDEX_KEY", TEST_BLIND_INDEX_KEY)


@pytest.fixture
def key_ring_reset() -> Iterator[None]:
    from forms_service.cases import crypto

    crypto.configure(None)
    yield
    crypto.configure(None)


# ============================================================================================
# end of issue 18 block
# ============================================================================================


# ============================================================================================
# The definition language's functions (issue 12, landed by issue 19's helper): the domain's
# expression functions are registered as the app factory, the CLI and the workers register
# them (forms_service.wiring), before any test module loads a definition.
# ============================================================================================
from forms_service import wiring as _wiring  # noqa: E402

_wiring.register_domain_functions()
# ============================================================================================
# end of the definition functions block
# ============================================================================================
