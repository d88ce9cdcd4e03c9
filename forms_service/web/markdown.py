"""Guidance markdown → sanitised HTML for the web pages.

Guidance is written by form editors, not by the caseworkers who read it, but it is still
data: markdown-it renders it with raw HTML switched off, and nh3 (an allow-list sanitiser)
cleans the result, so neither a stray ``<script>`` nor a ``javascript:`` link can reach a page.
Headings are shifted so a guidance text fits under the heading it is placed beneath.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)


def render_markdown(text: str | None, *, heading_level: int = 2) -> Markup:
    """Safe HTML of ``text``; its highest heading becomes ``<h{heading_level}>``."""
    if not text or not text.strip():
        return Markup("")
    return Markup(_render(text, max(2, min(heading_level, 6))))  # noqa: S704 - sanitised by nh3


@lru_cache(maxsize=2048)
def _render(text: str, heading_level: int) -> str:
    tokens = _md.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if levels:
        shift = heading_level - min(levels)
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{max(2, min(int(token.tag[1]) + shift, 6))}"
    html = _md.renderer.render(tokens, _md.options, {})
    return sanitise_html(html)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
