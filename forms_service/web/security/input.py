"""Bad input is a 4xx, never a 500.

- Integer URL parts are bounded to the database's integer (``/cases/87178291201`` is a 404,
  not an overflow in the driver).
- NUL bytes anywhere in the path, the query, form fields or a JSON body are refused: no
  database stores them in text and no user types them.
- A JSON body nested deeper than ``MAX_JSON_DEPTH`` is refused before any view (or the JSON
  parser's own recursion) meets it.
- What still reaches the database out of range (an integer beyond 64 bits, a value the
  column cannot hold) is a 400 rather than a crash.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

DATABASE_INT_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider
MAX_JSON_DEPTH = 64
_FORM_TYPES = ("application/x-www-form-urlencoded",)

NUL_MESSAGE = "Forespørgslen indeholder et NUL-tegn (\\0), som ikke er tilladt."
DEPTH_MESSAGE = f"JSON-dokumentet er indlejret for dybt (højst {MAX_JSON_DEPTH} niveauer)."
RANGE_MESSAGE = "En værdi i forespørgslen er uden for det tilladte område."


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` limited to 0..2**31-1, so an id the database cannot hold is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(map, *args, **kwargs)


def init_input_guards(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request(_refuse_bad_input)

    def out_of_range(_error: Exception) -> Any:
        return app.handle_http_exception(BadRequest(RANGE_MESSAGE))

    app.register_error_handler(OverflowError, out_of_range)
    app.register_error_handler(DataError, out_of_range)


def _refuse_bad_input() -> None:
    if "\x00" in request.path or b"%00" in request.query_string or b"\x00" in request.query_string:
        raise BadRequest(NUL_MESSAGE)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json:
        body = request.get_data(cache=True)
        if b"\\u0000" in body or b"\x00" in body:
            raise BadRequest(NUL_MESSAGE)
        try:
            value = request.get_json(silent=True)
        except RecursionError:
            raise BadRequest(DEPTH_MESSAGE) from None
        if _depth_over(value, MAX_JSON_DEPTH):
            raise BadRequest(DEPTH_MESSAGE)
    # urlencoded forms only: a multipart upload is parsed (and size-checked) by its own view,
    # and its files may well contain NUL bytes
    elif request.mimetype in _FORM_TYPES and any("\x00" in v for v in request.form.values()):
        raise BadRequest(NUL_MESSAGE)


def _depth_over(value: Any, limit: int) -> bool:
    """True if ``value`` nests lists/dicts deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
