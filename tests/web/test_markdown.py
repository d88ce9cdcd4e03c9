"""Guidance markdown → sanitised HTML: dangerous input removed, ordinary markdown kept."""

from __future__ import annotations

import re

import pytest

from forms_service.definitions.registry import default_registry
from forms_service.web.markdown import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "Før <script>alert('x')</script> efter",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://ok.dk" onclick="alert(1)">link</a>',
        '<div onmouseover="alert(1)">tekst</div>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_never_becomes_markup(source: str) -> None:
    html = str(render_markdown(source))
    assert not re.search(r"<\s*(script|img|iframe|style|div)", html, re.IGNORECASE)
    assert not re.search(r"<[^>]+\bon[a-z]+\s*=", html, re.IGNORECASE)


@pytest.mark.parametrize(
    "source",
    [
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik](  javascript:alert(1))",
        "[klik](vbscript:msgbox(1))",
        "[klik](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[klik][ref]\n\n[ref]: javascript:alert(1)",
        "![billede](javascript:alert(1))",
    ],
)
def test_dangerous_link_schemes_are_removed(source: str) -> None:
    html = str(render_markdown(source))
    assert "href=" not in html.lower()
    assert "<img" not in html.lower()


def test_allowed_markdown_survives() -> None:
    source = (
        "# Overskrift\n\n"
        "## Underoverskrift\n\n"
        "Tekst med **fed**, *kursiv* og `kode`.\n\n"
        "- punkt ét\n- punkt to\n\n"
        "1. første\n2. anden\n\n"
        "> citat\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[Pensionsloven](https://www.retsinformation.dk/eli/lta/2023/1) og "
        "[mail](mailto:seniorpension@example.dk)\n"
    )
    html = str(render_markdown(source))
    for fragment in (
        "<strong>fed</strong>",
        "<em>kursiv</em>",
        "<code>kode</code>",
        "<li>punkt ét</li>",
        "<ol>",
        "<blockquote>",
        "<table>",
        "<td>1</td>",
    ):
        assert fragment in html
    link = re.search(r'<a href="https://www.retsinformation.dk/eli/lta/2023/1"([^>]*)>', html)
    assert link and 'rel="noopener' in link.group(1)
    assert 'href="mailto:seniorpension@example.dk"' in html


def test_headings_are_shifted_to_fit_where_the_guidance_is_placed() -> None:
    source = "# Titel\n\n## Under\n\ntekst"
    assert str(render_markdown(source, heading_level=3)).startswith(
        "<h3>Titel</h3>\n<h4>Under</h4>"
    )
    # never an <h1>: the page has its own
    assert "<h1" not in str(render_markdown(source, heading_level=1))
    assert "<h2>Titel</h2>" in str(render_markdown(source))


def test_empty_guidance_renders_nothing() -> None:
    assert str(render_markdown(None)) == ""
    assert str(render_markdown("   \n")) == ""


@pytest.mark.parametrize("version", ["1.0.0", "2.0.0-pilot.1"])
def test_all_bundled_guidance_renders_without_losing_text(version: str) -> None:
    definition = default_registry().get("sagsoplysningsskema", version)
    texts = [definition.guidance.intro, definition.guidance.sufficient]
    texts += [s.guidance for s in definition.sections]
    texts += [f.guidance for _s, f in definition.iter_fields()]
    rendered = [str(render_markdown(t)) for t in texts if t]
    assert len(rendered) > 5
    for html in rendered:
        assert html.strip() and "&lt;" not in html  # no markup was escaped into view
