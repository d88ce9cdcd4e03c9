"""The registry: forms and versions on disk, semver order, latest, resolve and caching."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from forms_service.definitions.loader import (
    DefinitionError,
    canonical_json,
    content_hash,
    load_definition_data,
    load_definition_file,
)
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import (
    DATABASE_STORE,
    DEFINITIONS_ENV,
    MISS_REFRESH_SECONDS,
    Registry,
    UnknownFormError,
    default_registry,
    definitions_root,
    is_prerelease,
    parse_ref,
    version_key,
)

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small" / "1.0.0.json"


def _small() -> dict[str, Any]:
    return json.loads(SMALL.read_text("utf-8"))


def _write(root: Path, form: str, version: str, data: dict[str, Any] | None = None) -> Path:
    data = dict(data or _small())
    data["form"], data["version"] = form, version
    path = root / form / f"{version}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for version in ("1.0.0", "1.1.0", "2.0.0-pilot.1"):
        _write(tmp_path, "small", version)
    _write(tmp_path, "andet", "0.1.0")
    return tmp_path


def test_lists_forms_and_versions_in_semver_order(tmp_path: Path) -> None:
    versions = ["1.10.0", "1.2.0", "2.0.0", "2.0.0-pilot.2", "2.0.0-pilot.10", "2.0.0-alpha",
                "1.0.0", "2.0.0-pilot.1", "0.9.1"]  # fmt: skip
    for version in versions:
        (tmp_path / "x").mkdir(exist_ok=True)
        (tmp_path / "x" / f"{version}.json").write_text("{}")
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "1.0.0.json").write_text("{}")
    (tmp_path / "y" / "notes.txt").write_text("not a definition")
    registry = Registry(tmp_path)
    assert registry.forms() == {
        "x": [
            "0.9.1",
            "1.0.0",
            "1.2.0",
            "1.10.0",
            "2.0.0-alpha",
            "2.0.0-pilot.1",
            "2.0.0-pilot.2",
            "2.0.0-pilot.10",
            "2.0.0",
        ],
        "y": ["1.0.0"],
    }
    assert registry.versions("y") == ["1.0.0"]
    with pytest.raises(UnknownFormError, match="ukendt formular 'z'"):
        registry.versions("z")


def test_version_key_and_prerelease() -> None:
    assert version_key("2.0.0-pilot.1") < version_key("2.0.0") < version_key("2.0.1")
    assert version_key("2.0.0-pilot.2") < version_key("2.0.0-pilot.10")
    assert version_key("2.0.0-alpha") < version_key("2.0.0-pilot")
    assert version_key("1.9.9") < version_key("1.10.0")
    assert is_prerelease("2.0.0-pilot.1") and not is_prerelease("2.0.0")


def test_a_missing_folder_has_no_forms(tmp_path: Path) -> None:
    assert Registry(tmp_path / "findes-ikke").forms() == {}


def test_latest_skips_prereleases(root: Path) -> None:
    registry = Registry(root)
    assert registry.latest("small").version == "1.1.0"
    assert registry.latest("small", include_prerelease=True).version == "2.0.0-pilot.1"
    assert registry.resolve("small@latest") is registry.get("small", "1.1.0")
    assert registry.resolve("small@2.0.0-pilot.1").version == "2.0.0-pilot.1"


def test_latest_of_a_form_with_only_prereleases(tmp_path: Path) -> None:
    _write(tmp_path, "pilot", "1.0.0-pilot.1")
    registry = Registry(tmp_path)
    with pytest.raises(UnknownFormError, match="har ingen udgivet version"):
        registry.resolve("pilot@latest")
    assert registry.latest("pilot", include_prerelease=True).version == "1.0.0-pilot.1"


@pytest.mark.parametrize("ref", ["small", "small@", "@1.0.0", ""])
def test_bad_refs(ref: str) -> None:
    with pytest.raises(ValueError, match="FORMULAR@VERSION"):
        parse_ref(ref)


def test_unknown_version(root: Path) -> None:
    with pytest.raises(UnknownFormError, match=re.escape("ukendt formularversion 'small@9.9.9'")):
        Registry(root).resolve("small@9.9.9")
    assert parse_ref("small@1.0.0") == ("small", "1.0.0")


def test_an_unchanged_file_is_loaded_once(root: Path) -> None:
    registry = Registry(root)
    first = registry.get("small", "1.0.0")
    assert registry.get("small", "1.0.0") is first
    assert registry.resolve("small@1.0.0") is first


def test_a_changed_file_is_reloaded(root: Path) -> None:
    registry = Registry(root)
    path = root / "small" / "1.0.0.json"
    first = registry.get("small", "1.0.0")
    stat = path.stat()
    data = _small()
    data["title"] = "Ny titel"
    _write(root, "small", "1.0.0", data)
    # same modification time on purpose: the size still tells the edit apart
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = registry.get("small", "1.0.0")
    assert second is not first
    assert second.title == "Ny titel"
    assert second.content_hash != first.content_hash
    assert registry.get("small", "1.0.0") is second


def test_a_touched_file_with_the_same_content_is_reloaded_with_the_same_hash(root: Path) -> None:
    registry = Registry(root)
    path = root / "small" / "1.0.0.json"
    first = registry.get("small", "1.0.0")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = registry.get("small", "1.0.0")
    assert second is not first
    assert second.content_hash == first.content_hash


def test_clear_cache_forces_a_reload(root: Path) -> None:
    registry = Registry(root)
    first = registry.get("small", "1.0.0")
    registry.clear_cache()
    assert registry.get("small", "1.0.0") is not first


def test_a_broken_file_raises_with_every_problem(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "broken" / "small", tmp_path / "small")
    with pytest.raises(DefinitionError) as info:
        Registry(tmp_path).get("small", "1.0.0")
    assert len(info.value.problems) == 20


def test_the_content_hash_ignores_key_order_and_white_space(tmp_path: Path) -> None:
    data = _small()
    reordered = json.loads(json.dumps(data), object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    assert list(reordered) != list(data)
    assert content_hash(reordered) == content_hash(data)
    compact = tmp_path / "a" / "small" / "1.0.0.json"
    spread = tmp_path / "b" / "small" / "1.0.0.json"
    for path, text in (
        (compact, json.dumps(data, separators=(",", ":"), ensure_ascii=True)),
        (spread, json.dumps(reordered, indent=4, ensure_ascii=False)),
    ):
        path.parent.mkdir(parents=True)
        path.write_text(text, "utf-8")
    assert load_definition_file(compact).content_hash == load_definition_file(spread).content_hash
    # and it is sha256 of the documented canonical form
    assert canonical_json({"b": 1, "a": "æ"}) == '{"a":"æ","b":1}'


def test_the_content_hash_changes_with_the_content() -> None:
    data = _small()
    changed = _small()
    changed["sections"][0]["fields"][0]["label"] = "Dato for ansøgning"
    assert content_hash(changed) != content_hash(data)


def test_added_versions_are_listed_and_served(root: Path) -> None:
    registry = Registry(root)
    draft = _small()
    draft["version"] = "3.0.0"
    definition = load_definition_data(draft, "udkast")
    registry.add(definition)
    assert registry.versions("small")[-1] == "3.0.0"
    assert registry.resolve("small@latest") is definition
    registry.add(definition)  # the same content again is fine
    other = dict(draft, title="Andet indhold")
    with pytest.raises(ValueError, match="findes allerede med et andet indhold"):
        registry.add(load_definition_data(other, "udkast"))


def test_the_definitions_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEFINITIONS_ENV, str(tmp_path))
    assert definitions_root() == tmp_path
    assert default_registry().root == tmp_path
    assert default_registry() is default_registry()
    monkeypatch.delenv(DEFINITIONS_ENV)
    assert definitions_root().name == "form_definitions"


# --- stores beside the files (the database's published versions) ---------------------------


def _renumbered(version: str) -> FormDefinition:
    data = json.loads((definitions_root() / "sagsoplysningsskema" / "1.0.0.json").read_text())
    return load_definition_data(data | {"version": version}, f"{version}.json")


def test_an_attached_store_is_read_at_the_first_listing_and_on_a_miss() -> None:
    stored: list[FormDefinition] = []
    reads: list[int] = []

    def store(registry: Registry) -> None:
        reads.append(1)
        for definition in stored:
            with contextlib.suppress(ValueError):
                registry.add(definition)

    registry = Registry(definitions_root())
    registry.attach(DATABASE_STORE, store)
    assert reads == []  # attaching reads nothing: 'forms-service --help' stays cheap
    assert "1.0.1" not in registry.versions("sagsoplysningsskema")
    assert len(reads) == 1
    registry.versions("sagsoplysningsskema")
    assert len(reads) == 1  # a listing reads again only after REFRESH_SECONDS

    stored.append(_renumbered("1.0.1"))  # published meanwhile (by another instance)
    registry._refreshed -= MISS_REFRESH_SECONDS  # a second later
    assert registry.get("sagsoplysningsskema", "1.0.1").version == "1.0.1"
    assert "1.0.1" in registry.versions("sagsoplysningsskema")


def test_a_first_miss_reads_the_stores_at_once_a_repeated_one_is_throttled() -> None:
    stored: list[FormDefinition] = []
    reads: list[int] = []

    def store(registry: Registry) -> None:
        reads.append(1)
        for definition in stored:
            with contextlib.suppress(ValueError):
                registry.add(definition)

    registry = Registry(definitions_root())
    registry.attach(DATABASE_STORE, store)
    registry.versions("sagsoplysningsskema")
    assert len(reads) == 1
    # published by another instance a moment after this one listed: found without waiting
    stored.append(_renumbered("1.0.1"))
    assert registry.get("sagsoplysningsskema", "1.0.1").version == "1.0.1"
    assert len(reads) == 2
    # a number nobody published: the first ask reads, asking again within the second does not
    for _ in range(3):
        with pytest.raises(UnknownFormError):
            registry.get("sagsoplysningsskema", "9.9.9")
    assert len(reads) == 3
    registry._refreshed -= MISS_REFRESH_SECONDS  # a second later
    with pytest.raises(UnknownFormError):
        registry.get("sagsoplysningsskema", "9.9.9")
    assert len(reads) == 4


def test_replacing_a_store_forgets_what_it_added_but_not_what_was_added_directly() -> None:
    registry = Registry(definitions_root())
    registry.attach(DATABASE_STORE, lambda r: r.add(_renumbered("1.0.1")))
    registry.add(_renumbered("1.0.2"))  # published in this process
    assert {"1.0.1", "1.0.2"} <= set(registry.versions("sagsoplysningsskema"))
    registry.attach(DATABASE_STORE, lambda r: None)  # another database
    versions = registry.versions("sagsoplysningsskema")
    assert "1.0.1" not in versions and "1.0.2" in versions


def test_a_store_that_fails_leaves_the_files(caplog: pytest.LogCaptureFixture) -> None:
    def down(registry: Registry) -> None:
        raise ConnectionError("database down")

    registry = Registry(definitions_root())
    registry.attach(DATABASE_STORE, down)
    assert "1.0.0" in registry.versions("sagsoplysningsskema")
    assert "could not be read" in caplog.text
