"""The notification CLI: mailboxes, `notifications send` with SMTP credentials, the log."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from forms_service.cli import main
from tests.conftest import SmtpSink


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_mailboxes_by_cli(db_url: str, db_engine) -> None:  # type: ignore[no-untyped-def]
    _run(
        "notifications",
        "mailbox",
        "set",
        "329",
        "ydelse@ringsted.example",
        "--database-url",
        db_url,
    )
    _run(
        "notifications",
        "mailbox",
        "set",
        "seniorpension",
        "sager@sp.example",
        "--database-url",
        db_url,
    )
    listed = _run("notifications", "mailbox", "list", "--database-url", db_url)
    assert listed.splitlines() == [
        "0\tSeniorpension\tsager@sp.example",
        "329\tRingsted Kommune\tydelse@ringsted.example",
    ]
    bad = CliRunner().invoke(
        main, ["notifications", "mailbox", "set", "999", "x@y.example", "--database-url", db_url]
    )
    assert bad.exit_code != 0 and "Ukendt kommunekode: 999." in bad.output
    assert "Fjernet." in _run("notifications", "mailbox", "remove", "329", "--database-url", db_url)


# The test server offers AUTH without TLS on purpose (loopback); aiosmtpd warns about that.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_send_logs_in_with_the_credentials_of_the_smtp_url(
    db_url, case_factory, free_port, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    sink = SmtpSink(free_port, credentials=("forms@kk", "hemmelig/kode"))
    sink.start()
    try:
        _run("notifications", "mailbox", "set", "101", "sag@kk.example", "--database-url", db_url)
        case_factory(municipality_code=101)
        monkeypatch.setenv("FORMS_SERVICE_SMTP_URL", f"smtp://127.0.0.1:{free_port}")
        out = _run("notifications", "send", "--database-url", db_url)
        assert "0 sendt, 1 prøves igen senere" in out  # no credentials: refused, kept
        failed = _run("notifications", "deliveries", "--database-url", db_url)
        assert "pending\t1\temail\tsag@kk.example" in failed and "SMTP" in failed

        monkeypatch.setenv(
            "FORMS_SERVICE_SMTP_URL", f"smtp://forms%40kk:hemmelig%2Fkode@127.0.0.1:{free_port}"
        )
        [delivery_id] = [line.split("\t")[0] for line in failed.splitlines()]
        _run("notifications", "redeliver", delivery_id, "--database-url", db_url)
        assert "1 sendt" in _run("notifications", "send", "--database-url", db_url)
        assert [m["To"] for m in sink.messages] == ["sag@kk.example"]
        sent = _run("notifications", "deliveries", "--status", "sent", "--database-url", db_url)
        assert "hemmelig" not in sent
    finally:
        sink.stop()


def test_a_malformed_smtp_url_is_a_clear_error(db_url, db_engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FORMS_SERVICE_SMTP_URL", "mail.kk.dk:25")
    result = CliRunner().invoke(main, ["notifications", "send", "--database-url", db_url])
    assert result.exit_code != 0
    assert "FORMS_SERVICE_SMTP_URL skal have formen" in result.output
