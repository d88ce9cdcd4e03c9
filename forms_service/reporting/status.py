"""Status figures for the forum: aggregate queries over cases and their reporting facts.

Every table is a GROUP BY in the database (cases ⋈ case_metrics, and case_findings for
criteria); Python only labels the rows and adds the 98 municipality rows up to five regions.
No query selects the CPR number or the citizen's name (a test records every statement).

Period filters use the application date. "Waiting at the municipality" is judged on the
reporting date ``as_of``: asked (request date reached), not yet submitted and not decided.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from forms_service.pilots.measures import DECIDED, WITHDRAWN
from forms_service.pilots.models import (
    CRITERION_INSUFFICIENT,
    CRITERION_MISSING,
    CaseFinding,
    CaseMetrics,
)
from forms_service.pilots.statistics import histogram_median
from forms_service.reporting.sql import as_date_value, as_int, week_start
from forms_service.reporting.tables import COUNT, DATE, NUMBER, SHARE, Column, Table, share
from forms_service.seniorpension.deadlines import add_months
from forms_service.seniorpension.municipalities import (
    all_municipalities,
    all_regions,
    municipalities_in_region,
    municipality_by_code,
)

MONTH_BUCKETS = 7  # 0–1, 1–2, …, 5–6 months, and over 6 months


@dataclass(frozen=True, slots=True)
class StatusFilter:
    start: dt.date
    end: dt.date
    as_of: dt.date
    region_code: int | None = None
    municipality_code: int | None = None
    form_version: str | None = None

    def municipality_codes(self) -> tuple[int, ...] | None:
        if self.municipality_code is not None:
            return (self.municipality_code,)
        if self.region_code is not None:
            return tuple(m.code for m in municipalities_in_region(self.region_code))
        return None

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [
            CaseMetrics.application_date >= self.start,
            CaseMetrics.application_date <= self.end,
        ]
        codes = self.municipality_codes()
        if codes is not None:
            where.append(CaseMetrics.municipality_code.in_(codes))
        if self.form_version:
            where.append(CaseMetrics.form_version == self.form_version)
        return where

    @classmethod
    def quarter(cls, year: int, quarter: int, *, as_of: dt.date | None = None) -> StatusFilter:
        """The calendar quarter ending in March, June, September or December."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError("kvartal skal være 1-4")
        start = dt.date(year, 3 * quarter - 2, 1)
        end = add_months(start, 3) - dt.timedelta(days=1)
        return cls(start, end, as_of or end)

    def with_changes(self, **changes: Any) -> StatusFilter:
        return replace(self, **changes)


@dataclass(slots=True)
class StatusReport:
    filter: StatusFilter
    tables: list[Table]
    summary: dict[str, Any]
    weekly: list[tuple[dt.date, int]]
    decision_histogram: dict[int, int]

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)


def _count_if(condition: ColumnElement[bool]) -> Any:
    # COUNT(*) FILTER (WHERE …): SQL standard, PostgreSQL and SQLite ≥ 3.30; cheaper per row
    # than SUM(CASE …) on SQLite
    return func.count().filter(condition)


def _base(f: StatusFilter, *columns: Any) -> Select[Any]:
    return select(*columns).select_from(CaseMetrics).where(*f.conditions())


def _conditions(as_of: dt.date) -> dict[str, ColumnElement[bool]]:
    m = CaseMetrics
    submitted = and_(m.first_submitted_on.is_not(None), m.first_submitted_on <= as_of)
    decided = and_(m.decided_on.is_not(None), m.decided_on <= as_of)
    asked = and_(CaseMetrics.request_date.is_not(None), CaseMetrics.request_date <= as_of)
    waiting = and_(asked, ~submitted, ~decided)
    real_decision = and_(
        decided, CaseMetrics.status == DECIDED, CaseMetrics.decision_outcome != WITHDRAWN
    )
    return {
        "submitted": submitted,
        "waiting": waiting,
        "waiting_overdue": and_(waiting, CaseMetrics.municipality_deadline < as_of),
        "municipal_due": and_(asked, or_(submitted, CaseMetrics.municipality_deadline < as_of)),
        "municipal_kept": and_(
            submitted, m.first_submitted_on <= CaseMetrics.municipality_deadline
        ),
        "late": and_(submitted, m.first_submitted_on > CaseMetrics.municipality_deadline),
        "sufficient": and_(submitted, m.sufficient_at_submission.is_(True)),
        "not_sufficient": and_(submitted, m.sufficient_at_submission.is_(False)),
        "returned": and_(submitted, m.returns > 0),
        "decided": real_decision,
        "decision_kept": and_(real_decision, m.decided_on <= CaseMetrics.decision_deadline),
        "decision_due": or_(real_decision, and_(~decided, CaseMetrics.decision_deadline < as_of)),
        "open_overdue": and_(~decided, CaseMetrics.decision_deadline < as_of),
    }


