"""Answer migration: by field id, following the new version's migrations, nothing lost silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers.migration import migrate_answers
from forms_service.definitions.loader import load_definition_data
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import Registry, definitions_root

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "answers"
V2 = "sagsoplysningsskema@2.0.0-pilot.1"


@pytest.fixture(scope="module")
def bundled() -> tuple[FormDefinition, FormDefinition]:
    registry = Registry(definitions_root())
    return (
        registry.get("sagsoplysningsskema", "1.0.0"),
        registry.get("sagsoplysningsskema", "2.0.0-pilot.1"),
    )


def test_bundled_v1_to_pilot_lists_exactly_what_did_not_carry_over(bundled) -> None:  # type: ignore[no-untyped-def]
    v1, v2 = bundled
    answers = json.loads((FIXTURES / "v1_complete.json").read_text(encoding="utf-8"))

    result = migrate_answers(v1, v2, answers)

    assert [n.to_dict() for n in result.not_carried] == [
        {
            "path": "dokumentation_tilknytning",
            "label": "Hvordan er tilknytningen dokumenteret?",
            "value": ["atp", "skat", "arbejdsgivere"],
            "reason": f"spørgsmålet findes ikke i {V2}",
        },
        {
            "path": "helbredsdokumenter[0].beskrivelse",
            "label": "Helbredsoplysninger, række 1: Kort beskrivelse af indholdet",
            "value": "Lægeattest om slidgigt i knæ og lænderyg",
            "reason": f"spørgsmålet findes ikke i {V2}",
        },
        {
            "path": "helbredsdokumenter[1].beskrivelse",
            "label": "Helbredsoplysninger, række 2: Kort beskrivelse af indholdet",
            "value": "Operation i højre knæ, forløb og prognose",
            "reason": f"spørgsmålet findes ikke i {V2}",
        },
        {
            "path": "hjaelpemidler",
            "label": "Hjælpemidler og arbejdsredskaber",
            "value": answers["hjaelpemidler"],
            "reason": f"spørgsmålet findes ikke i {V2}",
        },
    ]
    # the renamed field follows the pilot's migrations block
    assert result.renamed == {"arbejdsevne_timer": "arbejdsevne_timer_pr_uge"}
    assert result.answers["arbejdsevne_timer_pr_uge"] == answers["arbejdsevne_timer"]
    assert "arbejdsevne_timer" not in result.answers
    # rows keep what fits: the attachment, without the removed description
    assert result.answers["helbredsdokumenter"] == [
        {"dokument": row["dokument"]} for row in answers["helbredsdokumenter"]
    ]
    assert result.answers["ansaettelser"] == answers["ansaettelser"]
    # every answered value is either carried or listed
    listed_top = {n.path.split("[")[0] for n in result.not_carried}
    for key, value in answers.items():
        if value not in (None, "", []):
            assert key in result.renamed or key in result.answers or key in listed_top, key
    assert set(result.carried) == set(result.answers)
    assert "dokumentation_tilknytning" not in result.answers
    assert not result.complete


def test_migrating_to_the_same_version_carries_everything(bundled) -> None:  # type: ignore[no-untyped-def]
    v1, _ = bundled
    answers = json.loads((FIXTURES / "v1_complete.json").read_text(encoding="utf-8"))
    result = migrate_answers(v1, v1, answers)
    assert result.not_carried == []
    assert result.answers == {k: v for k, v in answers.items() if v not in (None, "", [])}


def _definition(version: str, fields: list[dict[str, Any]], **extra: Any) -> FormDefinition:
    data = {
        "form": "proeve",
        "version": version,
        "title": "Prøve",
        "sections": [{"id": "s", "title": "S", "fields": fields}],
    } | extra
    return load_definition_data(data, f"proeve/{version}.json")


YDELSE = [{"value": "sdp", "label": "Sygedagpenge"}, {"value": "kth", "label": "Kontanthjælp"}]
YDELSE_NY = [{"value": "sygedagpenge", "label": "Sygedagpenge"}, {"value": "kth", "label": "Kh"}]


def test_option_map_and_rename_are_followed() -> None:
    old = _definition(
        "1.0.0",
        [
            {"id": "ydelse", "type": "choice", "label": "Ydelse", "options": YDELSE},
            {"id": "ydelser", "type": "multichoice", "label": "Ydelser", "options": YDELSE},
        ],
    )
    new = _definition(
        "2.0.0",
        [
            {"id": "ydelse_nu", "type": "choice", "label": "Ydelse nu", "options": YDELSE_NY},
            {"id": "ydelser", "type": "multichoice", "label": "Ydelser", "options": YDELSE_NY},
        ],
        migrations=[
            {"field": "ydelse_nu", "renamed_from": "ydelse", "option_map": {"sdp": "sygedagpenge"}},
            {"field": "ydelser", "option_map": {"sdp": "sygedagpenge"}},
        ],
    )
    result = migrate_answers(old, new, {"ydelse": "sdp", "ydelser": ["sdp", "kth"]})
    assert result.answers == {"ydelse_nu": "sygedagpenge", "ydelser": ["sygedagpenge", "kth"]}
    assert result.not_carried == []


def test_option_value_without_a_mapping_is_listed_not_dropped() -> None:
    old = _definition(
        "1.0.0",
        [
            {"id": "ydelse", "type": "choice", "label": "Ydelse", "options": YDELSE},
            {"id": "ydelser", "type": "multichoice", "label": "Ydelser", "options": YDELSE},
        ],
    )
    new = _definition(
        "2.0.0",
        [
            {"id": "ydelse", "type": "choice", "label": "Ydelse", "options": YDELSE_NY},
            {"id": "ydelser", "type": "multichoice", "label": "Ydelser", "options": YDELSE_NY},
        ],
    )
    result = migrate_answers(old, new, {"ydelse": "sdp", "ydelser": ["sdp", "kth"]})
    assert result.answers == {"ydelser": ["kth"]}
    assert [(n.path, n.value, n.reason) for n in result.not_carried] == [
        ("ydelse", "sdp", "svarmuligheden 'sdp' findes ikke i proeve@2.0.0"),
        ("ydelser[0]", "sdp", "svarmuligheden 'sdp' findes ikke i proeve@2.0.0"),
    ]


def test_type_change_needs_a_declaration() -> None:
    old = _definition(
        "1.0.0",
        [
            {"id": "noter", "type": "text", "label": "Noter"},
            {"id": "timer", "type": "integer", "label": "Timer"},
            {"id": "antal", "type": "text", "label": "Antal"},
        ],
    )
    new = _definition(
        "2.0.0",
        [
            {"id": "noter", "type": "textarea", "label": "Noter"},
            {"id": "timer", "type": "number", "label": "Timer"},
            {"id": "antal", "type": "integer", "label": "Antal"},
        ],
        migrations=[
            {"field": "noter", "type_change": "text->textarea"},
            {"field": "antal", "type_change": "text->integer"},
        ],
    )
    result = migrate_answers(old, new, {"noter": "lang tekst", "timer": 12, "antal": "tre"})
    assert result.answers == {"noter": "lang tekst"}
    assert [(n.path, n.reason) for n in result.not_carried] == [
        (
            "timer",
            "svartypen er ændret fra integer til number i proeve@2.0.0 uden en erklæret migrering",
        ),
        ("antal", "svaret kan ikke omsættes fra text til integer"),
    ]


def test_unknown_keys_are_listed_and_empty_answers_ignored() -> None:
    old = _definition("1.0.0", [{"id": "a", "type": "text", "label": "A"}])
    result = migrate_answers(old, old, {"a": "", "zz": "x"})
    assert result.answers == {}
    assert [(n.path, n.reason) for n in result.not_carried] == [
        ("zz", "feltet findes ikke i proeve@1.0.0")
    ]
