"""Security headers on every kind of response, a Content-Security-Policy the templates can
live with (no inline scripts, styles or handlers), trusted proxies only when configured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms_service.app import create_app

TEMPLATES = Path(__file__).parents[2] / "forms_service" / "web" / "templates"


def _assert_hardened(response) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_api_errors_and_static_files_carry_the_headers(client, login) -> None:  # type: ignore[no-untyped-def]
    anonymous = [client.get("/login"), client.get("/api/v1/me"), client.get("/nowhere")]
    login(client, "editor")
    pages = [client.get("/editor/"), client.get("/api/v1/openapi.json")]
    static = client.get("/static/forms_service.css")
    for response in [*anonymous, *pages, static]:
        _assert_hardened(response)
    assert pages[0].headers["Cache-Control"] == "private, no-cache"
    assert anonymous[1].headers["Cache-Control"] == "no-store"
    assert "no-store" not in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_style_or_handler(template: Path) -> None:
    html = template.read_text("utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b", html), "inline <style>"
    assert not re.search(r"\sstyle\s*=", html), 'style="" attribute'
    assert not re.search(r"\son[a-z]+\s*=", html), "event-handler attribute"
    assert "javascript:" not in html


def test_trace_is_refused_with_the_allowed_methods(client) -> None:  # type: ignore[no-untyped-def]
    response = client.open("/login", method="TRACE")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    api = client.open("/api/v1/me", method="TRACE")
    assert api.status_code == 405 and "GET" in api.headers["Allow"]


def _seen_address(db_url: str, tmp_path: Path, proxies: str | None) -> str:
    from flask import request

    config = {"DATABASE_URL": db_url, "TESTING": True, "INSTANCE_PATH": str(tmp_path / "i")}
    if proxies is not None:
        config["TRUSTED_PROXIES"] = proxies
    application = create_app(config)
    application.add_url_rule("/_address", "address", lambda: str(request.remote_addr))
    try:
        response = application.test_client().get(
            "/_address",
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
            headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"},
        )
        return response.get_data(as_text=True)
    finally:
        application.extensions["forms_service.engine"].dispose()


def test_forwarded_addresses_count_only_behind_configured_proxies(
    db_url: str, db_engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert _seen_address(db_url, tmp_path, None) == "10.0.0.1"  # the header is not trusted
    # one proxy: its own addition (the last address) is the client; the rest may be forged
    assert _seen_address(db_url, tmp_path, "1") == "203.0.113.9"
    assert _seen_address(db_url, tmp_path, "2") == "198.51.100.7"
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        _seen_address(db_url, tmp_path, "mange")
