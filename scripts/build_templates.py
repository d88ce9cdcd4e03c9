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
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]


# -- paper ----------------------------------------------------------------------------------

# A4 with the margins of Word's Danish normal template (3 cm top/bottom, 2 cm left/right).
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_TOP = MARGIN_BOTTOM = Cm(3.0)
MARGIN_LEFT = MARGIN_RIGHT = Cm(2.0)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT
GREY = RGBColor(0x59, 0x59, 0x59)


def twips(length: int) -> int:
    return int(length) // 635  # python-docx lengths are EMU; 635 EMU to the twip


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
    # python-docx's default template is US Letter with 1-inch margins
    page_setup(doc.sections[0])
    return doc


def page_setup(section: Section, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = PAGE_HEIGHT if landscape else PAGE_WIDTH
    section.page_height = PAGE_WIDTH if landscape else PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Cm(1.25)


def landscape_section(doc: Document) -> None:
    """Start a landscape section on a new page (wide tables); header and footer carry over."""
    page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)


def _small(paragraph: Paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = GREY


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) Word and LibreOffice update when the pages are laid out."""
    run = paragraph.add_run("1")
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run._r.addprevious(field)
    field.append(run._r)


def header(doc: Document, text: str) -> None:
    """The running header: on case documents it names the case, so a loose page is matched."""
    _small(doc.sections[0].header.paragraphs[0], text)


def footer(doc: Document, text: str) -> None:
    """Document facts on the left of every page's footer, "Side X af Y" on the right."""
    p = doc.sections[0].footer.paragraphs[0]
    _small(p, text)
    pages = doc.sections[0].footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _small(pages, "Side ")
    _field(pages, "PAGE")
    _small(pages, " af ")
    _field(pages, "NUMPAGES")


# -- paragraphs -----------------------------------------------------------------------------


def tag(doc: Document | _Cell, text: str) -> None:
    """A paragraph holding only a ``{%p … %}`` tag; docxtpl removes the paragraph itself."""
    doc.add_paragraph(text)


def para(doc: Document, text: str, *, style: str | None = None, bold: str | None = None):
    """A paragraph; ``bold`` is a leading label set in bold."""
    p = doc.add_paragraph(style=style)
    if bold:
        p.add_run(bold).bold = True
    p.add_run(text)
    return p


def label(doc: Document, text: str, rest: str = "") -> Paragraph:
    """A question's label, kept on the page of its answer."""
    p = para(doc, rest, bold=text)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(2)
    return p


def markdown(doc: Document, expr: str) -> None:
    """Paragraphs of a markdown text prepared by ``forms_service.documents.markdown``."""
    tag(doc, f"{{%p for block in {expr} %}}")
    tag(doc, "{%p if block.table %}")
    loop_table(doc, "block.headings", "block.rows")
    spacer(doc)
    tag(doc, "{%p elif block.bullet %}")
    doc.add_paragraph("{{r block.runs }}", style="List Bullet")
    tag(doc, "{%p else %}")
    doc.add_paragraph("{{r block.runs }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


# -- tables ---------------------------------------------------------------------------------


def _table(doc: Document, rows: int, cols: int, widths: list[float], *, width: int = 0) -> Table:
    """A bordered table as wide as the text, columns in the given proportions, rows unsplit."""
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    total = twips(width or TEXT_WIDTH)
    sizes = [int(total * w / sum(widths)) for w in widths]
    sizes[-1] += total - sum(sizes)
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(total))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for grid_col, size in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), sizes, strict=True):
        grid_col.set(qn("w:w"), str(size))
    for row in table.rows:
        for cell, size in zip(row.cells, sizes, strict=True):
            cell.width = Twips(size)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return table


def mark_header_row(table: Table) -> None:
    """The first row repeats on every page the table runs over."""
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def loop_table(
    doc: Document, columns: str, rows: str, *, width: int = 0, size: float | None = None
) -> Table:
    """A table whose columns and rows both come from the context (``{%tc %}``/``{%tr %}``).

    The renderer sets the column widths from the rendered content (``documents.tables``),
    keeping the table as wide as the text.
    """
    table = _table(doc, 4, 3, [1, 1, 1], width=width)
    head = table.rows[0].cells
    head[0].text = f"{{%tc for column in {columns} %}}"
    heading = head[1].paragraphs[0].add_run("{{ column }}")
    heading.bold = True
    head[2].text = "{%tc endfor %}"
    table.rows[1].cells[0].text = f"{{%tr for row in {rows} %}}"
    cells = table.rows[2].cells
    cells[0].text = "{%tc for cell in row %}"
    value = cells[1].paragraphs[0].add_run("{{ cell }}")
    cells[2].text = "{%tc endfor %}"
    if size:
        heading.font.size = value.font.size = Pt(size)
    table.rows[3].cells[0].text = "{%tr endfor %}"
    mark_header_row(table)
    return table


def two_column_table(
    doc: Document,
    rows: str,
    left: str,
    right: str,
    heads=None,
    widths=(2, 3),
    *,
    together: bool = False,
) -> Table:
    """A label/value table; ``together`` keeps all its rows on one page (a short record)."""
    extra = 1 if heads else 0
    table = _table(doc, 3 + extra, 2, list(widths))
    if heads:
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        mark_header_row(table)
    table.rows[extra].cells[0].text = f"{{%tr for item in {rows} %}}"
    table.rows[extra + 1].cells[0].paragraphs[0].add_run(f"{{{{ {left} }}}}").bold = not heads
    table.rows[extra + 1].cells[1].text = f"{{{{ {right} }}}}"
    table.rows[extra + 2].cells[0].text = "{%tr endfor %}"
    if together:
        for cell in table.rows[extra + 1].cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    return table


