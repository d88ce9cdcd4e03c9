"""The small markdown subset of guidance texts, turned into Word paragraphs and runs.

Guidance in definitions and brochure content is markdown; Word needs paragraphs with styles
and runs with bold/italic. Supported: paragraphs, bullet and numbered lists, bold, italic,
inline code (as plain text), links (text followed by the address), headings (as bold
paragraphs), line breaks and tables (GitHub style: a Word table with a header row). Anything
else keeps its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markupsafe import Markup

from forms_service.documents.sandbox import text_to_wordml

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Block:
    """One paragraph; ``style`` is ``paragraph``, ``bullet``, ``number``, ``heading`` or
    ``table`` (then ``headings`` and ``rows`` hold the cells' text)."""

    style: str
    runs: list[Run] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.style == "table":
            return self.headings[0] if self.headings else ""
        return "".join(r.text for r in self.runs)

    def as_context(self) -> dict[str, object]:
        return {
            "style": self.style,
            "bullet": self.style == "bullet",
            "heading": self.style == "heading",
            "table": self.style == "table",
            "headings": self.headings,
            "rows": self.rows,
            "text": self.text,
            "runs": runs_xml(self.runs, bold=self.style == "heading"),
        }


def parse_blocks(source: str | None) -> list[Block]:
    if not source:
        return []
    blocks: list[Block] = []
    lists: list[str] = []
    numbers: list[int] = []
    current: Block | None = None
    table: Block | None = None
    for token in _md.parse(source):
        kind = token.type
        if kind == "table_open":
            table = Block("table")
        elif kind == "table_close" and table is not None:
            blocks.append(table)
            table = None
        elif table is not None:
            if kind == "tr_open":
                table.rows.append([])
            elif kind == "inline":
                table.rows[-1].append("".join(r.text for r in _inline_runs(token.children or [])))
            elif kind == "thead_close" and table.rows:
                table.headings = table.rows.pop()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if kind == "bullet_list_open" else "number")
            numbers.append(int(token.attrs.get("start", 1) or 1) - 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            numbers.pop()
        elif kind == "list_item_open" and lists:
            numbers[-1] += 1
        elif kind in ("paragraph_open", "heading_open"):
            style = "heading" if kind == "heading_open" else (lists[-1] if lists else "paragraph")
            current = Block(style)
            if style == "number":
                current.runs.append(Run(f"{numbers[-1]}. "))
        elif kind in ("paragraph_close", "heading_close"):
            if current is not None and current.runs:
                blocks.append(current)
            current = None
        elif kind == "inline" and current is not None:
            current.runs.extend(_inline_runs(token.children or []))
        elif kind in ("fence", "code_block"):
            blocks.append(Block("paragraph", [Run(token.content.rstrip("\n"))]))
    return blocks


def _inline_runs(children: list) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in ("text", "code_inline") and child.content:
            runs.append(Run(child.content, bold, italic))
        elif kind == "softbreak":
            runs.append(Run(" ", bold, italic))
        elif kind == "hardbreak":
            runs.append(Run("\n", bold, italic))
        elif kind == "link_open":
            link = child.attrs.get("href")
        elif kind == "link_close" and link:
            runs.append(Run(f" ({link})", bold, italic))
            link = None
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return merged


def runs_xml(runs: list[Run], *, bold: bool = False) -> Markup:
    """WordprocessingML runs for ``{{r … }}`` in a template; text is escaped here."""
    run_xml = Markup('<w:r>{}<w:t xml:space="preserve">{}</w:t></w:r>')
    return Markup("").join(
        run_xml.format(_RUN_PROPS[(run.bold or bold, run.italic)], text_to_wordml(run.text))
        for run in runs
    )


_RUN_PROPS = {
    (False, False): Markup(""),
    (True, False): Markup("<w:rPr><w:b/></w:rPr>"),
    (False, True): Markup("<w:rPr><w:i/></w:rPr>"),
    (True, True): Markup("<w:rPr><w:b/><w:i/></w:rPr>"),
}


def markdown_context(source: str | None) -> list[dict[str, object]]:
    """Template context for a markdown text: a list of paragraphs (style, runs, text)."""
    return [block.as_context() for block in parse_blocks(source)] if source else []
