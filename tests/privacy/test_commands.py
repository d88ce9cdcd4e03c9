"""``forms-service retention …`` and ``forms-service gdpr export`` on a migrated database."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy.orm import Session

from forms_service.cases.models import Case
from forms_service.cli import main

from .conftest import PEOPLE


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_retention_commands(db_url: str, db_session: Session, history: Callable[..., Case]) -> None:
    case = history(
        "anna",
        applied=dt.date(2019, 12, 1),
        submitted=dt.date(2020, 2, 1),
        decided=dt.date(2020, 3, 15),
    )
    dry = _run("retention", "run", "--database-url", db_url, "--dry-run", "--today", "2025-03-15")
    assert dry.exit_code == 0, dry.output
    assert "(prøvekørsel)" in dry.output and case.case_number in dry.output
    assert "Afgjort sag (bevilget eller afslået): 1 sager ville blive slettet" in dry.output

    held = _run(
        "retention",
        "hold",
        case.case_number,
        "--database-url",
        db_url,
        "--reason",
        "Klage under behandling",
    )
    assert held.exit_code == 0 and "tilbageholdt" in held.output
    run = _run("retention", "run", "--database-url", db_url, "--today", "2025-03-15")
    assert f"Tilbageholdt, ikke slettet: {case.case_number}" in run.output
    released = _run("retention", "release", case.case_number, "--database-url", db_url)
    assert released.exit_code == 0
    run = _run("retention", "run", "--database-url", db_url, "--today", "2025-03-15")
    assert "1 sager slettet" in run.output
    log = _run("retention", "log", "--database-url", db_url)
    assert f"sag-id {case.id}" in log.output and "decided" in log.output
    assert PEOPLE["anna"]["citizen_name"] not in run.output + log.output

    unknown = CliRunner().invoke(
        main, ["retention", "hold", "SP-NOPE", "--database-url", db_url, "--reason", "Klage"]
    )
    assert unknown.exit_code != 0 and "findes ikke" in unknown.output


def test_gdpr_export_command_admin_only(
    db_url: str, db_session: Session, history: Callable[..., Case], tmp_path: Path
) -> None:
    case = history("anna", applied=dt.date(2025, 1, 5), drafted=dt.date(2025, 2, 1))
    target = tmp_path / "indsigt.zip"
    refused = CliRunner().invoke(
        main,
        [
            "gdpr",
            "export",
            PEOPLE["anna"]["cpr"],
            "-o",
            str(target),
            "--admin",
            "sp",
            "--database-url",
            db_url,
        ],
    )
    assert refused.exit_code != 0 and "kun administratorer" in refused.output
    assert not target.exists()

    done = _run(
        "gdpr",
        "export",
        PEOPLE["anna"]["cpr"],
        "-o",
        str(target),
        "--admin",
        "admin",
        "--database-url",
        db_url,
    )
    assert done.exit_code == 0, done.output
    assert "1 sager" in done.output
    payload = json.loads(zipfile.ZipFile(io.BytesIO(target.read_bytes())).read("indsigt.json"))
    assert [c["case_number"] for c in payload["cases"]] == [case.case_number]
    assert PEOPLE["anna"]["cpr"] not in done.output
