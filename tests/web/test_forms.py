"""The case form in HTML: rendering both bundled versions, drafts, submit, stale saves, rows,
conditional questions, scope, version pinning, the read-only view, the preview and refresh.

Everything goes through Flask's test client against the migrated test database; answers are
posted as the strings a browser sends (Danish decimal commas, ja/nej).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forms_service.cases.models import AnswerSet, Case
from forms_service.definitions.registry import Registry, default_registry
from forms_service.web.forms.builder import form_class_for

ANSWERS = Path(__file__).resolve().parents[1] / "fixtures" / "answers"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = Path(__file__).resolve().parents[2] / "form_definitions"
FORM = "sagsoplysningsskema"
VERSIONS = {"1.0.0": "v1_complete.json", "2.0.0-pilot.1": "v2_complete.json"}


# --- helpers ------------------------------------------------------------------------------


def answers(name: str) -> dict[str, Any]:
    return json.loads((ANSWERS / name).read_text("utf-8"))


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return f"{value}".replace(".", ",")  # as a Danish caseworker types it
    return str(value)


def post_data(document: dict[str, Any], **extra: str) -> MultiDict[str, str]:
    """An answers document as the (name, value) pairs a browser posts for this form."""
    pairs: list[tuple[str, str]] = []

    def add(name: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, list):
            if value and isinstance(value[0], dict):
                for index, row in enumerate(value):
                    for key, cell in row.items():
                        add(f"{name}-{index}-{key}", cell)
            else:
                pairs.extend((name, _text(v)) for v in value)
        elif isinstance(value, dict):
            for key, part in value.items():
                add(f"{name}-{key}", part)
        else:
            pairs.append((name, _text(value)))

    for key, value in document.items():
        add(key, value)
    pairs.extend(extra.items())
    return MultiDict(pairs)


def pin(app, case_id: int, version: str) -> None:  # type: ignore[no-untyped-def]
    """Test setup: the case is answered with ``version`` (whatever the assignment rule says)."""
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.form_version = version
        session.commit()


def case_row(app, case_id: int) -> Case:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case


def answer_sets(app, case_id: int) -> list[AnswerSet]:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        rows = session.scalars(
            select(AnswerSet).where(AnswerSet.case_id == case_id).order_by(AnswerSet.sequence)
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def revision(app, case_id: int) -> str:  # type: ignore[no-untyped-def]
    return str(case_row(app, case_id).revision)


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else None


class _Inputs(HTMLParser):
    """Collects form controls, labels and fieldset legends of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.fieldsets = 0
        self.legends = 0
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        if tag == "fieldset":
            self.fieldsets += 1
        if tag == "legend":
            self.legends += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def parse(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


@pytest.fixture
def kbh_case(app, client, login, case_factory):  # type: ignore[no-untyped-def]
    """A case of København, sent to the municipality, answered with v1; logged in as kbh."""
    case_id = case_factory(municipality_code=101)
    pin(app, case_id, "1.0.0")
    login(client, "kbh")
    return case_id


# --- rendering and validating both bundled versions ---------------------------------------


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_bundled_versions_render_and_validate(
    app, client, login, case_factory, version: str
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    pin(app, case_id, version)
    login(client, "kbh")
    definition = default_registry().get(FORM, version)

    page = client.get(f"/cases/{case_id}/form")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"Version {version}" in html
    for section in definition.sections:
        assert f'id="section-{section.id}"' in html
        assert section.title in html
    # the intro and the guidance are on the page, rendered from markdown
    assert 'id="guidance-intro"' in html and "<strong>" in html
    assert "<details" in html
    # every visible question is there (conditional ones may be hidden until answered)
    for _section, field in definition.iter_fields():
        if field.visible_if is None:
            assert f'name="{field.id}"' in html or f'id="field-{field.id}' in html, field.id

    # the complete fixture submits without problems and the case becomes submitted
    complete = answers(VERSIONS[version])
    response = client.post(
        f"/cases/{case_id}/form",
        data=post_data(complete, action="submit", base_revision=revision(app, case_id)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert case_row(app, case_id).status == "submitted"
    stored = answer_sets(app, case_id)[-1]
    assert stored.kind == "submission" and stored.version == version
    assert stored.content_hash == definition.content_hash
    # stored as typed JSON, not as the strings the browser posted
    assert stored.answers["atp_aar"] == complete["atp_aar"]
    assert stored.answers["ansaettelser"][0]["timer_pr_uge"] == 37


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_empty_submit_lists_every_required_question_for_both_versions(
    app, client, login, case_factory, version: str
) -> None:  # type: ignore[no-untyped-def]
    from forms_service.answers import validate

    case_id = case_factory(municipality_code=101)
    pin(app, case_id, version)
    login(client, "kbh")
    response = client.post(
        f"/cases/{case_id}/form",
        data={"action": "submit", "base_revision": revision(app, case_id)},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    definition = default_registry().get(FORM, version)
    expected = validate(definition, {}, today=dt.date.today()).problems
    links = re.findall(r'<li><a href="#([^"]+)" class="function-link">', html)
    assert len(links) == len(expected) > 5
    ids = parse(html).ids
    assert all(link in ids for link in links), [x for x in links if x not in ids]
    assert case_row(app, case_id).status == "sent_to_municipality"


def test_generated_form_class_belongs_to_its_version() -> None:
    registry = default_registry()
    v1 = registry.get(FORM, "1.0.0")
    v2 = registry.get(FORM, "2.0.0-pilot.1")
    assert form_class_for(v1).definition is v1
    assert form_class_for(v2).definition is v2
    # the classes are built per call (a cache per version did not pay): no class is shared
    assert form_class_for(v1) is not form_class_for(v1)


# --- drafts -----------------------------------------------------------------------------


def test_draft_with_missing_required_answers_is_saved_and_reloaded(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    draft = answers("v1_minimal_draft.json") | {"atp_aar": 12.5}
    response = client.post(
        f"/cases/{kbh_case}/form",
        data=post_data(draft, action="draft", base_revision=revision(app, kbh_case)),
    )
    assert response.status_code == 302
    assert case_row(app, kbh_case).status == "draft_in_progress"
    stored = answer_sets(app, kbh_case)[-1]
    assert stored.kind == "draft"
    assert stored.answers["navn"] == "Jens Erik Poulsen"
    assert stored.answers["atp_aar"] == 12.5  # "12,5" typed, stored as a number
    assert stored.answers["kendt_i_kommunen"] is False

    page = client.get(f"/cases/{kbh_case}/form").get_data(as_text=True)
    assert "Kladden er gemt." in page
    assert input_value(page, "navn") == "Jens Erik Poulsen"
    assert input_value(page, "atp_aar") == "12,5"
    assert re.search(r'name="kendt_i_kommunen" value="nej" checked', page)
    assert 'class="alert alert-error"' not in page  # a draft is not told what is missing


def test_draft_keeps_an_answer_of_the_wrong_type_and_shows_the_problem(
    app, client, kbh_case
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/cases/{kbh_case}/form",
        data={
            "action": "draft",
            "base_revision": revision(app, kbh_case),
            "atp_aar": "cirka 20",
            "navn": "Ib",
        },
    )
    assert response.status_code == 302
    assert answer_sets(app, kbh_case)[-1].answers["atp_aar"] == "cirka 20"
    page = client.get(f"/cases/{kbh_case}/form").get_data(as_text=True)
    assert input_value(page, "atp_aar") == "cirka 20"
    assert "skal være et tal" in page
    assert 'aria-invalid="true"' in page


def test_draft_starts_with_what_the_case_knows(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/cases/{kbh_case}/form").get_data(as_text=True)
    case = case_row(app, kbh_case)
    assert input_value(page, "sagsnummer") == case.case_number
    assert input_value(page, "ansoegningsdato") == case.application_date.strftime("%d.%m.%Y")
    assert input_value(page, "kommune") == "København Kommune"


def test_an_impossible_date_is_kept_as_typed_and_explained(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    base = revision(app, kbh_case)
    page = client.post(
        f"/cases/{kbh_case}/form",
        data={"action": "submit", "base_revision": base, "seneste_job_fra": "31.02.2019"},
    ).get_data(as_text=True)
    assert input_value(page, "seneste_job_fra") == "31.02.2019"
    assert "31.02.2019 er ikke en gyldig dato, den dag findes ikke" in page
    assert 'href="#field-seneste_job_fra"' in page
    # a Danish date that exists is read as that date and stored as ISO
    response = client.post(
        f"/cases/{kbh_case}/form",
        data={"action": "draft", "base_revision": base, "seneste_job_fra": "5.11.2019"},
    )
    assert response.status_code == 302
    assert answer_sets(app, kbh_case)[-1].answers["seneste_job_fra"] == "2019-11-05"
    page = client.get(f"/cases/{kbh_case}/form").get_data(as_text=True)
    assert input_value(page, "seneste_job_fra") == "05.11.2019"


# --- submit with problems: the error summary ------------------------------------------


def test_submit_with_problems_shows_summary_messages_and_aria(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    document = answers("v1_complete.json")
    del document["navn"]
    document["ansaettelser"][1]["timer_pr_uge"] = "mange"
    response = client.post(
        f"/cases/{kbh_case}/form",
        data=post_data(document, action="submit", base_revision=revision(app, kbh_case)),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<div class="alert alert-error" role="alert"' in html
    assert "Der er 2 fejl, der skal rettes" in html
    assert '<a href="#field-navn" class="function-link">Angiv »Borgerens navn«.</a>' in html
    assert 'href="#field-ansaettelser-1-timer_pr_uge"' in html
    # the message above the field, tied to the input
    assert re.search(
        r'<div class="form-group field-text form-error" id="navn-container">\s*'
        r'<label class="form-label" for="field-navn">',
        html,
    )
    assert '<span class="form-error-message" id="navn-error">' in html
    assert re.search(
        r'id="field-navn" name="navn" value=""\s+type="text" aria-describedby="navn-hint navn-error"'
        r' aria-invalid="true"',
        html,
    )
    assert re.search(
        r'id="field-ansaettelser-1-timer_pr_uge" name="ansaettelser-1-timer_pr_uge" value="mange"',
        html,
    )
    # the other answers came back, and nothing was stored
    assert input_value(html, "ansaettelser-2-arbejdsgiver") == "Esbjerg Kommune, Hjemmeplejen Vest"
    assert answer_sets(app, kbh_case) == []
    # the page remembers it showed a submit's problems (the refresh keeps checking them)
    assert 'name="shown_validation" value="complete"' in html


def test_cross_field_check_is_shown_on_its_field(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    document = answers("v1_complete.json")
    document["ansaettelser"][0]["til"] = "1990-01-01"  # before "fra"
    html = client.post(
        f"/cases/{kbh_case}/form",
        data=post_data(document, action="submit", base_revision=revision(app, kbh_case)),
    ).get_data(as_text=True)
    assert 'href="#field-ansaettelser-0-til"' in html
    assert "Slutdato skal ligge efter startdato" in html


def test_after_a_failed_submit_a_refresh_keeps_showing_what_is_missing(
    app, client, kbh_case
) -> None:  # type: ignore[no-untyped-def]
    data = {"navn": "Ib", "base_revision": revision(app, kbh_case)}
    html = client.post(f"/cases/{kbh_case}/form", data=data | {"action": "submit"}).get_data(
        as_text=True
    )
    assert 'name="shown_validation" value="complete"' in html
    again = client.post(
        f"/cases/{kbh_case}/form",
        data=data | {"action": "refresh", "shown_validation": "complete", "cpr": "0101601234"},
    ).get_data(as_text=True)
    assert 'href="#field-kontakt_navn"' in again  # still required
    assert 'href="#field-cpr"' not in again  # answered now
    fragment = client.post(
        f"/cases/{kbh_case}/form/refresh", data=data | {"shown_validation": "complete"}
    ).get_json()
    assert 'href="#field-kontakt_navn"' in fragment["summary"]
    plain = client.post(f"/cases/{kbh_case}/form", data=data | {"action": "refresh"})
    assert 'class="alert alert-error"' not in plain.get_data(as_text=True)


# --- stale saves ------------------------------------------------------------------------


def test_stale_draft_save_is_refused_and_the_posted_answers_come_back(
    app, client, kbh_case, users
) -> None:  # type: ignore[no-untyped-def]
    opened_at = revision(app, kbh_case)
    # a colleague saves first, from the same starting point
    first = client.post(
        f"/cases/{kbh_case}/form",
        data={"action": "draft", "base_revision": opened_at, "navn": "Kollegas navn"},
    )
    assert first.status_code == 302
    stored_before = answer_sets(app, kbh_case)

    response = client.post(
        f"/cases/{kbh_case}/form",
        data={
            "action": "draft",
            "base_revision": opened_at,
            "navn": "Mit navn",
            "atp_aar": "21,5",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Dine ændringer er ikke gemt" in html
    assert "Borgerens navn" in html  # the question answered differently is named
    assert input_value(html, "navn") == "Mit navn"
    assert input_value(html, "atp_aar") == "21,5"
    assert len(answer_sets(app, kbh_case)) == len(stored_before)
    # the page now carries the newest revision: saving again is a deliberate overwrite
    current = revision(app, kbh_case)
    assert f'name="base_revision" value="{current}"' in html
    again = client.post(
        f"/cases/{kbh_case}/form",
        data={"action": "draft", "base_revision": current, "navn": "Mit navn"},
    )
    assert again.status_code == 302
    assert answer_sets(app, kbh_case)[-1].answers["navn"] == "Mit navn"


# --- repeat rows without JavaScript ---------------------------------------------------


def test_add_and_remove_rows_as_form_submits(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    base = revision(app, kbh_case)
    added = client.post(
        f"/cases/{kbh_case}/form",
        data={"action": "add_row:ansaettelser", "base_revision": base, "navn": "Ib"},
    )
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert 'name="ansaettelser-0-fra"' in html and 'name="ansaettelser-1-fra"' not in html
    assert input_value(html, "navn") == "Ib"  # nothing lost, nothing stored
    assert answer_sets(app, kbh_case) == []
    # each cell is labelled, with its row number for screen readers
    assert (
        '<label class="form-label" for="field-ansaettelser-0-fra">Fra'
        '<span class="sr-only">, række 1</span>'
    ) in html
    # the new row is where the browser lands, with its first input focused (no JavaScript)
    assert f'formaction="/cases/{kbh_case}/form#field-ansaettelser-1-row"' in html
    assert 'id="field-ansaettelser-0-row"' in html
    assert len(re.findall(r"\bautofocus\b", html)) == 1
    assert re.search(r'<input[^>]*id="field-ansaettelser-0-[a-z_]+"[^>]*autofocus', html)

    rows = answers("v1_complete.json")["ansaettelser"]
    removed = client.post(
        f"/cases/{kbh_case}/form",
        data=post_data(
            {"ansaettelser": rows}, action="remove_row:ansaettelser:0", base_revision=base
        ),
    ).get_data(as_text=True)
    # the second and third rows moved up and are numbered 0 and 1 again
    assert input_value(removed, "ansaettelser-0-arbejdsgiver") == rows[1]["arbejdsgiver"]
    assert input_value(removed, "ansaettelser-1-arbejdsgiver") == rows[2]["arbejdsgiver"]
    assert 'name="ansaettelser-2-fra"' not in removed
    assert 'value="remove_row:ansaettelser:1"' in removed

    # attachments inside a repeat row keep their parts
    docs = answers("v1_complete.json")["helbredsdokumenter"]
    html = client.post(
        f"/cases/{kbh_case}/form",
        data=post_data(
            {"helbredsdokumenter": docs}, action="add_row:helbredsdokumenter", base_revision=base
        ),
    ).get_data(as_text=True)
    assert input_value(html, "helbredsdokumenter-1-dokument-title") == docs[1]["dokument"]["title"]
    assert 'name="helbredsdokumenter-2-dokument-title"' in html


# --- conditional questions --------------------------------------------------------------


def test_hidden_question_is_not_rendered_and_its_answer_is_dropped(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    shown = client.post(
        f"/cases/{kbh_case}/form",
        data={"action": "refresh", "borger_partshoert": "ja"},
    ).get_data(as_text=True)
    assert 'name="partshoering_dato"' in shown

    response = client.post(
        f"/cases/{kbh_case}/form",
        data={
            "action": "draft",
            "base_revision": revision(app, kbh_case),
            "borger_partshoert": "nej",
            "partshoering_dato": "2025-05-12",  # left over from when the answer was "ja"
        },
    )
    assert response.status_code == 302
    stored = answer_sets(app, kbh_case)[-1].answers
    assert stored["borger_partshoert"] is False
    assert "partshoering_dato" not in stored
    page = client.get(f"/cases/{kbh_case}/form").get_data(as_text=True)
    assert 'name="partshoering_dato"' not in page


def test_employment_of_20_to_25_years_asks_for_the_concrete_assessment(
    app, client, kbh_case
) -> None:  # type: ignore[no-untyped-def]
    document = answers("v1_20_25_years.json")
    without_rows = {k: v for k, v in document.items() if k != "ansaettelser"}
    html = client.post(
        f"/cases/{kbh_case}/form", data=post_data(without_rows, action="refresh")
    ).get_data(as_text=True)
    assert 'name="konkret_vurdering"' not in html

    html = client.post(
        f"/cases/{kbh_case}/form", data=post_data(document, action="refresh")
    ).get_data(as_text=True)
    assert 'name="konkret_vurdering"' in html
    # the computed full-time years are shown in their section
    years = re.search(r'<dd id="computed-fuldtidsaar">([^<]+)</dd>', html)
    assert years and years.group(1).endswith(" år")
    value = float(years.group(1).split()[0].replace(",", "."))
    assert 20.0 <= value < 25.0


def test_refresh_endpoint_returns_only_what_changed(app, client, kbh_case) -> None:  # type: ignore[no-untyped-def]
    document = answers("v1_20_25_years.json")
    without_rows = {k: v for k, v in document.items() if k != "ansaettelser"}
    before = client.post(f"/cases/{kbh_case}/form/refresh", data=post_data(without_rows))
    after = client.post(f"/cases/{kbh_case}/form/refresh", data=post_data(document))
    assert before.status_code == after.status_code == 200
    a, b = before.get_json(), after.get_json()
    changed = {
        k for k in a["sections"] if a["sections"][k]["signature"] != b["sections"][k]["signature"]
    }
    # the rows and the assessment live in "tilknytning"; the latest-job values are computed
    assert "section-tilknytning" in changed
    assert "section-sagen" not in changed and "section-kontakt" not in changed
    assert 'name="konkret_vurdering"' in b["sections"]["section-tilknytning"]["html"]
    assert 'name="konkret_vurdering"' not in a["sections"]["section-tilknytning"]["html"]
    # without periods there is nothing to compute: it says what it waits for, not "0,0 år"
    assert (
        a["computed"]["computed-fuldtidsaar"]
        == "Kan ikke beregnes endnu (mangler: Beskæftigelsesperioder)"
    )
    after_years = float(b["computed"]["computed-fuldtidsaar"].removesuffix(" år").replace(",", "."))
    assert 20.0 <= after_years < 25.0
    assert b["summary"] == ""  # a draft-level refresh reports no missing answers
    # the completeness checklist beside the form follows the answers too
    assert 'id="completeness"' in b["completeness"]
    assert answer_sets(app, kbh_case) == []


# --- access and version pinning ---------------------------------------------------------


def test_other_municipality_gets_404_and_roles_are_enforced(
    app, client, login, case_factory
) -> None:  # type: ignore[no-untyped-def]
    other = case_factory(municipality_code=329)
    login(client, "kbh")
    assert client.get(f"/cases/{other}/form").status_code == 404
    assert client.post(f"/cases/{other}/form", data={"action": "draft"}).status_code == 404
    assert client.post(f"/cases/{other}/form/refresh", data={}).status_code == 404
    assert answer_sets(app, other) == []
    client.post("/logout")
    login(client, "analyst")
    assert client.get(f"/cases/{other}/form").status_code == 403


def test_seniorpension_sees_the_answers_read_only(app, client, login, kbh_case) -> None:  # type: ignore[no-untyped-def]
    client.post(
        f"/cases/{kbh_case}/form",
        data=post_data(
            answers("v1_complete.json"), action="submit", base_revision=revision(app, kbh_case)
        ),
    )
    # once submitted, the municipality sees it read-only too, and a late save is refused
    own = client.get(f"/cases/{kbh_case}/form").get_data(as_text=True)
    assert 'id="skema"' not in own and "Karin Holm Madsen" in own
    late = client.post(f"/cases/{kbh_case}/form", data={"action": "draft", "navn": "Sent"})
    assert late.status_code == 409
    assert "kan ikke ændres, mens sagen har status »Indsendt«" in late.get_data(as_text=True)
    client.post("/logout")
    login(client, "sp")
    response = client.get(f"/cases/{kbh_case}/form")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="skema"' not in html and "<input" not in html.split('id="main-content"')[1]
    assert "Viser indsendte svar" in html
    assert "Karin Holm Madsen" in html
    assert "Esbjerg Kommune, Hjemmeplejen Vest" in html  # a repeat row, as text
    assert "Lægeattest til brug i sag om seniorpension" in html  # an attachment
    assert client.post(f"/cases/{kbh_case}/form", data={"action": "draft"}).status_code == 403


def test_case_pinned_to_v1_keeps_v1_after_a_newer_version_exists(
    app, client, login, case_factory, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    definitions = tmp_path / "definitions"
    shutil.copytree(BUNDLED / FORM, definitions / FORM)
    registry = Registry(definitions)
    pinned_app = create_app(
        {
            "DATABASE_URL": app.config["DATABASE_URL"],
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance2"),
            "REGISTRY": registry,
        }
    )
    pinned_client = pinned_app.test_client()
    case_id = case_factory(municipality_code=101)
    pin(app, case_id, "1.0.0")

    newer = fixture("forms_newer_version.json")
    base = json.loads((BUNDLED / FORM / "1.0.0.json").read_text("utf-8"))
    base.update(version=newer["version"], title=newer["title"])
    base["sections"][0]["fields"].append(newer["new_field"])
    (definitions / FORM / f"{newer['version']}.json").write_text(
        json.dumps(base, ensure_ascii=False), "utf-8"
    )
    assert registry.latest(FORM).version == newer["version"]

    login(pinned_client, "kbh")
    html = pinned_client.get(f"/cases/{case_id}/form").get_data(as_text=True)
    assert "Version 1.0.0" in html
    assert newer["title"] not in html
    assert f'name="{newer["new_field"]["id"]}"' not in html
    saved = pinned_client.post(
        f"/cases/{case_id}/form",
        data={"action": "draft", "base_revision": revision(app, case_id), "navn": "Ib"},
    )
    assert saved.status_code == 302
    assert answer_sets(app, case_id)[-1].version == "1.0.0"

    # the preview of the newer version shows its new question
    preview = pinned_client.get(f"/forms/{FORM}/{newer['version']}/preview")
    assert f'name="{newer["new_field"]["id"]}"' in preview.get_data(as_text=True)
    pinned_app.extensions["forms_service.engine"].dispose()


# --- preview ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_preview_validates_test_answers_and_stores_nothing(
    app, client, login, version: str
) -> None:  # type: ignore[no-untyped-def]
    login(client, "editor")
    page = client.get(f"/forms/{FORM}/{version}/preview")
    assert page.status_code == 200
    assert "bliver ikke gemt" in page.get_data(as_text=True)

    tested = client.post(
        f"/forms/{FORM}/{version}/preview", data={"action": "validate", "navn": "Test"}
    ).get_data(as_text=True)
    assert 'class="alert alert-error"' in tested
    assert input_value(tested, "navn") == "Test"

    valid = client.post(
        f"/forms/{FORM}/{version}/preview",
        data=post_data(answers(VERSIONS[version]), action="validate"),
    ).get_data(as_text=True)
    assert 'id="preview-valid"' in valid and 'class="alert alert-error"' not in valid
    assert 'id="completeness"' in valid  # the checklist of the test answers, beside the form
    refreshed = client.post(
        f"/forms/{FORM}/{version}/preview/refresh", data={"borger_partshoert": "ja"}
    ).get_json()
    assert any('name="partshoering_dato"' in s["html"] for s in refreshed["sections"].values())
    with app.extensions["forms_service.sessions"]() as session:
        assert session.scalars(select(AnswerSet)).all() == []


def test_preview_roles_and_unknown_versions(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "analyst")
    assert client.get(f"/forms/{FORM}/1.0.0/preview").status_code == 403
    client.post("/logout")
    login(client, "sp")
    assert client.get(f"/forms/{FORM}/1.0.0/preview").status_code == 200
    assert client.get(f"/forms/{FORM}/9.9.9/preview").status_code == 404
    assert client.get("/forms/ukendt/1.0.0/preview").status_code == 404


# --- accessibility in the markup ----------------------------------------------------------


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_every_control_has_a_label_and_groups_have_legends(
    app, client, login, case_factory, version: str
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    pin(app, case_id, version)
    login(client, "kbh")
    # with rows in every repeat group, so the table cells are checked too
    html = client.post(
        f"/cases/{case_id}/form",
        data=post_data(answers(VERSIONS[version]), action="refresh"),
    ).get_data(as_text=True)
    found = parse(html)
    assert found.controls
    unlabelled = [c.get("name") for c in found.controls if c.get("id") not in found.label_for]
    assert unlabelled == []
    assert found.fieldsets == found.legends >= len(default_registry().get(FORM, version).sections)
    assert 'lang="da"' in html
    # headings never skip a level
    levels = found.headings
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), str(levels)
    # hints are tied to their inputs
    for hint_id in re.findall(r'<span class="form-hint" id="([^"]+)"', html):
        assert f'aria-describedby="{hint_id}' in html or f' {hint_id}"' in html, hint_id
