"""Configuration: the README's table lists exactly the environment variables the code reads,
and the app takes them through Flask's ``from_prefixed_env``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms_service.app import APP_SETTINGS, ENV_PREFIX, _settings, flag
from forms_service.attachments.settings import KEYS as ATTACHMENT_KEYS

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"\bFORMS_SERVICE_[A-Z0-9_]*[A-Z0-9]\b")
TEST_ONLY = {"FORMS_SERVICE_TEST_POSTGRES_URL", "FORMS_SERVICE_VENV"}


def _read_by_the_code() -> set[str]:
    named = {
        name
        for path in (ROOT / "forms_service").rglob("*.py")
        for name in VARIABLE.findall(path.read_text(encoding="utf-8"))
    }
    # read by prefix: the app's settings and the attachments' keys
    named |= {f"{ENV_PREFIX}_{key}" for key in (*APP_SETTINGS, *ATTACHMENT_KEYS)}
    return named


def _in_the_table() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Configuration", 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"^\| `(FORMS_SERVICE_[A-Z0-9_]+)` \|", section, re.M))


def test_the_readme_table_lists_every_variable_the_code_reads() -> None:
    code, table = _read_by_the_code() - TEST_ONLY, _in_the_table()
    assert code - table == set(), "read by the code, missing from the README's table"
    assert table - code == set(), "in the README's table, read by no code"


def test_the_app_takes_every_prefixed_variable_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMS_SERVICE_SECRET_KEY", "123456")  # digits stay a string
    monkeypatch.setenv("FORMS_SERVICE_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("FORMS_SERVICE_REDIS_URL", "")  # empty: unset
    settings = _settings({"TRUSTED_PROXIES": 2})
    assert settings["SECRET_KEY"] == "123456"
    assert settings["TRUSTED_PROXIES"] == 2  # the dict given to create_app wins
    assert "REDIS_URL" not in settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("false", False), ("", False)],
)
def test_yes_no_settings_from_text(value: str, expected: bool) -> None:
    assert flag(value) is expected
