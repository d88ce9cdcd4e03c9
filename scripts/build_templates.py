"""Build the Word templates in templates_docx/ with python-docx.

The templates are ordinary .docx files: open one in Word, change fonts, wording or layout,
and save it; the Jinja tags ({{ … }}, {%p … %}, {%tr … %}, {%tc … %}, {{r … }}) must stay
intact. This script is the reviewed source of the first versions and regenerates them:

    .venv/bin/python scripts/build_templates.py [--out templates_docx]

Every template is loaded and checked against its document kind's context keys afterwards.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table

ROOT = Path(__file__).resolve().parents[1]


# -- helpers --------------------------------------------------------------------------------


def new_document(title: str) -> Document:
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = "da-DK"
    doc.core_properties.author = "forms-service"
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    rpr.append(lang)
    return doc


def tag(doc: Document, text: str) -> None:
    """A paragraph holding only a ``{%p … %}`` tag; docxtpl removes the paragraph itself."""
    doc.add_paragraph(text)


def para(doc: Document, text: str, *, style: str | None = None, bold: str | None = None):
    """A paragraph; ``bold`` is a leading label set in bold."""
    p = doc.add_paragraph(style=style)
    if bold:
        p.add_run(bold).bold = True
    p.add_run(text)
    return p


def markdown(doc: Document, expr: str) -> None:
    """Paragraphs of a markdown text prepared by ``forms_service.documents.markdown``."""
    tag(doc, f"{{%p for block in {expr} %}}")
    tag(doc, "{%p if block.bullet %}")
    doc.add_paragraph("{{r block.runs }}", style="List Bullet")
    tag(doc, "{%p else %}")
    doc.add_paragraph("{{r block.runs }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def footer(doc: Document, text: str) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    run = p.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def mark_header_row(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)


def loop_table(doc: Document, columns: str, rows: str) -> Table:
    """A table whose columns and rows both come from the context (``{%tc %}``/``{%tr %}``)."""
    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = table.rows[0].cells
    head[0].text = f"{{%tc for column in {columns} %}}"
    head[1].paragraphs[0].add_run("{{ column }}").bold = True
    head[2].text = "{%tc endfor %}"
    table.rows[1].cells[0].text = f"{{%tr for row in {rows} %}}"
    cells = table.rows[2].cells
    cells[0].text = "{%tc for cell in row %}"
    cells[1].text = "{{ cell }}"
    cells[2].text = "{%tc endfor %}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    mark_header_row(table)
    return table


def two_column_table(doc: Document, rows: str, left: str, right: str, heads=None) -> Table:
    extra = 1 if heads else 0
    table = doc.add_table(rows=3 + extra, cols=2)
    table.style = "Table Grid"
    if heads:
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        mark_header_row(table)
    table.rows[extra].cells[0].text = f"{{%tr for item in {rows} %}}"
    table.rows[extra + 1].cells[0].paragraphs[0].add_run(f"{{{{ {left} }}}}").bold = not heads
    table.rows[extra + 1].cells[1].text = f"{{{{ {right} }}}}"
    table.rows[extra + 2].cells[0].text = "{%tr endfor %}"
    return table


# -- the templates --------------------------------------------------------------------------


def case_form() -> Document:
    doc = new_document("Sagsoplysningsskema")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ case.reference }}", bold="Sag: ")
    para(doc, "{{ form_ref }}", bold="Skema: ")

    doc.add_heading("Sagens oplysninger og frister", level=1)
    two_column_table(doc, "case.facts", "item.label", "item.value")

    tag(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", level=1)
    tag(doc, "{%p for field in section.fields %}")
    tag(doc, '{%p if field.kind == "table" %}')
    para(doc, "", bold="{{ field.label }}")
    loop_table(doc, "field.columns", "field.rows")
    doc.add_paragraph()
    tag(doc, "{%p else %}")
    para(doc, "", bold="{{ field.label }}")
    doc.add_paragraph("{{ field.value }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    tag(doc, "{%p if completeness %}")
    doc.add_heading("Er sagen tilstrækkeligt oplyst?", level=1)
    para(doc, "{{ completeness.status }}", bold="Samlet vurdering: ")
    tag(doc, "{%p if completeness.summary %}")
    doc.add_paragraph("{{ completeness.summary }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for criterion in completeness.criteria %}")
    doc.add_heading("{{ criterion.title }}", level=2)
    para(doc, "{{ criterion.status }}", bold="Status: ")
    tag(doc, "{%p if criterion.legal_ref %}")
    para(doc, "{{ criterion.legal_ref }}", bold="Lovgrundlag: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if criterion.reasons %}")
    para(doc, "", bold="Begrundelse:")
    tag(doc, "{%p for reason in criterion.reasons %}")
    doc.add_paragraph("{{ reason }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if criterion.missing %}")
    para(doc, "", bold="Mangler:")
    tag(doc, "{%p for item in criterion.missing %}")
    doc.add_paragraph("{{ item }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if criterion.attention %}")
    para(doc, "", bold="Bemærk:")
    tag(doc, "{%p for item in criterion.attention %}")
    doc.add_paragraph("{{ item }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    footer(doc, "{{ form_ref }} · indholdshash {{ content_hash }} · dannet {{ generated }}")
    return doc


def guidance() -> Document:
    doc = new_document("Vejledning til sagsoplysningsskemaet")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ form_title }}, version {{ version }}", bold="Skema: ")
    tag(doc, "{%p if description %}")
    doc.add_paragraph("{{ description }}")
    tag(doc, "{%p endif %}")

    doc.add_heading("Indledning", level=1)
    markdown(doc, "intro")
    tag(doc, "{%p if legal_basis %}")
    doc.add_heading("Lovgrundlag", level=2)
    tag(doc, "{%p for ref in legal_basis %}")
    doc.add_paragraph("{{ ref }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    doc.add_heading("Skemaets afsnit og spørgsmål", level=1)
    tag(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", level=2)
    tag(doc, "{%p if section.legal_refs %}")
    para(doc, "{{ section.legal_refs }}", bold="Lovgrundlag: ")
    tag(doc, "{%p endif %}")
    markdown(doc, "section.guidance")
    tag(doc, "{%p for field in section.fields %}")
    doc.add_heading("{{ field.label }}", level=3)
    tag(doc, "{%p if field.hint %}")
    doc.add_paragraph().add_run("{{ field.hint }}").italic = True
    tag(doc, "{%p endif %}")
    para(doc, "{{ field.type }} · obligatorisk: {{ field.required }}", bold="Svar: ")
    tag(doc, "{%p if field.conditional %}")
    doc.add_paragraph("Spørgsmålet vises kun, når det er relevant for sagen.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if field.options %}")
    para(doc, "{{ field.options }}", bold="Svarmuligheder: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if field.columns %}")
    para(doc, "{{ field.columns }}", bold="Kolonner: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if field.legal_refs %}")
    para(doc, "{{ field.legal_refs }}", bold="Lovgrundlag: ")
    tag(doc, "{%p endif %}")
    markdown(doc, "field.guidance")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    doc.add_heading("Hvornår er en sag tilstrækkeligt oplyst?", level=1)
    markdown(doc, "sufficient")
    tag(doc, "{%p for criterion in criteria %}")
    doc.add_heading("{{ criterion.title }}", level=2)
    tag(doc, "{%p if criterion.legal_ref %}")
    para(doc, "{{ criterion.legal_ref }}", bold="Lovgrundlag: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if criterion.requires %}")
    para(doc, "{{ criterion.requires }}", bold="Skal være besvaret: ")
    tag(doc, "{%p endif %}")
    markdown(doc, "criterion.guidance")
    tag(doc, "{%p if criterion.checks %}")
    para(doc, "", bold="Skemaet gør opmærksom på:")
    tag(doc, "{%p for check in criterion.checks %}")
    doc.add_paragraph("{{ check }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    tag(doc, "{%p if missing_information %}")
    doc.add_heading("Når oplysninger mangler", level=1)
    markdown(doc, "missing_information")
    tag(doc, "{%p endif %}")

    footer(doc, "{{ form_ref }} · indholdshash {{ content_hash }} · dannet {{ generated }}")
    return doc


def blank_form() -> Document:
    doc = new_document("Sagsoplysningsskema (blankt)")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ form_ref }}", bold="Skema: ")
    tag(doc, "{%p if description %}")
    doc.add_paragraph("{{ description }}")
    tag(doc, "{%p endif %}")
    para(doc, "", bold="Sagsnummer: ")
    para(doc, "", bold="Kommune: ")

    tag(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", level=1)
    tag(doc, "{%p for field in section.fields %}")
    para(doc, " ({{ field.type }})", bold="{{ field.label }}")
    tag(doc, "{%p if field.hint %}")
    doc.add_paragraph().add_run("{{ field.hint }}").italic = True
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if field.kind == "table" %}')
    loop_table(doc, "field.column_labels", "field.rows")
    doc.add_paragraph()
    tag(doc, "{%p elif field.choices %}")
    tag(doc, "{%p for choice in field.choices %}")
    doc.add_paragraph("{{ choice }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.rows[0].cells[0].add_paragraph()
    doc.add_paragraph()
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    footer(doc, "{{ form_ref }} · indholdshash {{ content_hash }} · dannet {{ generated }}")
    return doc


def brochure() -> Document:
    doc = new_document("Pjece om seniorpension")
    doc.add_heading("{{ title }}", level=0)
    tag(doc, "{%p if subtitle %}")
    doc.add_paragraph("{{ subtitle }}", style="Subtitle")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", level=1)
    markdown(doc, "section.body")
    tag(doc, "{%p if section.rates %}")
    two_column_table(
        doc, "section.rates", "item.year", "item.percent", heads=("År", "Pensionsbidrag")
    )
    doc.add_paragraph()
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    footer(doc, "Udkast · pjece version {{ version }} · indholdshash {{ content_hash }}")
    return doc


def fix_timestamps(path: Path) -> None:
    """Give every zip entry the same date, so an unchanged template rebuilds byte for byte."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


TEMPLATES = {
    "udfyldt_skema.docx": case_form,
    "vejledning.docx": guidance,
    "blankt_skema.docx": blank_form,
    "pjece.docx": brochure,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates_docx")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        path = args.out / name
        build().save(path)
        fix_timestamps(path)
        print(f"skrev {path}")

    sys.path.insert(0, str(ROOT))
    from forms_service.documents.kinds import check_templates

    problems = check_templates(args.out)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