def writing_box(doc: Document, lines: str) -> Table:
    """An empty framed box with one empty paragraph per expected line of answer."""
    box = _table(doc, 1, 1, [1])
    cell = box.rows[0].cells[0]
    cell.paragraphs[0].text = f"{{%p for line in {lines} %}}"
    cell.add_paragraph().paragraph_format.space_after = Pt(10)
    tag(cell, "{%p endfor %}")
    return box


def spacer(doc: Document) -> None:
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


# -- the templates --------------------------------------------------------------------------

CASE_FOOTER = "{{ form_label }} · indholdshash {{ content_hash }} · dannet {{ generated }}"


def case_form() -> Document:
    doc = new_document("{{ title }} – {{ case.reference }}")
    header(doc, "{{ header }}")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ form_label }}", bold="Skema: ")
    tag(doc, "{%p if case.reference %}")
    doc.add_heading("Sagens oplysninger og frister", level=1)
    two_column_table(doc, "case.facts", "item.label", "item.value")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", level=1)
    tag(doc, "{%p for field in section.fields %}")
    tag(doc, '{%p if field.kind == "table" %}')
    label(doc, "{{ field.label }}")
    loop_table(doc, "field.columns", "field.rows")
    spacer(doc)
    tag(doc, '{%p elif field.kind == "records" %}')
    label(doc, "{{ field.label }}")
    tag(doc, "{%p for record in field.records %}")
    label(doc, "{{ record.title }}").runs[0].italic = True
    two_column_table(doc, "record.pairs", "item.label", "item.value", together=True)
    spacer(doc)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    label(doc, "{{ field.label }}")
    doc.add_paragraph("{{ field.value }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    # the uploaded documents (issue 16): name, type, size, and the sha256 on a line of its own
    # (64 characters fit the A4 text width, not a table column)
    tag(doc, "{%p if documents %}")
    doc.add_heading("Dokumenter", level=1)
    tag(doc, "{%p for document in documents %}")
    label(doc, "{{ document.filename }}", " – {{ document.type }}, {{ document.size }}")
    para(doc, "{{ document.sha256 }}", bold="sha256: ")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if completeness %}")
    doc.add_heading("Er sagen tilstrækkeligt oplyst?", level=1)
    para(doc, "{{ completeness.status }}", bold="Samlet vurdering: ")
    tag(doc, "{%p if completeness.summary %}")
    doc.add_paragraph("{{ completeness.summary }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for criterion in completeness.criteria %}")
    doc.add_heading("{{ criterion.title }}", level=2)
    label(doc, "Status: ", "{{ criterion.status }}")
    tag(doc, "{%p if criterion.legal_ref %}")
    para(doc, "{{ criterion.legal_ref }}", bold="Lovgrundlag: ")
    tag(doc, "{%p endif %}")
    for key, title in (
        ("reasons", "Begrundelse:"),
        ("missing", "Mangler:"),
        ("attention", "Bemærk:"),
    ):
        tag(doc, f"{{%p if criterion.{key} %}}")
        label(doc, title)
        tag(doc, f"{{%p for item in criterion.{key} %}}")
        doc.add_paragraph("{{ item }}", style="List Bullet")
        tag(doc, "{%p endfor %}")
        tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    footer(doc, CASE_FOOTER)
    return doc


def guidance() -> Document:
    doc = new_document("Vejledning til sagsoplysningsskemaet")
    header(doc, "{{ header }}")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ form_label }}", bold="Skema: ")
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
    doc.add_paragraph("Spørgsmålet skal kun besvares, når det er relevant for sagen.")
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
    label(doc, "Skemaet gør opmærksom på:")
    tag(doc, "{%p for check in criterion.checks %}")
    doc.add_paragraph("{{ check }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    tag(doc, "{%p if missing_information %}")
    doc.add_heading("Når oplysninger mangler", level=1)
    markdown(doc, "missing_information")
    tag(doc, "{%p endif %}")

    footer(doc, CASE_FOOTER)
    return doc


def blank_form() -> Document:
    doc = new_document("Sagsoplysningsskema (blankt)")
    header(doc, "{{ header }}")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ form_label }}", bold="Skema: ")
    tag(doc, "{%p if description %}")
    doc.add_paragraph("{{ description }}")
    tag(doc, "{%p endif %}")
    heads = _table(doc, 2, 2, [1, 3])
    for row, text in zip(heads.rows, ("Sagsnummer", "Kommune"), strict=True):
        row.cells[0].paragraphs[0].add_run(text).bold = True
        row.height = Cm(1.0)
    spacer(doc)

    tag(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", level=1)
    tag(doc, "{%p for field in section.fields %}")
    label(doc, "{{ field.label }}", " ({{ field.type }})")
    tag(doc, "{%p if field.hint %}")
    hint = doc.add_paragraph()
    hint.add_run("{{ field.hint }}").italic = True
    hint.paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if field.kind == "records" %}')
    tag(doc, "{%p for record in field.records %}")
    label(doc, "{{ record.title }}").runs[0].italic = True
    table = two_column_table(doc, "record.pairs", "item.label", "item.value", together=True)
    table.rows[1].height = Cm(0.9)
    spacer(doc)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p elif field.choices %}")
    tag(doc, "{%p for choice in field.choices %}")
    choice = doc.add_paragraph("{{ choice }}")
    choice.paragraph_format.space_after = Pt(2)
    choice.paragraph_format.keep_with_next = True
    tag(doc, "{%p endfor %}")
    spacer(doc)
    tag(doc, "{%p else %}")
    writing_box(doc, "field.lines")
    spacer(doc)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    footer(doc, CASE_FOOTER)
    return doc


def brochure() -> Document:
    doc = new_document("{{ title }}")
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
    spacer(doc)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    footer(doc, "{{ footer }}")
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
