"""The forum's status dashboard, CSV downloads of every table and the quarterly Word report.

Analysts, Seniorpension caseworkers and form editors see the dashboard (``requires(READ_REPORTS)`` on
every route); nothing on these pages or in the downloads carries a CPR number or a name.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from forms_service.http.db import db_session
from forms_service.http.decorators import requires
from forms_service.reporting.permissions import READ_REPORTS
from forms_service.reporting.report import (
    chart_images,
    filter_text,
    named_tables,
    render_status_report,
    summary_rows,
)
from forms_service.reporting.status import (
    StatusFilter,
    municipality_choices,
    region_choices,
    status_report,
)
from forms_service.seniorpension.municipalities import municipality_by_code, region_by_code

bp = Blueprint("reporting", __name__, url_prefix="/status")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULT_DAYS = 365


@bp.record_once
def _nav(state: Any) -> None:
    from forms_service.web.cases.panels import add_nav_item

    add_nav_item(state.app, "Status", "reporting.dashboard", READ_REPORTS, order=50)


def _date_arg(name: str, default: dt.date) -> dt.date:
    value = request.args.get(name)
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400, description=f"Ugyldig dato i {name}.")


def _int_arg(name: str, check: Any) -> int | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        number = int(value)
        check(number)
    except (ValueError, KeyError):
        abort(400, description=f"Ukendt værdi i {name}.")
    return number


def current_filter() -> StatusFilter:
    """The filter from the query string; by default the last 12 months up to today."""
    today = dt.date.today()
    end = _date_arg("slut", today)
    start = _date_arg("start", end - dt.timedelta(days=DEFAULT_DAYS))
    if start > end:
        abort(400, description="Startdatoen ligger efter slutdatoen.")
    as_of = _date_arg("opgjort", today)
    return StatusFilter(
        start,
        end,
        as_of,
        region_code=_int_arg("region", region_by_code),
        municipality_code=_int_arg("kommune", municipality_by_code),
        form_version=request.args.get("version") or None,
    )


def _query(f: StatusFilter) -> dict[str, str]:
    args = {"start": f.start.isoformat(), "slut": f.end.isoformat(), "opgjort": f.as_of.isoformat()}
    if f.region_code is not None:
        args["region"] = str(f.region_code)
    if f.municipality_code is not None:
        args["kommune"] = str(f.municipality_code)
    if f.form_version:
        args["version"] = f.form_version
    return args


def _png(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@bp.get("/")
@requires(READ_REPORTS)
def dashboard() -> str:
    f = current_filter()
    session = db_session()
    report = status_report(session, f)
    query = _query(f)
    today = dt.date.today()
    last_quarter_end = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(
        days=1
    )
    return render_template(
        "reporting/dashboard.html",
        report=report,
        tables=named_tables(report.tables),
        f=f,
        summary=summary_rows(report),
        filter_text=filter_text(f),
        charts={k: _png(v) for k, v in chart_images(report).items()},
        csv_urls={
            t.id: url_for("reporting.table_csv", table_id=t.id, **query) for t in report.tables
        },
        regions=region_choices(),
        municipalities=municipality_choices(),
        versions=current_app.extensions["forms_service.registry"].versions("sagsoplysningsskema"),
        quarter_year=last_quarter_end.year,
        quarter=(last_quarter_end.month + 2) // 3,
    )


@bp.get("/<table_id>.csv")
@requires(READ_REPORTS)
def table_csv(table_id: str) -> Response:
    f = current_filter()
    report = status_report(db_session(), f)
    try:
        table = report.table(table_id)
    except StopIteration:
        abort(404)
    name = f"status-{table.id}-{f.start.isoformat()}-{f.end.isoformat()}.csv"
    # The BOM makes Excel read the file as UTF-8 (æ, ø, å).
    return Response(
        "\ufeff" + table.to_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/kvartalsrapport.docx")
@requires(READ_REPORTS)
def quarterly_report() -> Response:
    try:
        year = int(request.args.get("aar", ""))
        quarter = int(request.args.get("kvartal", ""))
        f = StatusFilter.quarter(
            year, quarter, as_of=min(dt.date.today(), StatusFilter.quarter(year, quarter).end)
        )
    except ValueError:
        abort(400, description="Angiv år og kvartal (1-4).")
    current = current_filter()
    f = f.with_changes(
        region_code=current.region_code,
        municipality_code=current.municipality_code,
        form_version=current.form_version,
    )
    report = status_report(db_session(), f)
    data = render_status_report(report, generated=dt.date.today())
    name = f"statusrapport-{year}-K{quarter}.docx"
    return Response(
        data, mimetype=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
