"""Which cells of a row an expression reads: only plain ``x.key`` uses allow leaving out the
others; anything that may look at a row whole means the whole row."""

from __future__ import annotations

import pytest

from forms_service.definitions.projection import list_keys_read, map_keys_read


@pytest.mark.parametrize(
    ("source", "keys"),
    [
        ("row.til == null || row.til >= row.fra", {"til", "fra"}),
        ("row . til != null", {"til"}),
        ("a.row > 1", set()),  # a key named row, not the variable
        ("'row.x' == 'y'", set()),  # text, not the variable
        ("x > 1", set()),
    ],
)
def test_a_row_read_by_its_cells(source: str, keys: set[str]) -> None:
    assert map_keys_read(source, "row") == keys


@pytest.mark.parametrize(
    "source",
    [
        "size(row) > 2",
        "row == {'til': null}",
        "'til' in row",
        "row.size() > 0",
        "row.all(k, k != 'x')",
        "row['til'] == null",
    ],
)
def test_a_row_read_whole(source: str) -> None:
    assert map_keys_read(source, "row") is None


@pytest.mark.parametrize(
    ("source", "keys"),
    [
        ("size(rows.filter(r, r.type == 'x')) > 0", {"type"}),
        ("rows != null && rows.all(r, r.a > 1 && r.b.c == 2)", {"a", "b"}),
        ("null == rows || rows.exists(x, x.a)", {"a"}),
        ("size(rows) > 0 && rows.map(r, r.a).exists(v, v > 1)", {"a"}),
        ("other.all(r, r.z)", set()),
    ],
)
def test_rows_read_by_their_cells(source: str, keys: set[str]) -> None:
    assert list_keys_read(source, "rows") == keys


@pytest.mark.parametrize(
    "source",
    [
        "rows == []",
        "rows[0].a == 1",
        "size(rows.filter(r, r.a)[0]) > 0",  # a filtered row looked at
        "rows.filter(r, r.a) == []",
        "rows.all(r, size(r) > 1)",
        "rows.all(r, r.size() > 1)",
        "rows.exists(r, other.all(r, size(r) > 0))",  # the name reused inside
        "x + rows == null",
        "rows.size() > 0",
    ],
)
def test_rows_read_whole(source: str) -> None:
    assert list_keys_read(source, "rows") is None
