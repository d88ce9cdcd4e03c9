"""The archival PDF: PDF/A-3b rendered by WeasyPrint from an HTML print template.

No LibreOffice and no Word: HTML and CSS in this package (``templates/``), fonts embedded, an
sRGB output intent and the PDF/A identification in the XMP metadata (WeasyPrint writes both for
the ``pdf/a-3b`` variant). The answers and the completeness report travel inside the PDF as
associated files (``/AF``, relationship ``Data``), so an archive holds the data, not only its
print.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

PDF_VARIANT = "pdf/a-3b"
ANSWERS_NAME = "svar.json"
COMPLETENESS_NAME = "fuldstaendighed.json"


@functools.cache
def _environment() -> Environment:
    folder = str(resources.files("forms_service.archive").joinpath("templates"))
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(context: dict[str, Any]) -> str:
    return _environment().get_template("kvittering.html").render(**context)


def render_pdf(
    context: dict[str, Any], answers: dict[str, Any], completeness: dict[str, Any] | None
) -> bytes:
    from weasyprint import HTML, Attachment

    folder = resources.files("forms_service.archive").joinpath("templates")
    attachments = [
        Attachment(
            string=_json(answers),
            name=ANSWERS_NAME,
            description="De indsendte svar (JSON)",
            relationship="Data",
        ),
        Attachment(
            string=_json(completeness),
            name=COMPLETENESS_NAME,
            description="Fuldstændighedsrapporten ved indsendelsen (JSON)",
            relationship="Data",
        ),
    ]
    document = HTML(string=render_html(context), base_url=str(folder) + "/")
    data = document.write_pdf(
        pdf_variant=PDF_VARIANT, attachments=attachments, finisher=_one_af_entry_per_file
    )
    assert data is not None
    return bytes(data)


def _one_af_entry_per_file(_document: Any, pdf: Any) -> None:
    # WeasyPrint 70 lists each embedded file twice in the catalog's /AF (once from the name
    # tree, once from the objects); an archive validator expects each associated file once.
    entries = pdf.catalog.get("AF")
    if entries:
        unique = list(dict.fromkeys(str(entry) for entry in entries))
        by_text = {str(entry): entry for entry in entries}
        entries[:] = [by_text[text] for text in unique]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