CUBE_KEYS = (
    "submitted",
    "waiting",
    "waiting_overdue",
    "municipal_due",
    "municipal_kept",
    "late",
    "sufficient",
    "not_sufficient",
    "returned",
    "decided",
    "decision_kept",
    "decision_due",
    "open_overdue",
)


def _cube(session: Session, f: StatusFilter) -> list[tuple[int, str, bool | None, dict[str, int]]]:
    """One scan: every count per (municipality, version, known citizen), a few hundred rows.

    The tables per municipality, region, version and answer pattern are sums over these
    groups, so the cases are read once instead of once per table.
    """
    c = _conditions(f.as_of)
    query = _base(
        f,
        CaseMetrics.municipality_code,
        CaseMetrics.form_version,
        CaseMetrics.known_citizen,
        func.count(),
        *[_count_if(c[k]) for k in CUBE_KEYS],
    ).group_by(CaseMetrics.municipality_code, CaseMetrics.form_version, CaseMetrics.known_citizen)
    cube = []
    for code, version, known, received, *values in session.execute(query):
        counts = {"received": int(received)} | {
            k: as_int(v) for k, v in zip(CUBE_KEYS, values, strict=True)
        }
        cube.append((int(code), version, known, counts))
    return cube


def _sum_by(
    cube: list[tuple[int, str, bool | None, dict[str, int]]], key: Any
) -> dict[Any, dict[str, int]]:
    totals: dict[Any, dict[str, int]] = {}
    for row in cube:
        target = totals.setdefault(key(row), defaultdict(int))
        for name, value in row[3].items():
            target[name] += value
    return {k: dict(v) for k, v in totals.items()}


def _weekly(session: Session, f: StatusFilter) -> list[tuple[dt.date, int]]:
    week = week_start(CaseMetrics.application_date)
    query = (
        select(week.label("week"), func.count())
        .select_from(CaseMetrics)
        .where(*f.conditions())
        .group_by(week)
        .order_by(week)
    )
    return [(as_date_value(w), int(n)) for w, n in session.execute(query)]


def _patterns(by_known: dict[bool | None, dict[str, int]]) -> list[dict[str, Any]]:
    labels = {True: "Kendt i kommunen", False: "Ukendt i kommunen", None: "Ikke oplyst"}
    rows = []
    for known in (True, False, None):
        values = by_known.get(known)
        if values is None or not values["submitted"]:
            continue
        n = values["submitted"]
        rows.append(
            {
                "group": labels[known],
                "submitted": n,
                "late": values["late"],
                "late_share": share(values["late"], n),
                "not_sufficient": values["not_sufficient"],
                "not_sufficient_share": share(values["not_sufficient"], n),
                "returned": values["returned"],
                "returned_share": share(values["returned"], n),
            }
        )
    return rows


def _criteria(session: Session, f: StatusFilter, submitted: int) -> list[dict[str, Any]]:
    finding = CaseFinding
    query = (
        select(finding.ref, finding.kind, func.count())
        .select_from(CaseMetrics)
        .join(finding, finding.case_id == CaseMetrics.case_id)
        .where(*f.conditions(), finding.kind.in_([CRITERION_MISSING, CRITERION_INSUFFICIENT]))
        .group_by(finding.ref, finding.kind)
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"missing": 0, "insufficient": 0})
    for ref, kind, n in session.execute(query):
        counts[ref]["missing" if kind == CRITERION_MISSING else "insufficient"] = int(n)
    rows = []
    for ref, values in sorted(counts.items()):
        total = values["missing"] + values["insufficient"]
        rows.append(
            {
                "criterion": ref,
                "missing": values["missing"],
                "insufficient": values["insufficient"],
                "share": share(total, submitted),
            }
        )
    return rows


