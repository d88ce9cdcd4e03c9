"""Rendering the report templates with charts, through the documents engine.

The template is loaded by ``forms_service.documents.template.load_template`` (checked against
the declared context keys, compiled once per process, in the immutable sandbox); each report
is one ``DocumentBuilder`` of it, so the charts (``DocumentBuilder.image``) become image parts
of that document only. Nothing here imports docxtpl or python-docx: Word is the documents
package's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from forms_service.danish import date_long
from forms_service.documents.kinds import DOCX_MIMETYPE, templates_dir
from forms_service.documents.template import load_template
from forms_service.reporting.tables import DATE, Table, format_value

PILOT_REPORT = "pilot_report.docx"
STATUS_REPORT = "status_report.docx"
CHART_WIDTH_MM = 160

__all__ = ["DOCX_MIMETYPE", "render_report", "table_context"]


def table_context(table: Table) -> dict[str, Any]:
    """A report table as the templates' ``tables`` loop reads it.

    Dates in the report's long form ("29. december 2025"), as in its text; the page and the
    CSV keep the short one.
    """
    rows = [
        [
            date_long(row.get(c.key))
            if c.kind == DATE and isinstance(row.get(c.key), dt.date)
            else format_value(row.get(c.key), c.kind)
            for c in table.columns
        ]
        for row in table.rows
    ]
    return {
        "title": table.title,
        "headings": table.headings(),
        "rows": rows,
        "note": table.note or "",
    }


def render_report(
    template: str,
    declared: Iterable[str],
    build: Callable[[Callable[[bytes], Any]], dict[str, Any]],
) -> bytes:
    """Render ``template``; ``build(image)`` makes the context, ``image(png)`` a picture."""
    # raises TemplateCheckError naming file and line
    document = load_template(templates_dir() / template, declared=declared).new_document()

    def image(png: bytes) -> Any:
        return document.image(png, width_mm=CHART_WIDTH_MM)

    context = build(image)
    missing = set(declared) - set(context)
    if missing:
        raise KeyError(f"{template}: konteksten mangler {', '.join(sorted(missing))}")
    return document.render(context)
