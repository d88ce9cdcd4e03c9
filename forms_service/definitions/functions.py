"""The functions form expressions may call, registered by the domain that provides them.

The definition language is generic: it knows CEL and its own rules, not what "full-time years"
or "pension age" mean. The domain package (``forms_service.seniorpension``) provides those
functions and the process registers them at wiring time (``forms_service.wiring``: the app
factory, the CLI and the workers; the tests through ``tests/conftest.py``), before any
definition is loaded: a definition that calls a function nobody registered is refused with
"ukendt funktion".

``FUNCTIONS`` is the one live table (read it, never write it): the expression checker, the CEL
contexts and the evaluation's direct calls all look names up in it. Whatever keeps something
worked out from it registers a listener that forgets it when the table changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

FUNCTIONS: dict[str, Callable[..., Any]] = {}
_listeners: list[Callable[[], None]] = []
_lock = threading.Lock()


def register_functions(functions: Mapping[str, Callable[..., Any]]) -> None:
    """Make ``functions`` callable from expressions (idempotent; a name registered again with
    another implementation replaces it)."""
    with _lock:
        changed = {name: f for name, f in functions.items() if FUNCTIONS.get(name) is not f}
        if not changed:
            return
        FUNCTIONS.update(changed)
    for listener in list(_listeners):
        listener()


def unregister_functions(names: Iterable[str]) -> None:
    """Forget functions (tests of what a definition without them gets)."""
    with _lock:
        gone = [name for name in names if FUNCTIONS.pop(name, None) is not None]
    if gone:
        for listener in list(_listeners):
            listener()


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever the table changes (caches built from it)."""
    _listeners.append(listener)
