"""Build the forum's report templates (pilot report, quarterly status report) with python-docx.

    .venv/bin/python scripts/build_report_templates.py [--out templates_docx]

Like the other templates, these are ordinary .docx files a communications officer may restyle
in Word, keeping the Jinja tags. The table helpers come from ``build_templates.py``; each
template is checked against its context keys after writing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import (  # noqa: E402
    LANDSCAPE_TEXT_WIDTH,
    fix_timestamps,
    footer,
    header,
    label,
    landscape_section,
    loop_table,
    new_document,
    para,
    spacer,
    tag,
    two_column_table,
)

from forms_service.documents.template import load_template  # noqa: E402
from forms_service.pilots.report import PILOT_REPORT_KEYS  # noqa: E402
from forms_service.privacy.export import ACCESS_EXPORT_KEYS  # noqa: E402
from forms_service.reporting.report import STATUS_REPORT_KEYS  # noqa: E402


def tables_loop(doc) -> None:  # type: ignore[no-untyped-def]
    """The detail tables, in a landscape section: they have up to ten columns."""
    landscape_section(doc)
    doc.add_heading("Tabeller", level=1)
    tag(doc, "{%p for table in tables %}")
    doc.add_heading("{{ table.title }}", level=2)
    # a table without rows says so instead of printing its headings alone
    tag(doc, "{%p if table.rows %}")
    loop_table(doc, "table.headings", "table.rows", width=LANDSCAPE_TEXT_WIDTH, size=9)
    spacer(doc)
    tag(doc, "{%p else %}")
    para(doc, "Ingen sager i udvalget.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if table.note %}")
    para(doc, "{{ table.note }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def pilot_report():  # type: ignore[no-untyped-def]
    doc = new_document("{{ title }}")
    header(doc, "{{ title }}")
    doc.add_heading("{{ title }}", level=0)
    para(
        doc,
        "{{ pilot.form_title }}: version {{ pilot.candidate }} sammenlignet med "
        "version {{ pilot.comparison }}",
        bold="Skema: ",
    )
    para(doc, "{{ pilot.period }}", bold="Periode: ")
    para(doc, "{{ pilot.municipalities }}", bold="Pilotkommuner: ")
    para(doc, "{{ pilot.comparison_group }}", bold="Sammenligningsgruppe: ")
    para(doc, "{{ as_of }}", bold="Opgjort: ")
    tag(doc, "{%p if pilot.description %}")
    para(doc, "{{ pilot.description }}")
    tag(doc, "{%p endif %}")

    doc.add_heading("Resultater", level=1)
    para(doc, "{{ cases_line }}")
    tag(doc, "{%p for row in rows %}")
    doc.add_heading("{{ row.title }}", level=2)
    # one measure's figures and its sentence stay on one page
    label(doc, "Pilotversion: ", "{{ row.candidate }} (n = {{ row.n_candidate }})")
    label(doc, "Sammenligning: ", "{{ row.comparison }} (n = {{ row.n_comparison }})")
    label(doc, "Forskel: ", "{{ row.difference }}, 95 %-konfidensinterval {{ row.ci }}")
    label(doc, "Test: ", "{{ row.test }}, {{ row.p_text }}")
    para(doc, "{{ row.sentence }}")
    tag(doc, "{%p endfor %}")

    doc.add_heading("Figurer", level=1)
    doc.add_paragraph("{{ chart_shares }}")
    doc.add_paragraph("{{ chart_days }}")
    doc.add_heading("Tilbagemeldinger fra pilotkommunerne", level=1)
    tag(doc, "{%p if not feedback %}")
    para(doc, "Der er ingen tilbagemeldinger endnu.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for item in feedback %}")
    label(doc, "{{ item.where }} – {{ item.kind }}", " ({{ item.municipality }}, {{ item.date }})")
    para(doc, "{{ item.text }}")
    tag(doc, "{%p endfor %}")
    tables_loop(doc)

    footer(doc, "Pilotrapport – dannet {{ generated }} af forms-service")
    return doc


def status_report():  # type: ignore[no-untyped-def]
    doc = new_document("{{ title }}")
    header(doc, "{{ title }}")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ period }}", bold="Periode: ")
    para(doc, "{{ as_of }}", bold="Opgjort: ")
    para(doc, "{{ filters }}", bold="Udvalg: ")
    doc.add_heading("Overblik", level=1)
    loop_table(doc, "summary_headings", "summary")
    doc.add_heading("Figurer", level=1)
    doc.add_paragraph("{{ chart_weekly }}")
    doc.add_paragraph("{{ chart_regions }}")
    doc.add_paragraph("{{ chart_decisions }}")
    tables_loop(doc)
    footer(doc, "Statusrapport til forummet – dannet {{ generated }} af forms-service")
    return doc


def access_export():  # type: ignore[no-untyped-def]
    """The citizen's right of access: a readable summary beside the export's JSON."""
    doc = new_document("{{ title }}")
    header(doc, "{{ title }}")
    doc.add_heading("{{ title }}", level=0)
    para(doc, "{{ person }}", bold="CPR-nummer: ")
    para(doc, "{{ made_on }}", bold="Udarbejdet: ")
    para(doc, "{{ intro }}")
    tag(doc, "{%p if no_cases %}")
    para(doc, "Der er ingen sager om dette CPR-nummer.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for case in cases %}")
    doc.add_heading("{{ case.title }}", level=1)
    two_column_table(doc, "case.facts", "item[0]", "item[1]", together=True)
    tag(doc, "{%p for table in case.tables %}")
    doc.add_heading("{{ table.title }}", level=2)
    tag(doc, "{%p if table.rows %}")
    loop_table(doc, "table.headings", "table.rows", size=9)
    spacer(doc)
    tag(doc, "{%p else %}")
    para(doc, "Ingen.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    footer(doc, "Indsigt efter databeskyttelsesforordningens artikel 15 – dannet af forms-service")
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates_docx")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build, keys in (
        ("pilot_report.docx", pilot_report, PILOT_REPORT_KEYS),
        ("status_report.docx", status_report, STATUS_REPORT_KEYS),
        ("indsigt.docx", access_export, ACCESS_EXPORT_KEYS),
    ):
        path = args.out / name
        build().save(path)
        fix_timestamps(path)
        load_template(path, declared=keys)
        print(f"skrevet og kontrolleret: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
