"""The rendering engine: sandbox, template checks, escaping, line breaks, caching."""

from __future__ import annotations

import os
import time
from pathlib import Path

import docx
import pytest
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SecurityError

from forms_service.documents.template import (
    DocumentRenderError,
    TemplateCheckError,
    clear_cache,
    load_template,
)
from tests.documents.docx_helpers import all_text, open_docx


def make_template(path: Path, *paragraphs: str, footer: str | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    document.save(path)
    return path


def test_payload_is_refused_when_the_template_is_loaded(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "ond.docx",
        "Hej {{ name }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    )
    with pytest.raises(TemplateCheckError) as caught:
        load_template(path)
    problem = caught.value.problems[0]
    assert problem.template == "ond.docx"
    assert problem.line is not None
    assert "__init__" in str(problem)
    assert "ond.docx" in str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler['__init__'] }}",
        "{% set g = cycler.__init__ %}{{ g }}",
    ],
)
def test_underscore_attributes_are_refused_on_load(tmp_path: Path, payload: str) -> None:
    with pytest.raises(TemplateCheckError, match="ikke tilladt"):
        load_template(make_template(tmp_path / "ond.docx", payload))


@pytest.mark.parametrize(
    "payload",
    [
        "{{ (cycler|attr('__init__')|attr('__globals__')).os.system('touch {marker}') }}",
        "{{ cycler|attr('__init__') }}",
        "{% set name = '__' ~ 'init__' %}{{ cycler[name] }}",
    ],
)
def test_sandbox_refuses_payloads_that_pass_the_static_check(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "executed"
    path = make_template(tmp_path / "ond.docx", payload.replace("{marker}", str(marker)))
    template = load_template(path)
    with pytest.raises(DocumentRenderError) as caught:
        template.render({})
    # the sandbox hands back an undefined that refuses every further use; which of the two
    # errors surfaces depends on how far the chain got
    assert isinstance(caught.value.__cause__, SecurityError | UndefinedError)
    assert "__init__" in str(caught.value) or "__globals__" in str(caught.value)
    assert not marker.exists()


def test_sandbox_blocks_mutating_the_context(tmp_path: Path) -> None:
    path = make_template(tmp_path / "mut.docx", "{{ items.append(1) }}{{ items }}")
    template = load_template(path)
    with pytest.raises(DocumentRenderError) as caught:
        template.render({"items": []})
    assert isinstance(caught.value.__cause__, SecurityError)


def test_undefined_variable_at_render_is_an_error_not_a_blank(tmp_path: Path) -> None:
    path = make_template(tmp_path / "t.docx", "Navn: {{ person.navn }}")
    template = load_template(path)
    with pytest.raises(DocumentRenderError) as caught:
        template.render({"person": {}})
    assert isinstance(caught.value.__cause__, UndefinedError)
    assert "t.docx" in str(caught.value)


def test_syntax_error_is_reported_with_template_name_and_line(tmp_path: Path) -> None:
    path = make_template(tmp_path / "syntaks.docx", "Første", "Anden", "{% for x in %}", "Sidst")
    with pytest.raises(TemplateCheckError) as caught:
        load_template(path)
    problem = caught.value.problems[0]
    assert problem.template == "syntaks.docx"
    assert problem.part == "word/document.xml"
    assert problem.excerpt == "{% for x in %}"
    assert problem.line is not None and problem.line > 2


def test_variables_the_context_lacks_are_reported_on_load(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "mangler.docx",
        "{{ title }}",
        "{% for s in sections %}{{ s.title }}{{ ukendt }}{% endfor %}",
        footer="{{ fodnote }}",
    )
    with pytest.raises(TemplateCheckError) as caught:
        load_template(path, declared={"title", "sections"})
    messages = {(p.part, p.message.split(" findes")[0]) for p in caught.value.problems}
    assert ("word/document.xml", "variablen 'ukendt'") in messages
    assert ("word/footer1.xml", "variablen 'fodnote'") in messages
    assert all(p.line for p in caught.value.problems)
    # the same template is fine when the context provides every name
    assert load_template(path, declared={"title", "sections", "ukendt", "fodnote"}).variables == {
        "title",
        "sections",
        "ukendt",
        "fodnote",
    }


def test_special_characters_and_line_breaks_come_out_as_typed(tmp_path: Path) -> None:
    path = make_template(tmp_path / "t.docx", "Svar: {{ svar }}", footer="{{ fod }}")
    answer = "A & B < C > D \"citat\" 'enkelt'\nNy linje\r\nTredje\tmed tab\x01"
    data = load_template(path).render({"svar": answer, "fod": "<&>"})
    document = open_docx(data)
    assert document.paragraphs[0].text == (
        "Svar: A & B < C > D \"citat\" 'enkelt'\nNy linje\nTredje\tmed tab"
    )
    assert document.sections[0].footer.paragraphs[0].text == "<&>"
    assert "<w:br/>" in document.paragraphs[0]._p.xml


def test_a_value_cannot_inject_xml(tmp_path: Path) -> None:
    path = make_template(tmp_path / "t.docx", "{{ svar }}")
    injected = "</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>fed"
    document = open_docx(load_template(path).render({"svar": injected}))
    assert document.paragraphs[0].text == injected
    assert not any(run.bold for run in document.paragraphs[0].runs)


def test_loops_over_table_rows_and_columns(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.rows[0].cells[0].text = "{%tr for row in rows %}"
    cells = table.rows[1].cells
    cells[0].text = "{%tc for cell in row %}"
    cells[1].text = "{{ cell }}"
    cells[2].text = "{%tc endfor %}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    document.save(tmp_path / "tabel.docx")
    rows = [["1", "2", "3", "4", "5"], ["a", "b", "c", "d", "e"]]
    out = open_docx(load_template(tmp_path / "tabel.docx").render({"rows": rows}))
    assert [[c.text for c in r.cells] for r in out.tables[0].rows] == rows
    assert len(out.tables[0]._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))) == 5


def test_compiled_template_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    clear_cache()
    path = make_template(tmp_path / "t.docx", "Version {{ n }}")
    first = load_template(path)
    assert load_template(path) is first
    make_template(path, "Ny udgave {{ n }}")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_template(path)
    assert second is not first
    assert open_docx(second.render({"n": 2})).paragraphs[0].text == "Ny udgave 2"


def test_rendering_twice_gives_the_same_document_and_leaves_the_template_alone(
    tmp_path: Path,
) -> None:
    path = make_template(tmp_path / "t.docx", "{{ a }}", "{{ b }}")
    before = path.read_bytes()
    template = load_template(path)
    first = template.render({"a": "x", "b": "y"})
    template.render({"a": "z", "b": "w"})
    assert template.render({"a": "x", "b": "y"}) == first
    assert path.read_bytes() == before
    assert "x\ny" in all_text(open_docx(first))


def test_rendering_does_not_depend_on_the_clock(tmp_path: Path) -> None:
    path = make_template(tmp_path / "t.docx", "{{ a }}")
    template = load_template(path)
    first = template.render({"a": 1})
    time.sleep(1.1)
    assert template.render({"a": 1}) == first
