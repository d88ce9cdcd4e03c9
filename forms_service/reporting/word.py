"""Rendering the report templates with charts, through the documents engine's safeguards.

The template is first loaded by ``forms_service.documents.template.load_template`` (checked
against the declared context keys, no underscore attributes), then rendered by docxtpl in the
engine's immutable sandbox (``documents.sandbox.make_environment``). docxtpl itself renders,
not the engine's re-zipping renderer, because ``InlineImage`` adds image parts and
relationships to the package while rendering.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from forms_service.documents.kinds import DOCX_MIMETYPE, templates_dir
from forms_service.documents.sandbox import make_environment
from forms_service.documents.template import load_template

PILOT_REPORT = "pilot_report.docx"
STATUS_REPORT = "status_report.docx"
CHART_WIDTH = Mm(160)

__all__ = ["DOCX_MIMETYPE", "render_report"]


def render_report(
    template: str,
    declared: Iterable[str],
    build: Callable[[Callable[[bytes], InlineImage]], dict[str, Any]],
) -> bytes:
    """Render ``template``; ``build(image)`` makes the context, ``image(png)`` a picture."""
    path = templates_dir() / template
    load_template(path, declared=declared)  # raises TemplateCheckError naming file and line
    document = DocxTemplate(path)

    def image(png: bytes) -> InlineImage:
        return InlineImage(document, io.BytesIO(png), width=CHART_WIDTH)

    context = build(image)
    missing = set(declared) - set(context)
    if missing:
        raise KeyError(f"{template}: konteksten mangler {', '.join(sorted(missing))}")
    document.render(context, jinja_env=make_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
