"""Every document kind on paper: converted to PDF by LibreOffice and read back with poppler.

One LibreOffice start converts all documents (``paper`` fixture, once per session); the pages
are checked with ``pdfinfo`` (A4 on every page) and ``pdftotext`` (page numbers, the bundled
data's words unbroken, no web wording), and saved as PNG screenshots under
``test-artifacts/documents/`` for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from forms_service.documents.pdf import convert_many
from tests.documents.docx_helpers import all_text, open_docx

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "documents"
A4_POINTS = (595.3, 841.9)


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float


@dataclass(frozen=True)
class PaperDocument:
    name: str
    pdf: Path
    pages: list[PdfPage]
    text: str  # pdftotext -layout, pages separated by \f


def _pages(pdf: Path) -> list[PdfPage]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [PdfPage(float(w), float(h)) for w, h in sizes]


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _screenshots(pdf: Path, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)],
        check=True,
    )


@pytest.fixture(scope="session")
def paper(
    tmp_path_factory: pytest.TempPathFactory, paper_documents: dict[str, bytes]
) -> dict[str, PaperDocument]:
    folder = tmp_path_factory.mktemp("paper")
    sources = []
    for name, data in paper_documents.items():
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        sources.append(path)
    pdfs = convert_many(sources, folder / "pdf")
    result = {}
    for name, pdf in zip(paper_documents, pdfs, strict=True):
        _screenshots(pdf, name)
        result[name] = PaperDocument(name, pdf, _pages(pdf), _text(pdf))
    return result


def test_every_document_kind_is_converted(paper: dict[str, PaperDocument]) -> None:
    from forms_service.documents.kinds import KINDS

    assert set(KINDS) <= {name.split("-")[0] for name in paper}
    for document in paper.values():
        assert document.pages, document.name
        assert sorted(ARTIFACTS.glob(f"{document.name}-*.png")), document.name


def test_every_page_is_a4(paper: dict[str, PaperDocument]) -> None:
    for document in paper.values():
        for number, page in enumerate(document.pages, start=1):
            size = sorted((page.width, page.height))
            assert size == pytest.approx(sorted(A4_POINTS), abs=1), (document.name, number)


def test_every_page_is_numbered_side_x_af_y(paper: dict[str, PaperDocument]) -> None:
    for document in paper.values():
        pages = document.text.split("\f")[: len(document.pages)]
        total = len(document.pages)
        for number, text in enumerate(pages, start=1):
            assert f"Side {number} af {total}" in text, (document.name, number)


def test_case_documents_name_the_case_on_every_page(paper: dict[str, PaperDocument]) -> None:
    document = paper["case_form"]
    assert len(document.pages) > 1
    for text in document.text.split("\f")[: len(document.pages)]:
        assert "Sag SP-2026-000123 · Karin Holm Madsen · 150862-****" in text


WORDS = ("Arbejdsgiver", "Rengøringsassistent", "København", "Køkkenmedhjælper", "september")


def test_the_bundled_data_is_not_broken_inside_words(paper: dict[str, PaperDocument]) -> None:
    case = paper["case_form"].text
    for word in WORDS:
        assert re.search(rf"\b{word}\b", case), word
    blank = paper["blank_form"].text
    assert re.search(r"\bArbejdsgiver\b", blank)
    # the quarterly report's ten-column municipality table, on a landscape page
    status = paper["status_report"].text
    for word in ("København", "Modtaget", "kommunen", "Hovedstaden", "Tilstrækkeligt"):
        assert re.search(rf"\b{word}\b", status), word


def test_no_word_of_any_document_is_broken_on_paper(
    paper: dict[str, PaperDocument], paper_documents: dict[str, bytes]
) -> None:
    # every word of the Word file appears at least as often, whole, in the PDF's text: a word
    # a narrow column breaks ("Modtage" + "t") is missing from the PDF once per break
    for name, data in paper_documents.items():
        source = all_text(open_docx(data))
        printed = paper[name].text
        broken = []
        for word in set(re.findall(r"\b[^\W\d_]{6,}\b", source)):
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            if len(pattern.findall(printed)) < len(pattern.findall(source)):
                broken.append(word)
        assert not broken, (name, sorted(broken))
    # the pieces a narrow column used to leave behind
    for document in paper.values():
        for piece in ("Arbejd\n", "Rengøri\n", "septem\n", "Køb\n"):
            assert piece not in document.text.replace(" ", ""), (document.name, piece)


def test_percent_signs_stay_with_their_number(paper: dict[str, PaperDocument]) -> None:
    text = paper["brochure"].text
    assert re.search(r"3,3\s%", text)
    for document in paper.values():
        assert not re.search(r"\d\n\s*%", document.text), document.name


def test_paper_has_no_web_wording_and_the_leaflet_no_checksum(
    paper: dict[str, PaperDocument],
) -> None:
    for document in paper.values():
        for web in ("Vises, når", "fold en vejledning ud", "folde en vejledning ud"):
            assert web not in document.text, (document.name, web)
    assert not re.search(r"[0-9a-f]{64}", paper["brochure"].text)
    # "dannet" is when the file was made: with the time of day
    assert re.search(r"dannet \d+\. \w+ \d{4} kl\. \d\d\.\d\d", paper["case_form"].text)


def test_blank_form_has_room_to_write(paper: dict[str, PaperDocument]) -> None:
    text = paper["blank_form"].text
    assert "☐ Ja" in text
    assert "Sagsnummer" in text
    # the professional explanation gets most of a page; a name one line
    assert len(paper["blank_form"].pages) >= 8


def test_reports_write_dates_one_way(paper: dict[str, PaperDocument]) -> None:
    # the report's text and its tables: "29. december 2025", never "29-12-2025"
    for name in ("status_report", "pilot_report"):
        text = paper[name].text
        assert re.search(r"\b\d{1,2}\. (januar|februar|marts|december) \d{4}\b", text), name
        assert not re.search(r"\b\d\d[-.]\d\d[-.]\d{4}\b", text), name
