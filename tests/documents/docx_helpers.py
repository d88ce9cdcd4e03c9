"""Reading rendered Word files back with python-docx (shared by the documents tests)."""

from __future__ import annotations

import io
from typing import Any

import docx


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def all_text(document: docx.document.Document) -> str:
    """Every paragraph of body, tables (nested too) and footers, one per line."""
    lines = [p.text for p in document.paragraphs]

    def tables(container: Any) -> None:
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
                    tables(cell)

    tables(document)
    for section in document.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
        lines.extend(p.text for p in section.header.paragraphs)
    return "\n".join(lines)


def table_rows(document: docx.document.Document) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]
