"""Uploading a document into a health-document row in Chromium: with JavaScript (stored when
chosen, with progress) and without (stored with the draft); listed after saving either way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
ROW = "helbredsdokumenter-0-dokument"


def _open_row(page: Any, case_id: int) -> None:
    page.goto(f"/cases/{case_id}/form")
    page.get_by_role("button", name="Tilføj række til Helbredsoplysninger").click()
    page.locator(f"#{ROW}-file").wait_for()


def test_document_uploaded_into_a_health_row_is_listed_after_saving(
    page: Any, log_in: Callable[[Any, str], None], make_case: Callable[..., int], artifacts: Path
) -> None:
    case_id = make_case()
    log_in(page, "kbh")
    _open_row(page, case_id)
    page.locator(f"#{ROW}-file").set_input_files(str(FILES / "laegeattest.pdf"))
    listed = page.locator(f"#{ROW}-files a", has_text="laegeattest.pdf")
    listed.wait_for()  # stored at once by upload.js
    assert page.locator(f"#field-{ROW}-title").input_value() == "laegeattest"
    assert page.locator("#form-live").inner_text() == "laegeattest.pdf er uploadet."
    page.locator(f"#field-{ROW}-source").select_option("egen_laege")
    page.screenshot(path=str(artifacts / "01-uploaded.png"), full_page=True)

    page.get_by_role("button", name="Gem kladde").last.click()
    page.wait_for_load_state()
    assert page.locator(".alert-success, .alert").first.is_visible()
    item = page.locator(f"#{ROW}-files li")
    assert item.count() == 1
    text = item.inner_text()
    assert "laegeattest.pdf" in text and "PDF" in text and "Browser kbh" in text
    assert "ikke scannet" in text
    assert page.locator(f"#field-{ROW}-title").input_value() == "laegeattest"
    page.screenshot(path=str(artifacts / "02-saved.png"), full_page=True)

    # a refused file says why, next to the field, and nothing is added
    page.locator(f"#{ROW}-file").set_input_files(str(FILES / "side.html.pdf"))
    page.locator(f"#{ROW}-files .form-error-message", has_text="HTML-side").wait_for()
    page.reload()
    assert page.locator(f"#{ROW}-files li").count() == 1


def test_without_javascript_the_file_goes_with_the_draft(
    browser: Any, live_url: str, log_in: Callable[[Any, str], None], make_case: Callable[..., int]
) -> None:
    context = browser.new_context(base_url=live_url, locale="da-DK", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        case_id = make_case()
        log_in(page, "kbh")
        _open_row(page, case_id)
        page.locator(f"#{ROW}-file").set_input_files(str(FILES / "roentgen.jpg"))
        page.locator(f"#field-{ROW}-source").select_option("klinisk_funktion")
        page.get_by_role("button", name="Gem kladde").last.click()
        page.wait_for_load_state()
        item = page.locator(f"#{ROW}-files li")
        assert item.count() == 1
        assert "roentgen.jpg" in item.inner_text()
        assert page.locator(f"#field-{ROW}-title").input_value() == "roentgen"
    finally:
        context.close()
