"""File names are shown and offered back safely; the extension is the detected type's."""

from __future__ import annotations

import pytest

from forms_service.attachments.names import ascii_fallback, sanitise_filename


@pytest.mark.parametrize(
    ("given", "extension", "expected"),
    [
        ("Lægeattest.pdf", "pdf", "Lægeattest.pdf"),
        ("C:\\Users\\kbh\\Desktop\\attest.PDF", "pdf", "attest.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("rapport.exe", "pdf", "rapport.exe.pdf"),
        ('a"b<c>d;e\r\nf.jpg', "jpg", "a_b_c_d_e_f.jpg"),
        ("foto.jpeg", "jpg", "foto.jpg"),
        ("", "png", "dokument.png"),
        ("...", "docx", "dokument.docx"),
        ("navn\u202egpj.exe", "pdf", "navn_gpj.exe.pdf"),
    ],
)
def test_sanitised_names(given: str, extension: str, expected: str) -> None:
    assert sanitise_filename(given, extension) == expected


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = sanitise_filename("x" * 400 + ".pdf", "pdf")
    assert len(name) == 150 and name.endswith(".pdf")


def test_ascii_fallback() -> None:
    assert ascii_fallback("Lægeattest ø.pdf") == "Laegeattest oe.pdf"
