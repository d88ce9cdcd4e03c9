"""A field's lineage across the bundled versions: renamed fields share a column."""

from __future__ import annotations

from forms_service.definitions.lineage import lineage_of
from forms_service.definitions.registry import Registry, definitions_root

FORM = "sagsoplysningsskema"


def _bundled() -> list:  # type: ignore[type-arg]
    registry = Registry(definitions_root())
    return [registry.get(FORM, v) for v in registry.versions(FORM)]


def test_a_renamed_field_keeps_its_lineage_through_the_pilot_line() -> None:
    lineage = lineage_of(_bundled())
    # 2.0.0-pilot.1 renamed arbejdsevne_timer (1.0.0) to arbejdsevne_timer_pr_uge
    for version in ("2.0.0-pilot.1", "2.0.0-pilot.2", "2.0.0-pilot.3"):
        assert lineage.key(version, "arbejdsevne_timer_pr_uge") == "arbejdsevne_timer"
    assert lineage.key("1.2.0", "arbejdsevne_timer") == "arbejdsevne_timer"
    names = lineage.names("arbejdsevne_timer")
    assert names["1.0.0"] == "arbejdsevne_timer"
    assert names["2.0.0-pilot.3"] == "arbejdsevne_timer_pr_uge"
    assert "arbejdsevne_timer_pr_uge" not in lineage.columns


def test_a_field_new_in_a_version_is_its_own_column() -> None:
    lineage = lineage_of(_bundled())
    assert lineage.key("1.1.0", "deltid_omregning") == "deltid_omregning"
    assert "deltid_omregning" in lineage.names("deltid_omregning").get("1.1.0", "")
    assert "1.0.0" not in lineage.names("deltid_omregning")
    assert lineage.columns.index("sagsnummer") < lineage.columns.index("deltid_omregning")
