"""Column widths from the rendered content, for tables whose columns come from the context.

docxtpl's ``fix_tables`` gives a table that gained columns in a ``{%tc for %}`` loop equal
widths, so an eight-column table breaks "Arbejdsgiver" in the middle while a column of "Ja"
takes the same room. Here each column gets at least the width of its longest word and the rest
of the table's width (the template's, normally the text width) goes to the columns with the
most text. The widths are written to the grid and to every cell and add up to the table's
width, with a fixed layout so Word and LibreOffice both keep them.
"""

from __future__ import annotations

import re

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Twips per character and half-point of font size: a generous average that holds for Calibri
# and for the wider fonts LibreOffice substitutes where Calibri is missing (DejaVu Sans), bold
# included. And a cell's own left and right padding.
CHAR_TWIPS_PER_HALF_POINT = 7.0
BOLD_FACTOR = 1.08
DEFAULT_HALF_POINTS = 22  # 11 pt, the templates' Normal style
CELL_PADDING = 230
# Text longer than this many characters wraps anyway; more does not earn a wider column.
LONG_TEXT = 45


# Marks, in a compiled template, a table whose columns come from a ``{%tc %}`` loop.
FIT_MARK = "forms-service:fit-columns"


def mark_column_loops(root: etree._Element) -> bool:
    """Mark the tables of a template part that loop over columns; True if there were any."""
    marked = False
    for table in root.iter(f"{W}tbl"):
        props = table.find(f"{W}tblPr")
        if props is None or "{%tc" not in "".join(table.itertext()).replace("{% tc", "{%tc"):
            continue
        caption = etree.SubElement(props, f"{W}tblCaption")
        caption.set(f"{W}val", FIT_MARK)
        marked = True
    return marked


def fit_columns(tree: etree._Element) -> None:
    """Set content-based column widths on the marked tables of ``tree`` (a rendered part).

    Also gives the table a grid of as many columns as its widest row, which is what docxtpl's
    ``fix_tables`` does for every table of a document.
    """
    for caption in list(tree.iter(f"{W}tblCaption")):
        if caption.get(f"{W}val") != FIT_MARK:
            continue
        props = caption.getparent()
        props.remove(caption)
        table = props.getparent()
        _regrid(table)
        _fit(table)


_TABLE_START = re.compile(r"<w:tbl[ >]")
_TABLE_TAG = re.compile(r"<w:tbl[ >]|</w:tbl>")
_ROOT = re.compile(r"<(?!\?)([\w:]+)[^>]*>")


def fit_marked_tables(xml: str) -> str:
    """``fit_columns`` on a rendered part as text, parsing only the marked tables.

    A rendered document is mostly paragraphs; parsing and writing all of it again per
    document would cost more than rendering it.
    """
    position = xml.find(FIT_MARK)
    if position < 0:
        return xml
    root = _ROOT.search(xml)
    if root is None:
        return xml
    opening, closing = root.group(0), f"</{root.group(1)}>"
    pieces = []
    done = 0
    while position >= 0:
        start = max(m.start() for m in _TABLE_START.finditer(xml, done, position))
        depth, end = 0, start
        for tag in _TABLE_TAG.finditer(xml, start):
            depth += 1 if tag.group(0) != "</w:tbl>" else -1
            if depth == 0:
                end = tag.end()
                break
        wrapper = etree.fromstring((opening + xml[start:end] + closing).encode("utf-8"))
        fit_columns(wrapper)
        table = etree.tostring(wrapper[0], encoding="unicode")
        pieces += [xml[done:start], table]
        done = end
        position = xml.find(FIT_MARK, done)
    pieces.append(xml[done:])
    return "".join(pieces)


