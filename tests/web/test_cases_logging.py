"""No CPR number reaches log output, even when a library logs the SQL parameters."""

from __future__ import annotations

import io
import logging

import pytest

from forms_service.cases.models import User
from forms_service.cases.users import create_api_token

CPR = "010160-1234"


@pytest.fixture
def log_output():  # type: ignore[no-untyped-def]
    """Everything logged while the test runs, as the text a real handler writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    engine_logger = logging.getLogger("sqlalchemy.engine")
    saved = (root.level, engine_logger.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    engine_logger.setLevel(logging.INFO)  # SQLAlchemy then logs every statement's parameters
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        engine_logger.setLevel(saved[1])


def test_creating_and_reading_a_case_logs_no_cpr(app, client, login, users, log_output) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        token = create_api_token(session, session.get(User, users["sp"].id))
        session.commit()
    response = client.post(
        "/api/v1/cases/",
        json={
            "case_number": "SP-LOG-1",
            "cpr": CPR,
            "citizen_name": "Karen Testesen",
            "application_date": "2026-01-15",
            "municipality_code": 101,
            "request_date": "2026-02-01",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    case_id = response.get_json()["id"]
    login(client, "kbh")
    assert client.get(f"/cases/{case_id}").status_code == 200
    app.logger.warning("borger med cpr %s slået op", CPR)  # a careless log line is masked too

    output = log_output.getvalue()
    assert "INSERT INTO cases" in output  # the parameters really were logged …
    assert "010160-****" in output  # … with the CPR number masked
    assert "0101601234" not in output
    assert CPR not in output
