"""Slots on the case page that other blueprints fill.

The case page renders, in order, every template registered here, with ``case``, ``actor``,
``service`` (the request's CaseService) and ``definition`` in the context. A blueprint adds
its panel (form-filling link, completeness checklist, document downloads) with one line::

    bp.record_once(lambda state: add_case_panel(state.app, "forms/_case_panel.html", order=10))

Header menu links work the same way: ``add_nav_item(app, "Statistik", "reporting.index",
READ_REPORTS)``: shown to the roles of the permission its page requires.
"""

from __future__ import annotations

from flask import Flask

from forms_service.cases.permissions import Permission

PANELS_KEY = "forms_service.case_panels"


def add_case_panel(app: Flask, template: str, *, order: int = 100) -> None:
    panels: list[tuple[int, str]] = app.extensions.setdefault(PANELS_KEY, [])
    if all(t != template for _, t in panels):
        panels.append((order, template))
        panels.sort()


def case_panels(app: Flask) -> list[str]:
    return [template for _, template in app.extensions.get(PANELS_KEY, [])]


def init_panels(app: Flask) -> None:
    app.extensions.setdefault(PANELS_KEY, [])
    app.extensions.setdefault(NAV_KEY, [])
    app.context_processor(_nav_context)


# --- navigation -----------------------------------------------------------------------------

NAV_KEY = "forms_service.nav_items"


def add_nav_item(
    app: Flask, label: str, endpoint: str, permission: Permission, *, order: int = 100
) -> None:
    """A link in the header menu (and on the start page) for the roles of ``permission``
    (the one its page requires)."""
    items: list[tuple[int, str, str, frozenset[str]]] = app.extensions.setdefault(NAV_KEY, [])
    if all(e != endpoint for _, _, e, _ in items):
        items.append((order, label, endpoint, frozenset(r.value for r in permission.roles)))
        items.sort(key=lambda item: (item[0], item[1]))


def _nav_context() -> dict[str, object]:
    from flask import current_app, url_for

    items = [
        {"label": label, "url": url_for(endpoint), "roles": roles}
        for _, label, endpoint, roles in current_app.extensions.get(NAV_KEY, [])
    ]
    return {"nav_items": items}
