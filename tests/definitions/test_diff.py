"""Structural diff of two definitions by stable ids, on small hand-made versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms_service.definitions.diff import (
    DefinitionDiff,
    OptionChange,
    diff_definitions,
    render_text,
    render_word_diff,
    similarity,
    word_diff,
)
from forms_service.definitions.loader import load_definition_data, load_definition_file
from forms_service.definitions.model import FormDefinition

FIXTURES = Path(__file__).parent / "fixtures"
DIFFTEST = FIXTURES / "difftest"


@pytest.fixture(scope="module")
def old() -> FormDefinition:
    return load_definition_file(DIFFTEST / "1.0.0.json")


@pytest.fixture(scope="module")
def new() -> FormDefinition:
    return load_definition_file(DIFFTEST / "2.0.0.json")


@pytest.fixture(scope="module")
def diff(old: FormDefinition, new: FormDefinition) -> DefinitionDiff:
    return diff_definitions(old, new)


# ----------------------------------------------------------------------------- word diff


@pytest.mark.parametrize(
    ("old", "new", "rendered"),
    [
        ("Svar ja eller nej.", "Svar ja eller nej.", "Svar ja eller nej."),
        ("Svar ja.", "Svar altid ja.", "Svar {+altid+} ja."),
        ("Svar altid ja.", "Svar ja.", "Svar [-altid-] ja."),
        ("a b c d", "a x c d", "a [-b-]{+x+} c d"),
        ("a b c", "x y z", "[-a b c-]{+x y z+}"),
        (None, "Ny tekst", "{+Ny tekst+}"),
        ("Gammel tekst", None, "[-Gammel tekst-]"),
        ("Linje et.\n\nLinje to.", "Linje et.\n\nLinje tre.", "Linje et.\n\nLinje [-to.-]{+tre.+}"),
    ],
)
def test_word_diff(old: str | None, new: str | None, rendered: str) -> None:
    segments = word_diff(old, new)
    assert render_word_diff(segments) == rendered
    # the segments rebuild both texts (white space aside)
    old_side = "".join(s.text for s in segments if s.op != "added")
    new_side = "".join(s.text for s in segments if s.op != "removed")
    assert old_side.split() == (old or "").split()
    assert new_side.split() == (new or "").split()


def test_similarity() -> None:
    assert similarity(word_diff("a b c", "a b c")) == 1.0
    assert similarity(word_diff("a b c", "x y z")) == 0.0
    assert 0.5 < similarity(word_diff("en to tre fire", "en to tre fem")) < 1.0


# ----------------------------------------------------------------------------- structure


def test_identical_versions_have_an_empty_diff(old: FormDefinition) -> None:
    same = diff_definitions(old, old)
    assert same.is_empty
    assert same.sections == () and same.form == () and same.computed == ()
    assert "Ingen ændringer: de to versioner har samme indhold." in render_text(same)


def test_a_reformatted_file_is_not_a_change(old: FormDefinition) -> None:
    data = json.loads((DIFFTEST / "1.0.0.json").read_text("utf-8"))
    data["version"] = "1.0.1"
    copy = load_definition_data(data, "difftest/1.0.1.json")
    result = diff_definitions(old, copy)
    assert result.is_empty
    assert "Ingen strukturelle ændringer" in render_text(result)


def test_sections_added_removed_moved(diff: DefinitionDiff) -> None:
    assert [(s.id, s.status, s.moved, s.old_position, s.new_position) for s in diff.sections] == [
        ("borger", "unchanged", False, 1, 0),
        ("sagen", "unchanged", True, 0, 1),
        ("tilknytning", "changed", False, 2, 2),
        ("helbred", "added", False, None, 3),
        ("kontakt", "removed", False, 3, None),
    ]
    [guidance] = diff.section("tilknytning").changes
    assert guidance.attribute == "guidance"
    assert render_word_diff(guidance.words) == (
        "Beskriv tilknytningen til [-arbejdsmarkedet.-]{+arbejdsmarkedet med alle perioder.+}"
    )


def test_fields_grouped_by_section(diff: DefinitionDiff) -> None:
    grouped = {s.id: [(f.id, f.status, f.moved) for f in s.fields] for s in diff.sections}
    assert grouped == {
        "borger": [("fulde_navn", "changed", False), ("bemaerkning", "changed", False),
                   ("telefon", "removed", False)],
        "sagen": [("sagsnummer", "changed", False), ("ansoegningsdato", "changed", False),
                  ("kendt", "changed", False), ("ydelse", "changed", False),
                  ("sagsbehandler", "moved", True)],
        "tilknytning": [("vurdering", "changed", False), ("ansaettelser", "changed", True)],
        "helbred": [("helbredsoplysninger", "added", False)],
        "kontakt": [],
    }  # fmt: skip
    # unchanged fields (cpr) are not listed at all
    assert diff.field("cpr") is None


def test_a_field_moved_to_another_section(diff: DefinitionDiff) -> None:
    moved = diff.field("sagsbehandler")
    assert (moved.old_section, moved.new_section, moved.moved_section) == ("kontakt", "sagen", True)
    assert moved.changes == ()


def test_a_field_moved_within_its_section(diff: DefinitionDiff) -> None:
    moved = diff.field("ansaettelser")
    assert (moved.old_section, moved.new_section, moved.moved_section) == (
        "tilknytning",
        "tilknytning",
        False,
    )
    assert (moved.old_position, moved.new_position) == (0, 1)


def test_changed_label_hint_required_and_condition(diff: DefinitionDiff) -> None:
    sagsnummer = diff.field("sagsnummer")
    assert [(c.attribute, c.old, c.new) for c in sagsnummer.changes] == [
        ("label", "Sagsnummer", "Seniorpensions sagsnummer"),
        ("hint", None, "Står i anmodningen."),
    ]
    assert render_word_diff(sagsnummer.change("label").words) == (
        "[-Sagsnummer-]{+Seniorpensions sagsnummer+}"
    )
    assert [(c.attribute, c.old, c.new) for c in diff.field("ansoegningsdato").changes] == [
        ("required", False, True)
    ]
    vurdering = diff.field("vurdering")
    assert [c.attribute for c in vurdering.changes] == ["visible_if", "guidance"]
    assert vurdering.change("visible_if").words is None  # expressions are shown whole
    assert render_word_diff(vurdering.change("guidance").words) == (
        "Vurder arbejdets [-art-]{+art, omfang+} og [-omfang.-]{+timetal.+}"
    )
    assert not vurdering.guidance_may_be_stale


def test_options_added_removed_relabelled(diff: DefinitionDiff) -> None:
    ydelse = diff.field("ydelse")
    assert ydelse.options == (
        OptionChange("kontanthjaelp", "removed", old_label="Kontanthjælp"),
        OptionChange("fleksjob", "relabelled", old_label="Fleksjob",
                     new_label="Fleksjob (visiteret)"),
        OptionChange("ledighed", "added", new_label="Ledighedsydelse"),
    )  # fmt: skip
    assert not ydelse.options_reordered
    assert ydelse.changes == ()


def test_guidance_may_be_stale_when_the_question_changed_but_not_its_guidance(
    diff: DefinitionDiff,
) -> None:
    assert diff.field("kendt").guidance_may_be_stale
    assert diff.stale_guidance == ("kendt",)


def test_type_changes_and_migrations(diff: DefinitionDiff) -> None:
    bemaerkning = diff.field("bemaerkning")
    assert bemaerkning.change("type").to_dict() == {
        "attribute": "type",
        "old": "text",
        "new": "textarea",
    }
    assert not bemaerkning.type_change_without_migration  # declared in migrations
    timer = diff.field("ansaettelser").subfields[0]
    assert timer.id == "timer_pr_uge"
    assert timer.type_change_without_migration


def test_a_renamed_field_is_paired_through_its_migration(diff: DefinitionDiff) -> None:
    renamed = diff.field("fulde_navn")
    assert renamed.renamed_from == "navn"
    assert [(c.attribute, c.old, c.new) for c in renamed.changes] == [
        ("label", "Navn", "Fulde navn")
    ]
    assert diff.field("navn") is None  # not also reported as removed


def test_repeat_sub_fields(diff: DefinitionDiff) -> None:
    subs = diff.field("ansaettelser").subfields
    assert [(s.id, s.status) for s in subs] == [
        ("timer_pr_uge", "changed"),
        ("loentilskud", "added"),
    ]
    assert [(c.attribute, c.old, c.new) for c in subs[0].changes] == [
        ("type", "number", "integer"),
        ("max", 80, 60),
    ]
    assert diff.field("ansaettelser").changes == ()


def test_form_level_changes(diff: DefinitionDiff) -> None:
    assert [(c.attribute, c.old, c.new) for c in diff.form] == [
        ("title", "Sagsoplysning", "Sagsoplysningsskema"),
        ("guidance.intro", "Udfyld alle felter.", "Udfyld alle felter, før sagen sendes."),
    ]


def test_computed_checks_criteria_and_migrations(diff: DefinitionDiff) -> None:
    assert [c.to_dict() for c in diff.computed] == [
        {"id": "fuldtidsaar", "status": "changed",
         "changes": [{"attribute": "decimals", "old": None, "new": 1}]},
        {"id": "under_25", "status": "added", "changes": [], "summary": "fuldtidsaar < 25.0"},
    ]  # fmt: skip
    [check] = diff.checks
    assert (check.id, check.status) == ("til_efter_fra", "changed")
    assert render_word_diff(check.change("message").words) == (
        "Slutdatoen skal ligge efter {+eller på+} startdatoen."
    )
    assert [(c.id, c.status) for c in diff.completeness] == [
        ("kriterie_1", "changed"),
        ("kriterie_3", "added"),
        ("kriterie_2", "removed"),
    ]
    kriterie_1 = diff.completeness[0]
    assert kriterie_1.changes == ()
    assert [(c.id, c.status, c.summary) for c in kriterie_1.checks] == [
        ("checks[0]", "added", "size(ansaettelser) > 0"),
        ("checks[1]", "changed", None),
    ]
    assert [(c.attribute, c.old, c.new) for c in kriterie_1.checks[1].changes] == [
        ("message", "Under 20 år.", "Under 20 års fuldtidsbeskæftigelse.")
    ]
    assert [(m.id, m.status, m.summary) for m in diff.migrations] == [
        ("bemaerkning", "added", "type_change=text->textarea"),
        ("fulde_navn", "added", "renamed_from=navn"),
    ]


def test_counts(diff: DefinitionDiff) -> None:
    assert diff.counts() == {
        "sections_added": 1,
        "sections_removed": 1,
        "sections_changed": 2,
        "fields_added": 1,
        "fields_removed": 1,
        "fields_changed": 8,
        "fields_moved": 2,
        "guidance_may_be_stale": 1,
    }


def test_the_reverse_diff_mirrors_added_and_removed(
    old: FormDefinition, new: FormDefinition
) -> None:
    back = diff_definitions(new, old)
    assert [(s.id, s.status) for s in back.sections if s.status in ("added", "removed")] == [
        ("kontakt", "added"),
        ("helbred", "removed"),
    ]
    assert back.field("telefon").status == "added"
    assert back.field("helbredsoplysninger").status == "removed"
    assert back.field("ansoegningsdato").change("required").to_dict() == {
        "attribute": "required",
        "old": True,
        "new": False,
    }
    ydelse = back.field("ydelse")
    assert {(o.value, o.status) for o in ydelse.options} == {
        ("kontanthjaelp", "added"),
        ("ledighed", "removed"),
        ("fleksjob", "relabelled"),
    }


def test_to_dict_is_plain_json(diff: DefinitionDiff, old: FormDefinition) -> None:
    data = diff.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert (data["old"], data["new"]) == ("difftest@1.0.0", "difftest@2.0.0")
    assert data["old_hash"] == old.content_hash and data["identical"] is False
    assert data["guidance_may_be_stale"] == ["kendt"]
    kendt = next(f for s in data["sections"] for f in s["fields"] if f["id"] == "kendt")
    assert kendt["changes"][0]["word_diff"] == (
        "[-Kendt-]{+Er borgeren kendt+} i [-kommunen-]{+kommunen?+}"
    )
    assert kendt["changes"][0]["words"][0] == {"op": "removed", "text": "Kendt"}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_rendered_text_matches_the_reviewed_file(diff: DefinitionDiff, lang: str) -> None:
    expected = (DIFFTEST / f"diff_1.0.0_2.0.0.{lang}.txt").read_text("utf-8")
    assert render_text(diff, lang=lang) == expected


def test_rendered_text_is_grouped_by_section(diff: DefinitionDiff) -> None:
    lines = render_text(diff).splitlines()
    sagen = lines.index('~ Sektion sagen "Sagen" [flyttet (plads 1 → 2)]')
    tilknytning = lines.index('~ Sektion tilknytning "Tilknytning" [ændret]')
    block = lines[sagen:tilknytning]
    assert "            ~ fleksjob: ny tekst: Fleksjob {+(visiteret)+}" in block
    assert (
        "    → felt sagsbehandler (text) \"Sagsbehandler\": flyttet fra sektion 'kontakt'" in block
    )
    assert lines[-1].startswith("I alt: felter 1 tilføjet, 1 fjernet, 8 ændret, 2 flyttet")


def test_long_rewritten_guidance_is_shown_as_old_and_new_lines(old: FormDefinition) -> None:
    data = json.loads((DIFFTEST / "1.0.0.json").read_text("utf-8"))
    data["version"] = "1.1.0"
    data["guidance"]["sufficient"] = (
        "Sagen er oplyst, når alle kriterier er opfyldt.\n\n"
        "Hvis noget mangler, så skriv hvad kommunen har gjort for at skaffe det."
    )
    newer = load_definition_data(data, "difftest/1.1.0.json")
    text = render_text(diff_definitions(old, newer))
    assert (
        "  ~ vejledning (tilstrækkeligt oplyst):\n"
        "        Sagen er oplyst, når alle kriterier er opfyldt.\n"
        "      + \n"
        "      + Hvis noget mangler, så skriv hvad kommunen har gjort for at skaffe det.\n"
    ).replace("+ \n", "+\n") in text


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        render_text(DefinitionDiff("a@1", "a@2", "x", "y"), lang="de")


def test_reordered_options_and_a_stale_sub_field_guidance(old: FormDefinition) -> None:
    data = json.loads((DIFFTEST / "1.0.0.json").read_text("utf-8"))
    data["version"] = "1.2.0"
    data["sections"][0]["fields"][3]["options"].reverse()
    repeat = data["sections"][2]["fields"][0]
    repeat["fields"][2]["guidance"] = "Gennemsnitligt antal timer."
    older = load_definition_data(
        json.loads(json.dumps(data).replace('"version": "1.2.0"', '"version": "1.1.0"')),
        "difftest/1.1.0.json",
    )
    repeat["fields"][2]["max"] = 60
    newer = load_definition_data(data, "difftest/1.2.0.json")
    result = diff_definitions(older, newer)
    assert [f.id for f in result.iter_fields()] == ["ansaettelser"]
    assert result.stale_guidance == ("ansaettelser.timer_pr_uge",)
    reordered = diff_definitions(old, newer).field("ydelse")
    assert reordered.options == () and reordered.options_reordered
    assert "svarmulighedernes rækkefølge er ændret" in render_text(diff_definitions(old, newer))