def _regrid(table: etree._Element) -> None:
    grid = table.find(f"{W}tblGrid")
    if grid is None:
        return
    columns = grid.findall(f"{W}gridCol")
    width = max(
        (sum(_span(cell) for cell in row.findall(f"{W}tc")) for row in table.findall(f"{W}tr")),
        default=0,
    )
    if width == len(columns) or width == 0:
        return
    total = sum(int(float(c.get(f"{W}w") or 0)) for c in columns)
    for column in columns:
        grid.remove(column)
    for _ in range(width):
        etree.SubElement(grid, f"{W}gridCol").set(f"{W}w", str(total // width))


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{W}tcPr/{W}gridSpan")
    return int(span.get(f"{W}val") or 1) if span is not None else 1


def _cell_text(cell: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in cell.iter(f"{W}p"))


def _fit(table: etree._Element) -> None:
    grid = table.find(f"{W}tblGrid")
    if grid is None:
        return
    columns = grid.findall(f"{W}gridCol")
    rows = [row.findall(f"{W}tc") for row in table.findall(f"{W}tr")]
    if not columns or any(len(cells) != len(columns) for cells in rows):
        return  # merged cells: leave the template's widths alone
    total = sum(int(float(c.get(f"{W}w") or 0)) for c in columns)
    if total <= 0:
        return
    minimum = [0] * len(columns)
    wanted = [0] * len(columns)
    for cells in rows:
        for index, cell in enumerate(cells):
            text = _cell_text(cell)
            char = _char_twips(cell)
            longest = max((len(word) for word in text.split()), default=0)
            minimum[index] = max(minimum[index], int(longest * char) + CELL_PADDING)
            wanted[index] = max(wanted[index], int(min(len(text), LONG_TEXT) * char) + CELL_PADDING)
    widths = _distribute(total, minimum, wanted)
    for column, width in zip(columns, widths, strict=True):
        column.set(f"{W}w", str(width))
    for cells in rows:
        for cell, width in zip(cells, widths, strict=True):
            _set_cell_width(cell, width)
    _fixed_layout(table, total)


def _char_twips(cell: etree._Element) -> float:
    size = cell.find(f".//{W}rPr/{W}sz")
    half_points = int(size.get(f"{W}val") or DEFAULT_HALF_POINTS) if size is not None else 0
    bold = cell.find(f".//{W}rPr/{W}b") is not None
    width = (half_points or DEFAULT_HALF_POINTS) * CHAR_TWIPS_PER_HALF_POINT
    return width * BOLD_FACTOR if bold else width


def _distribute(total: int, minimum: list[int], wanted: list[int]) -> list[int]:
    floor = sum(minimum)
    if floor >= total:
        # the words alone do not fit: shrink in proportion (a layout choice for the caller)
        widths = [total * m // floor for m in minimum]
    else:
        extra = [max(w - m, 0) for w, m in zip(wanted, minimum, strict=True)]
        spare = total - floor
        if sum(extra) == 0:
            widths = [m + spare // len(minimum) for m in minimum]
        elif sum(extra) <= spare:
            # everything fits on one line; the rest is shared like the text
            rest = spare - sum(extra)
            widths = [
                m + e + rest * w // sum(wanted)
                for m, e, w in zip(minimum, extra, wanted, strict=True)
            ]
        else:
            widths = [m + spare * e // sum(extra) for m, e in zip(minimum, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


def _set_cell_width(cell: etree._Element, width: int) -> None:
    props = cell.find(f"{W}tcPr")
    if props is None:
        props = etree.Element(f"{W}tcPr")
        cell.insert(0, props)
    tc_w = props.find(f"{W}tcW")
    if tc_w is None:
        tc_w = etree.Element(f"{W}tcW")
        props.insert(0, tc_w)
    tc_w.set(f"{W}w", str(width))
    tc_w.set(f"{W}type", "dxa")


def _fixed_layout(table: etree._Element, total: int) -> None:
    props = table.find(f"{W}tblPr")
    if props is None:
        return
    tbl_w = props.find(f"{W}tblW")
    if tbl_w is not None:
        tbl_w.set(f"{W}w", str(total))
        tbl_w.set(f"{W}type", "dxa")
    if props.find(f"{W}tblLayout") is None:
        layout = etree.SubElement(props, f"{W}tblLayout")
        layout.set(f"{W}type", "fixed")
