"""``forms-service sso unseen`` and ``sso check`` on a real database and file."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from sqlalchemy import select

from forms_service.cases.models import AuditEntry, User, utcnow
from forms_service.cli import main


def test_unseen_lists_and_deactivates(db_url, db_session, users) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    for user in db_session.scalars(select(User)):
        user.last_login_at = now
    kbh = db_session.scalar(select(User).where(User.username == "kbh"))
    kbh.last_login_at = now - dt.timedelta(days=120)
    analyst = db_session.scalar(select(User).where(User.username == "analyst"))
    analyst.last_login_at = None
    analyst.created_at = now - dt.timedelta(days=100)
    db_session.commit()

    runner = CliRunner()
    result = runner.invoke(main, ["sso", "unseen", "--days", "90", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("\t")[0] for line in lines[:-1]] == ["kbh", "analyst"]
    assert "aldrig" in lines[1]
    assert lines[-1] == "2 brugere fundet."

    result = runner.invoke(
        main, ["sso", "unseen", "--days", "90", "--deactivate", "--database-url", db_url]
    )
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    assert {u.username for u in db_session.scalars(select(User).where(User.active.is_(False)))} == {
        "kbh",
        "analyst",
    }
    entries = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "auth.account_deactivated")
    ).all()
    assert [e.details["reason"] for e in entries] == ["unseen_90_days"] * 2


def test_check_shows_providers_or_the_mistake(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sso.json"
    path.write_text(
        json.dumps(
            {
                "providers": [
                    {
                        "name": "entra",
                        "type": "oidc",
                        "issuer": "https://i",
                        "client_id": "c",
                        "client_secret": "s",
                        "label": "Ringsted",
                        "roles": [
                            {
                                "claim": "groups",
                                "value": "g1",
                                "role": "municipal_caseworker",
                                "municipality": 329,
                            }
                        ],
                    }
                ]
            }
        )
    )
    result = CliRunner().invoke(main, ["sso", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "entra (oidc): Ringsted" in result.output
    assert "groups = g1 → municipal_caseworker 329" in result.output

    path.write_text(json.dumps({"providers": [{"name": "entra", "type": "oidc", "roles": []}]}))
    result = CliRunner().invoke(main, ["sso", "check", str(path)])
    assert result.exit_code != 0 and "$.providers[0].issuer" in result.output
