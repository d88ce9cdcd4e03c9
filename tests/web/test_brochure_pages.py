"""The communications role's pages: the brochure's versions, preview, changes and Word file."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from forms_service.cases.models import User
from forms_service.cli import main
from forms_service.documents import brochure
from tests.documents.docx_helpers import all_text, open_docx, table_rows
from tests.notifications.support import session_of


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The published 1.0.0 and a 1.1.0 draft with a changed, an added and a removed section,
    in a folder of their own (the bundled folder gets its next version from issue 11)."""
    data = json.loads((brochure.brochure_dir() / "1.0.0.json").read_text("utf-8"))
    (tmp_path / "1.0.0.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    new = copy.deepcopy(data)
    new["version"] = "1.1.0"
    frister = next(s for s in new["sections"] if s["id"] == "frister")
    frister["body"] = frister["body"].replace("**3 måneder**", "**3 måneder og 14 dage**")
    new["sections"] = [s for s in new["sections"] if s["id"] != "mere"]
    new["sections"].append(
        {"id": "telefon", "title": "Ring til os", "body": "Ring på {beløb:telefontid} kr."}
    )
    new["amounts"] = [
        {
            "id": "telefontid",
            "values": [{"year": 2020, "amount": 1000}, {"year": 2028, "amount": 2500}],
        }
    ]
    (tmp_path / "1.1.0.json").write_text(json.dumps(new, ensure_ascii=False), "utf-8")
    monkeypatch.setattr(brochure, "brochure_dir", lambda: tmp_path)
    return tmp_path


def test_communications_logs_in_to_the_brochure_and_sees_no_cases(
    client, login, case_factory
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    login(client, "kommunikation")
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/pjece/")
    page = client.get("/pjece/").get_data(as_text=True)
    assert "<h1>Pjece til borgere</h1>" in page
    # the menu has the brochure and the documents, never the cases
    assert 'href="/pjece/"' in page and 'href="/cases"' not in page
    assert client.get("/cases/").status_code == 403
    assert client.get(f"/cases/{case_id}").status_code == 403
    assert client.get("/status/").status_code == 403
    assert client.get("/editor/").status_code == 403


def test_versions_list_with_what_changed(client, login, two_versions) -> None:  # type: ignore[no-untyped-def]
    login(client, "kommunikation")
    page = client.get("/pjece/").get_data(as_text=True)
    rows = re.findall(r'<tr data-version="([^"]+)">(.*?)</tr>', page, re.S)
    assert [version for version, _ in rows] == ["1.1.0", "1.0.0"]  # newest first
    newest, first = rows[0][1], rows[1][1]
    assert "Nyeste" in newest
    assert (
        "1 nyt afsnit, 1 fjernet afsnit, 1 ændret afsnit, 1 ændret beløb (i forhold til 1.0.0)"
        in newest
    )
    assert 'href="/pjece/1.1.0/aendringer"' in newest
    assert "Første version" in first and "aendringer" not in first
    assert 'href="/pjece/1.0.0.docx"' in first


def test_preview_prints_the_amounts_and_table_of_the_chosen_year(
    client, login, two_versions
) -> None:  # type: ignore[no-untyped-def]
    login(client, "kommunikation")
    page = client.get("/pjece/1.1.0/?aar=2029").get_data(as_text=True)
    assert "<h1>Pjece, version 1.1.0" in page
    assert "Ring på 2.500 kr. (2028-niveau) kr." in page
    rates = re.search(
        r'<table class="table table--compact brochure-rates">(.*?)</table>', page, re.S
    )
    assert rates is not None
    assert re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", rates.group(1)) == [
        ("2029", "3,0 %"),
        ("2030 og frem", "3,3 %"),
    ]
    assert '<option value="2029" selected>' in page
    # markdown becomes HTML (the bold text), a raw tag would not
    assert "<strong>6 år</strong>" in page
    earlier = client.get("/pjece/1.1.0/?aar=2021").get_data(as_text=True)
    assert "Ring på 1.000 kr. (2020-niveau) kr." in earlier
    # an out-of-range or malformed year falls back to a year the leaflet can be printed for
    assert client.get("/pjece/1.1.0/?aar=abc").status_code == 200
    assert '<option value="2040" selected>' in client.get("/pjece/1.1.0/?aar=9999").get_data(
        as_text=True
    )
    assert client.get("/pjece/9.9.9/").status_code == 404


def test_changes_word_by_word_from_the_previous_or_a_chosen_version(
    client, login, two_versions
) -> None:  # type: ignore[no-untyped-def]
    login(client, "kommunikation")
    page = client.get("/pjece/1.1.0/aendringer").get_data(as_text=True)
    assert "Fra version 1.0.0 til 1.1.0:" in page
    frister = re.search(
        r'<section class="brochure-section-change change-changed"(.*?)</section>', page, re.S
    )
    assert frister is not None and "Hvor lang tid tager det?" in frister.group(1)
    assert re.search(
        r"<del><span class=\"sr-only\">\[slettet: </span>måneder\*\*", frister.group(1)
    )
    assert re.search(
        r"<ins><span class=\"sr-only\">\[tilføjet: </span>måneder og 14 dage\*\*", frister.group(1)
    )
    assert "change-added" in page and "Ring til os" in page
    assert "change-removed" in page and "Vil du vide mere?" in page
    assert "Beløbet telefontid" in page and "2020: 1.000 kr.; 2028: 2.500 kr." in page
    # backwards: from 1.1.0 to 1.0.0 the added section is the removed one
    back = client.get("/pjece/1.0.0/aendringer?fra=1.1.0").get_data(as_text=True)
    assert "Fra version 1.1.0 til 1.0.0:" in back
    assert '<option value="1.1.0" selected>' in back
    assert client.get("/pjece/1.1.0/aendringer?fra=0.0.1").status_code == 404


def test_the_word_leaflet_for_a_year(client, login, two_versions) -> None:  # type: ignore[no-untyped-def]
    login(client, "kommunikation")
    response = client.get("/pjece/1.1.0.docx?aar=2029")
    assert response.status_code == 200
    assert "Pjece_seniorpension_1.1.0_2029.docx" in response.headers["Content-Disposition"]
    document = open_docx(response.data)
    text = all_text(document)
    assert "Ring på 2.500 kr. (2028-niveau) kr." in text
    assert "Udkast · pjece version 1.1.0 · indholdshash" in text  # a draft says so
    assert ["2029", "3,0\u00a0%"] in table_rows(document)


@pytest.mark.parametrize("username", ["editor", "admin"])
def test_editor_and_admin_read_the_brochure_too(client, login, username: str) -> None:  # type: ignore[no-untyped-def]
    login(client, username)
    assert client.get("/pjece/").status_code == 200
    assert client.get("/pjece/1.0.0/").status_code == 200


@pytest.mark.parametrize("username", ["kbh", "sp", "analyst"])
def test_others_are_refused(client, login, username: str) -> None:  # type: ignore[no-untyped-def]
    login(client, username)
    for url in ("/pjece/", "/pjece/1.0.0/", "/pjece/1.0.0/aendringer", "/pjece/1.0.0.docx"):
        assert client.get(url).status_code == 403, url


def test_the_admin_creates_a_communications_user_on_the_page_and_with_the_cli(
    app, client, login
) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert '<option value="communications">Kommunikationsmedarbejder</option>' in page
    created = client.post(
        "/admin/users",
        data={
            "action": "create",
            "username": "kommunikation2",
            "display_name": "Kim Kommunikation",
            "role": "communications",
            "password": "en-lang-nok-adgangskode",
        },
    )
    assert created.status_code == 302
    result = CliRunner().invoke(
        main,
        [
            "users",
            "create",
            "kommunikation3",
            "--role",
            "communications",
            "--password",
            "en-lang-nok-adgangskode",
            "--database-url",
            app.config["DATABASE_URL"],
        ],
    )
    assert result.exit_code == 0, result.output
    with session_of(app) as session:
        roles = dict(session.execute(select(User.username, User.role)).all())
    assert roles["kommunikation2"] == roles["kommunikation3"] == "communications"
    listed = client.get("/admin/users").get_data(as_text=True)
    assert listed.count('<td data-title="Rolle">Kommunikationsmedarbejder</td>') == 3
    assert client.post("/logout").status_code == 302
    login(client, "kommunikation2", password="en-lang-nok-adgangskode")
    assert client.get("/pjece/").status_code == 200