def _decision_histogram(session: Session, f: StatusFilter) -> dict[int, int]:
    c = _conditions(f.as_of)
    days = CaseMetrics.decision_days
    query = _base(f, days, func.count()).where(c["decided"]).group_by(days)
    return {int(d): int(n) for d, n in session.execute(query) if d is not None}


def _versions(by_version: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    return [
        {
            "version": version,
            "received": values["received"],
            "submitted": values["submitted"],
            "sufficient_share": share(values["sufficient"], values["submitted"]),
        }
        for version, values in sorted(by_version.items())
    ]


# --- assembling -----------------------------------------------------------------------------

MUNICIPALITY_COLUMNS = [
    Column("received", "Modtaget", COUNT),
    Column("waiting", "Venter hos kommunen", COUNT),
    Column("waiting_overdue", "Heraf over fristen", COUNT),
    Column("submitted", "Indsendt", COUNT),
    Column("municipal_kept", "3-måneders frist overholdt", COUNT),
    Column("municipal_kept_share", "Andel overholdt", SHARE),
    Column("sufficient_share", "Tilstrækkeligt oplyst ved 1. indsendelse", SHARE),
    Column("decision_kept_share", "Afgjort inden 6 måneder", SHARE),
]


def _with_shares(values: dict[str, int]) -> dict[str, Any]:
    return values | {
        "municipal_kept_share": share(values["municipal_kept"], values["municipal_due"]),
        "sufficient_share": share(values["sufficient"], values["submitted"]),
        "decision_kept_share": share(values["decision_kept"], values["decision_due"]),
    }


def decision_buckets(histogram: dict[int, int]) -> list[dict[str, Any]]:
    """Decisions by month after the application (30-day months; the last bucket: over 6)."""
    counts = [0] * MONTH_BUCKETS
    for days, n in histogram.items():
        counts[min(max(days, 0) // 30, MONTH_BUCKETS - 1)] += n
    total = sum(counts)
    labels = [f"{i}–{i + 1} mdr." for i in range(MONTH_BUCKETS - 1)] + ["Over 6 mdr."]
    return [
        {"bucket": label, "decided": n, "share": share(n, total)}
        for label, n in zip(labels, counts, strict=True)
    ]


def status_report(session: Session, f: StatusFilter) -> StatusReport:
    cube = _cube(session, f)
    per_municipality = _sum_by(cube, lambda row: row[0])
    weekly = _weekly(session, f)

    municipality_rows = []
    region_totals: dict[int, dict[str, int]] = {}
    for code, values in sorted(per_municipality.items()):
        municipality = municipality_by_code(code)
        municipality_rows.append(
            {"municipality": municipality.name, "region": municipality.region_name}
            | _with_shares(values)
        )
        totals = region_totals.setdefault(municipality.region_code, defaultdict(int))
        for key, value in values.items():
            totals[key] += value
    region_names = {r.code: r.name for r in all_regions()}
    region_rows = [
        {"region": region_names[code]} | _with_shares(dict(values))
        for code, values in sorted(region_totals.items())
    ]
    totals: dict[str, int] = defaultdict(int)
    for values in per_municipality.values():
        for key, value in values.items():
            totals[key] += value
    overall = _with_shares(dict(totals)) if totals else {}

    histogram = _decision_histogram(session, f)
    decided = sum(histogram.values())
    summary = {
        "received": totals.get("received", 0),
        "waiting": totals.get("waiting", 0),
        "waiting_overdue": totals.get("waiting_overdue", 0),
        "submitted": totals.get("submitted", 0),
        "municipal_kept_share": overall.get("municipal_kept_share"),
        "sufficient_share": overall.get("sufficient_share"),
        "decided": decided,
        "decision_kept_share": overall.get("decision_kept_share"),
        "decision_median_days": histogram_median(histogram),
        "open_past_six_months": totals.get("open_overdue", 0),
        "weeks": len(weekly),
        "per_week": (totals.get("received", 0) / len(weekly)) if weekly else None,
    }

    tables = [
        Table(
            "uger",
            "Ansøgninger pr. uge",
            [
                Column("week", "Uge (mandag)", DATE),
                Column("iso", "Ugenummer"),
                Column("received", "Ansøgninger", COUNT),
            ],
            [
                {"week": w, "iso": f"{w.isocalendar()[0]}-U{w.isocalendar()[1]:02d}", "received": n}
                for w, n in weekly
            ],
        ),
        Table(
            "regioner",
            "Pr. region",
            [Column("region", "Region"), *MUNICIPALITY_COLUMNS],
            region_rows,
        ),
        Table(
            "kommuner",
            "Pr. kommune",
            [Column("municipality", "Kommune"), Column("region", "Region"), *MUNICIPALITY_COLUMNS],
            municipality_rows,
            note="»Venter« er sager, kommunen er bedt om at oplyse, og som endnu ikke er indsendt "
            "eller afgjort på opgørelsesdatoen.",
        ),
        Table(
            "moenstre",
            "Mønstre i svarene: kendt eller ukendt borger",
            [
                Column("group", "Borgeren"),
                Column("submitted", "Indsendt", COUNT),
                Column("late", "For sent", COUNT),
                Column("late_share", "Andel for sent", SHARE),
                Column("not_sufficient", "Ikke tilstrækkeligt oplyst", COUNT),
                Column("not_sufficient_share", "Andel ikke tilstrækkelig", SHARE),
                Column("returned", "Returneret", COUNT),
                Column("returned_share", "Andel returneret", SHARE),
            ],
            _patterns(_sum_by(cube, lambda row: row[2])),
        ),
        Table(
            "kriterier",
            "Kriterier, der manglede eller var utilstrækkelige ved første indsendelse",
            [
                Column("criterion", "Kriterium"),
                Column("missing", "Mangler", COUNT),
                Column("insufficient", "Utilstrækkelig", COUNT),
                Column("share", "Andel af indsendte", SHARE),
            ],
            _criteria(session, f, totals.get("submitted", 0)),
        ),
        Table(
            "afgoerelser",
            "Tid fra ansøgning til afgørelse",
            [
                Column("bucket", "Måneder efter ansøgning"),
                Column("decided", "Afgjort", COUNT),
                Column("share", "Andel", SHARE),
            ],
            decision_buckets(histogram),
            note="Fristen er 6 måneder fra ansøgningen. Tilbagetrukne ansøgninger er ikke medregnet.",
        ),
        Table(
            "versioner",
            "Pr. skemaversion",
            [
                Column("version", "Version"),
                Column("received", "Modtaget", COUNT),
                Column("submitted", "Indsendt", COUNT),
                Column("sufficient_share", "Tilstrækkeligt oplyst ved 1. indsendelse", SHARE),
            ],
            _versions(_sum_by(cube, lambda row: row[1])),
        ),
    ]
    return StatusReport(f, tables, summary, weekly, histogram)


SUMMARY_LABELS: list[tuple[str, str, str]] = [
    ("received", "Ansøgninger i perioden", COUNT),
    ("per_week", "Gennemsnit pr. uge", NUMBER),
    ("waiting", "Venter hos kommunerne", COUNT),
    ("waiting_overdue", "Heraf over 3-måneders fristen", COUNT),
    ("municipal_kept_share", "Kommunernes frist overholdt", SHARE),
    ("sufficient_share", "Tilstrækkeligt oplyst ved første indsendelse", SHARE),
    ("decided", "Afgjort", COUNT),
    ("decision_median_days", "Median dage til afgørelse", NUMBER),
    ("decision_kept_share", "Afgjort inden 6 måneder", SHARE),
    ("open_past_six_months", "Åbne sager over 6 måneder", COUNT),
]


def municipality_choices() -> list[tuple[int, str]]:
    return [(m.code, m.name) for m in sorted(all_municipalities(), key=lambda m: m.name)]


def region_choices() -> list[tuple[int, str]]:
    return [(r.code, r.name) for r in all_regions()]
