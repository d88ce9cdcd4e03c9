"""Which keys of a map (a row) an expression can read, so only those are converted to CEL.

Converting answers to CEL costs about a microsecond and a half per map entry, and most
expressions over a repeat group read one or two of a row's eight cells (``r.timer_pr_uge``,
``row.til``). A row converted with only the keys an expression reads gives that expression the
same result, provided the expression uses the row only through those keys. This module decides
that from the tokens, conservatively: any use it does not recognise means "the whole row".

- ``map_keys_read(source, name)``: ``name`` is a map (``row``); allowed is ``name.key`` (not a
  method call such as ``name.size()`` or ``name.all(...)``, which see every key).
- ``list_keys_read(source, name)``: ``name`` is a list of maps (a repeat group); allowed are
  ``name == null`` / ``name != null``, ``size(name)``, the comprehensions ``name.all``,
  ``exists``, ``exists_one`` and ``map`` whose variable is used only as ``x.key``, and
  ``size(name.filter(x, …))`` (a filter's rows themselves are never looked at).
"""

from __future__ import annotations

import re
from functools import lru_cache

from forms_service.definitions.expression_limits import _tokens, _Unparsable

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
_BEFORE = frozenset({"(", "&&", "||", ",", "?", ":", "["})
_AFTER = frozenset({")", "&&", "||", ",", "?", ":", "]"})


def _tokenize(source: str) -> list[str] | None:
    try:
        return _tokens(source)
    except _Unparsable:
        return None


def _token(tokens: list[str], index: int) -> str | None:
    return tokens[index] if 0 <= index < len(tokens) else None


def _free(tokens: list[str], index: int) -> bool:
    """Not a member name (``a.row`` is a key of ``a``, not the variable)."""
    return _token(tokens, index - 1) != "."


def _key(tokens: list[str], index: int) -> str | None:
    """``tokens[index]`` followed by ``.key`` that is no method call: the key; else None."""
    key = _token(tokens, index + 2)
    if _token(tokens, index + 1) != "." or key is None or not _NAME.fullmatch(key):
        return None
    if _token(tokens, index + 3) == "(":
        return None
    return key


@lru_cache(maxsize=4096)
def map_keys_read(source: str, name: str) -> frozenset[str] | None:
    """The keys of map ``name`` that ``source`` reads; None when it may read it whole."""
    tokens = _tokenize(source)
    if tokens is None:
        return None
    keys: set[str] = set()
    for index, token in enumerate(tokens):
        if token != name or not _free(tokens, index):
            continue
        key = _key(tokens, index)
        if key is None:
            return None
        keys.add(key)
    return frozenset(keys)


def _closing(tokens: list[str], opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(tokens)):
        if tokens[index] in ("(", "[", "{"):
            depth += 1
        elif tokens[index] in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return index if tokens[index] == ")" else None
    return None


def _null_compared(tokens: list[str], index: int) -> bool:
    before, after = _token(tokens, index - 1), _token(tokens, index + 1)
    if after in ("==", "!=") and _token(tokens, index + 2) == "null":
        return (before is None or before in _BEFORE) and (
            _token(tokens, index + 3) is None or _token(tokens, index + 3) in _AFTER
        )
    if before in ("==", "!=") and _token(tokens, index - 2) == "null":
        previous = _token(tokens, index - 3)
        return (previous is None or previous in _BEFORE) and (after is None or after in _AFTER)
    return False


def _sized(tokens: list[str], start: int, end: int) -> bool:
    """``size(`` right before ``tokens[start]`` and ``)`` right after ``tokens[end]``."""
    return (
        _token(tokens, start - 1) == "("
        and _token(tokens, start - 2) == "size"
        and _token(tokens, start - 3) != "."
        and _token(tokens, end + 1) == ")"
    )


@lru_cache(maxsize=4096)
def list_keys_read(source: str, name: str) -> frozenset[str] | None:
    """The keys of the rows of list ``name`` that ``source`` reads; None when it may read
    the rows whole."""
    tokens = _tokenize(source)
    if tokens is None:
        return None
    keys: set[str] = set()
    for index, token in enumerate(tokens):
        if token != name or not _free(tokens, index):
            continue
        if _null_compared(tokens, index) or _sized(tokens, index, index):
            continue
        macro, variable = _token(tokens, index + 2), _token(tokens, index + 4)
        if (
            _token(tokens, index + 1) != "."
            or macro not in _MACROS
            or _token(tokens, index + 3) != "("
            or variable is None
            or not _NAME.fullmatch(variable)
            or _token(tokens, index + 5) != ","
        ):
            return None
        end = _closing(tokens, index + 3)
        if end is None or (macro == "filter" and not _sized(tokens, index, end)):
            return None
        body = tokens[index + 6 : end]
        for position, body_token in enumerate(body):
            if body_token != variable or not _free(body, position):
                continue
            key = _key(body, position)
            if key is None:
                return None
            keys.add(key)
    return frozenset(keys)
