"""The clamd scan: a server speaking clamd's INSTREAM protocol on a free port (clamd itself
needs a virus database this machine cannot download), flagging the EICAR test string like clamd
does. Clean files are stored as scanned, infected ones refused, a silent scanner refuses."""

from __future__ import annotations

import io
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from forms_service.attachments import scan
from forms_service.attachments.errors import AttachmentInfectedError, ScannerUnavailableError
from forms_service.attachments.models import AttachmentRow

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Clamd(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            (length,) = struct.unpack(">I", self._read(4))
            if length == 0:
                break
            data += self._read(length)
        self.server.scanned.append(data)  # type: ignore[attr-defined]
        found = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        self.request.sendall(found)

    def _read(self, size: int) -> bytes:
        out = b""
        while len(out) < size:
            part = self.request.recv(size - len(out))
            if not part:
                raise ConnectionError("closed")
            out += part
        return out


@pytest.fixture
def clamd() -> Iterator[tuple[str, list[bytes]]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Clamd)
    server.scanned = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.server_address[1]}", server.scanned  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_clean_infected_and_unreachable(clamd, fixture_file) -> None:
    url, scanned = clamd
    data = fixture_file("laegeattest.pdf").read_bytes()
    assert scan.scan(url, io.BytesIO(data), "a.pdf") == scan.CLEAN
    assert scanned == [data]
    with pytest.raises(AttachmentInfectedError, match="Eicar-Test-Signature"):
        scan.scan(url, io.BytesIO(b"%PDF-1.4\n" + EICAR), "b.pdf")
    with pytest.raises(ScannerUnavailableError, match="svarer ikke"):
        scan.scan(f"tcp://127.0.0.1:{_closed_port()}", io.BytesIO(data), "c.pdf")
    assert scan.scan(None, io.BytesIO(data), "d.pdf") == scan.NOT_SCANNED


def test_uploads_through_the_scanner(app, login, case_factory, clamd, fixture_file) -> None:
    url, _ = clamd
    app.config["CLAMD_URL"] = url
    client = app.test_client()
    login(client, "kbh")
    case_id = case_factory()
    pdf = fixture_file("laegeattest.pdf").read_bytes()

    def upload(data: bytes):  # type: ignore[no-untyped-def]
        return client.post(
            f"/api/v1/cases/{case_id}/attachments",
            data={"file": (io.BytesIO(data), "a.pdf"), "path": "helbredsdokumenter[0].dokument"},
            content_type="multipart/form-data",
        )

    clean = upload(pdf)
    assert clean.status_code == 201
    assert (clean.json["scan_status"], clean.json["scan_label"]) == (
        "clean",
        "scannet, ingen virus",
    )
    # a real JPEG with the EICAR test string after its end marker
    refused = upload(fixture_file("roentgen.jpg").read_bytes() + EICAR)
    assert refused.status_code == 422
    assert "skadeligt indhold" in refused.json["message"]
    app.config["CLAMD_URL"] = f"tcp://127.0.0.1:{_closed_port()}"
    app.extensions.pop("forms_service.attachment_settings")
    assert upload(fixture_file("skanning.png").read_bytes()).status_code == 503
    with app.extensions["forms_service.sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(AttachmentRow)) == 1
