"""The citizen brochure's drafts for communications staff (blueprint ``brochures``, /pjece).

``/pjece/``                         the versions, newest first, with what each one changed
``/pjece/<version>/``               the brochure as printed in a year (``?aar=``), in the browser
``/pjece/<version>/aendringer``     what changed from another version (``?fra=``, default the one
                                    before), section by section with the words marked
``/pjece/<version>.docx``           the Word leaflet for that year (``?aar=``)

Read-only pages: the brochure's text lives in versioned files (``form_definitions/pjece``),
so there is no form to post and nothing to guard with CSRF here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, render_template, request

from forms_service import danish as fmt
from forms_service.documents.brochure import (
    Brochure,
    BrochureError,
    body_for_year,
    brochure_versions,
    get_brochure,
    rates_from,
)
from forms_service.documents.brochure_changes import compare_brochures
from forms_service.documents.permissions import READ_BROCHURES
from forms_service.documents.render import render_brochure
from forms_service.http import downloads
from forms_service.http.decorators import requires
from forms_service.web.markdown import render_markdown

bp = Blueprint("brochures", __name__, url_prefix="/pjece")
# the years a leaflet may be printed for: the contribution table runs to 2030 and beyond
FIRST_YEAR, LAST_YEAR = 2020, 2040


@bp.record_once
def _nav(state: Any) -> None:
    from forms_service.web.cases.panels import add_nav_item

    add_nav_item(state.app, "Pjece", "brochures.index", READ_BROCHURES, order=60)


def _load(version: str) -> Brochure:
    if version not in brochure_versions():
        abort(404, description=f"Pjecen findes ikke i version {version}.")
    try:
        return get_brochure(version)
    except BrochureError as exc:
        abort(500, description=str(exc))


def _year() -> int:
    """``?aar=``: the year the leaflet is printed for (this year when absent or out of range)."""
    raw = request.args.get("aar", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else dt.date.today().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _previous(version: str) -> str | None:
    versions = brochure_versions()
    index = versions.index(version)
    return versions[index - 1] if index > 0 else None


@bp.route("/")
@requires(READ_BROCHURES)
def index() -> Any:
    versions = []
    for version in reversed(brochure_versions()):
        brochure = _load(version)
        previous = _previous(version)
        changes = compare_brochures(_load(previous), brochure) if previous else None
        versions.append({"brochure": brochure, "previous": previous, "changes": changes})
    return render_template("brochures/index.html", versions=versions)


@bp.route("/<version>/")
@requires(READ_BROCHURES)
def preview(version: str) -> Any:
    brochure = _load(version)
    year = _year()
    sections = [
        {
            "id": s.id,
            "title": s.title,
            "body": render_markdown(body_for_year(brochure, s.body, year), heading_level=3),
            "rates": [
                {"year": r.label or str(r.year), "percent": fmt.percent(r.percent)}
                for r in rates_from(brochure.contribution_rates, year)
            ]
            if s.table == "contribution_rates"
            else [],
        }
        for s in brochure.sections
    ]
    return render_template(
        "brochures/preview.html",
        brochure=brochure,
        sections=sections,
        year=year,
        years=range(FIRST_YEAR, LAST_YEAR + 1),
        previous=_previous(version),
    )


@bp.route("/<version>/aendringer")
@requires(READ_BROCHURES)
def changes(version: str) -> Any:
    brochure = _load(version)
    others = [v for v in brochure_versions() if v != version]
    since = request.args.get("fra") or _previous(version)
    if since is not None and since not in others:
        abort(404, description=f"Pjecen findes ikke i version {since}.")
    return render_template(
        "brochures/changes.html",
        brochure=brochure,
        since=since,
        others=others,
        changes=compare_brochures(_load(since), brochure) if since else None,
    )


@bp.route("/<version>.docx")
@requires(READ_BROCHURES)
def word(version: str) -> Any:
    brochure = _load(version)
    year = _year()
    return downloads.send(
        downloads.Download(
            render_brochure(brochure, year=year),
            f"Pjece_seniorpension_{version}_{year}.docx",
        )
    )
