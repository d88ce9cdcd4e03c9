"""Type from the content: the allowed types pass, renamed and dangerous files are refused."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from forms_service.attachments.detect import DEFAULT_TYPES, detect_type
from forms_service.attachments.errors import AttachmentRefusedError


def _detect(data: bytes, name: str = "fil.pdf", allowed: tuple[str, ...] = DEFAULT_TYPES):
    return detect_type(io.BytesIO(data), name, allowed)


@pytest.mark.parametrize(
    ("name", "key", "content_type"),
    [
        ("laegeattest.pdf", "pdf", "application/pdf"),
        ("roentgen.jpg", "jpeg", "image/jpeg"),
        ("skanning.png", "png", "image/png"),
        (
            "sammenfatning.docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_types_are_recognised_from_their_content(
    fixture_file, name: str, key: str, content_type: str
) -> None:
    found = _detect(fixture_file(name).read_bytes(), name="uden-endelse")
    assert (found.key, found.content_type) == (key, content_type)


def test_a_renamed_executable_is_refused_as_a_program() -> None:
    elf = Path(shutil.which("true") or "/bin/true").read_bytes()
    with pytest.raises(AttachmentRefusedError) as caught:
        _detect(elf, "laegeattest.pdf")
    assert caught.value.status == 415
    assert "et program (ELF)" in caught.value.message
    assert "»laegeattest.pdf«" in caught.value.message


def test_html_named_pdf_and_svg_are_refused(fixture_file) -> None:
    with pytest.raises(AttachmentRefusedError, match="en HTML-side"):
        _detect(fixture_file("side.html.pdf").read_bytes())
    with pytest.raises(AttachmentRefusedError, match="en SVG-tegning"):
        _detect(fixture_file("tegning.svg").read_bytes(), "tegning.png")


def test_encrypted_pdf_is_refused_with_the_reason(fixture_file) -> None:
    with pytest.raises(AttachmentRefusedError, match="krypteret eller beskyttet med adgangskode"):
        _detect(fixture_file("krypteret.pdf").read_bytes())


def test_cut_off_and_garbled_pdfs_are_refused(fixture_file) -> None:
    data = fixture_file("laegeattest.pdf").read_bytes()
    with pytest.raises(AttachmentRefusedError, match="beskadiget eller ufuldstændig"):
        _detect(data[: len(data) // 2])
    garbled = b"%PDF-1.7\n" + b"\x00garbage" * 500 + b"\n%%EOF\n"
    with pytest.raises(AttachmentRefusedError, match="beskadiget"):
        _detect(garbled)


def test_a_plain_zip_is_not_a_word_document(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "arkiv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("noget.txt", "hej")
    with pytest.raises(AttachmentRefusedError, match="ZIP-arkiv"):
        _detect(path.read_bytes(), "dokument.docx")


def test_only_configured_types_are_taken(fixture_file) -> None:
    jpeg = fixture_file("roentgen.jpg").read_bytes()
    with pytest.raises(AttachmentRefusedError) as caught:
        _detect(jpeg, "foto.jpg", allowed=("pdf",))
    assert "Tilladte filtyper er PDF." in caught.value.message
