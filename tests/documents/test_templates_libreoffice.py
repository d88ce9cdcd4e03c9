"""The bundled templates survive an edit in LibreOffice.

Every template in ``templates_docx/`` is opened and saved by LibreOffice (one start for all),
as a person editing it there would, and must give the same text as the original with the same
context. LibreOffice rewrites the XML its own way: quotes inside tags become ``&quot;``, runs
are split and merged differently, fields are written out in full.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from forms_service.documents.kinds import KINDS, get_kind, templates_dir
from forms_service.documents.pdf import convert_many
from forms_service.documents.template import load_template
from tests.documents.docx_helpers import all_text, open_docx


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("libreoffice")
    templates = sorted(templates_dir().glob("*.docx"))
    assert len(templates) >= 6
    convert_many(templates, folder, target="docx")
    return folder


def _text(data: bytes) -> list[str]:
    """Body text in order, then the distinct header and footer lines.

    Headers and footers are compared as a set: LibreOffice may write a section's linked
    header again or leave it to the previous section. Page-number fields hold whatever
    number was last laid out; the words around them count.
    """

    def page_number(line: str) -> str:
        return re.sub(r"Side \d* ?af \d*", "Side X af Y", line).strip()

    document = open_docx(data)
    margins = {
        page_number(p.text)
        for section in document.sections
        for part in (section.header, section.footer)
        for p in part.paragraphs
    }
    lines = [page_number(line) for line in all_text(document).splitlines()]
    lines = [line for line in lines if line and line not in margins]
    return lines + sorted(margins - {""})


def test_libreoffice_writes_quotes_in_tags_as_entities(saved_by_libreoffice: Path) -> None:
    import zipfile

    with zipfile.ZipFile(saved_by_libreoffice / "udfyldt_skema.docx") as archive:
        assert b"&quot;" in archive.read("word/document.xml")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_bundled_template_renders_the_same_text_after_libreoffice(
    kind: str, saved_by_libreoffice: Path, paper_contexts: dict[str, dict[str, Any]]
) -> None:
    doc_kind = get_kind(kind)
    context = paper_contexts[kind]
    original = load_template(templates_dir() / doc_kind.template, declared=doc_kind.context_keys)
    edited = load_template(saved_by_libreoffice / doc_kind.template, declared=doc_kind.context_keys)
    expected = _text(original.render(context))
    assert len(expected) > 10
    assert _text(edited.render(context)) == expected


@pytest.mark.parametrize("report", ["status_report", "pilot_report"])
def test_report_templates_render_the_same_text_after_libreoffice(
    report: str,
    saved_by_libreoffice: Path,
    report_renderers: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    render = report_renderers[report]
    expected = _text(render())
    assert len(expected) > 10
    monkeypatch.setenv("FORMS_SERVICE_TEMPLATES_DOCX", str(saved_by_libreoffice))
    edited = render()
    assert _text(edited) == expected
    assert len(open_docx(edited).inline_shapes) >= 2  # the charts
