"""Status figures for the forum: aggregate queries over cases and their reporting facts.

Every table is a GROUP BY in the database: over the daily roll-ups ``status_daily`` and
``finding_daily`` (corrected row by row for the cases not yet settled on the report date, see
``reporting.rollup``), or, with ``source="rows"``, over every ``case_metrics`` row. Python only
labels the rows, folds days into weeks and adds the 98 municipality rows up to five regions.
No query selects the CPR number or the citizen's name (a test records every statement).

Period filters use the application date. "Waiting at the municipality" is judged on the
reporting date ``as_of``: asked (request date reached), not yet submitted and not decided.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.orm import Session

from forms_service.danish import week_label
from forms_service.reporting.models import (
    CRITERION_INSUFFICIENT,
    CRITERION_MISSING,
    CaseFinding,
    CaseMetrics,
    FindingDaily,
    StatusDaily,
)
from forms_service.reporting.rollup import (
    CUBE_KEYS,
    correction_columns,
    count_if,
    known_code,
    known_value,
    status_conditions,
)
from forms_service.reporting.sql import as_date_value, as_int, unindexed, week_start
from forms_service.reporting.statistics import histogram_median
from forms_service.reporting.tables import (
    COUNT,
    DATE,
    DAYS,
    NUMBER,
    SHARE,
    Column,
    Table,
    share,
)
from forms_service.seniorpension.deadlines import add_months
from forms_service.seniorpension.municipalities import (
    all_municipalities,
    all_regions,
    municipalities_in_region,
    municipality_by_code,
)

STATUS_KEYS = ("received", *CUBE_KEYS)
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

    def conditions(
        self, table: Any = CaseMetrics, *, day_index: bool = True
    ) -> list[ColumnElement[bool]]:
        """The filter on ``case_metrics`` or on a daily roll-up (``day`` is the application date).

        ``day_index=False``: keep SQLite off the application-date index, for queries another
        index serves better.
        """
        day = table.application_date if table is CaseMetrics else table.day
        if not day_index:
            day = unindexed(day)
        where: list[ColumnElement[bool]] = [day >= self.start, day <= self.end]
        codes = self.municipality_codes()
        if codes is not None:
            where.append(table.municipality_code.in_(codes))
        if self.form_version:
            where.append(table.form_version == self.form_version)
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


def _base(f: StatusFilter, *columns: Any, day_index: bool = True) -> Select[Any]:
    return select(*columns).select_from(CaseMetrics).where(*f.conditions(day_index=day_index))


Cube = list[tuple[int, str | None, bool | None, dict[str, int]]]


def _cube(session: Session, f: StatusFilter) -> Cube:
    """Every count per (municipality, version, known citizen), a few hundred groups.

    The final counts come from the daily roll-up; the cases whose dates still lie after the
    report date (``settles_on > as_of``, the recent ones) are corrected row by row. The tables
    per municipality, region, version and answer pattern are sums over these groups.
    """
    s = StatusDaily
    rolled = (
        select(
            s.municipality_code,
            s.form_version,
            s.known,
            *[func.sum(getattr(s, k)) for k in STATUS_KEYS],
        )
        .where(*f.conditions(StatusDaily))
        .group_by(s.municipality_code, s.form_version, s.known)
    )
    m = CaseMetrics
    # one object per grouping expression: PostgreSQL matches GROUP BY by the rendered SQL,
    # parameters included
    group = (m.municipality_code, func.coalesce(m.form_version, ""), known_code())
    corrections = (
        _base(
            f,
            *group,
            literal(0),
            *correction_columns(f.as_of, CUBE_KEYS),
            day_index=False,  # the settles_on index: only the recent cases
        )
        .where(m.settles_on > f.as_of)
        .group_by(*group)
    )
    groups: dict[tuple[int, str, int], list[int]] = {}
    for query in (rolled, corrections):
        for code, version, known_value_, *values in session.execute(query):
            target = groups.setdefault(
                (int(code), version, int(known_value_)), [0] * len(STATUS_KEYS)
            )
            for i, value in enumerate(values):
                target[i] += as_int(value)
    return [
        (code, version or None, known_value(k), dict(zip(STATUS_KEYS, values, strict=True)))
        for (code, version, k), values in sorted(groups.items())
        if values[0] > 0
    ]


def _cube_rows(session: Session, f: StatusFilter) -> Cube:
    """The same groups counted over every case row (the baseline the roll-up must equal)."""
    c = status_conditions(f.as_of)
    m = CaseMetrics
    query = _base(
        f,
        m.municipality_code,
        m.form_version,
        m.known_citizen,
        func.count(),
        *[count_if(c[k]) for k in CUBE_KEYS],
    ).group_by(m.municipality_code, m.form_version, m.known_citizen)
    cube = []
    for code, version, known, *values in session.execute(query):
        counts = {k: as_int(v) for k, v in zip(STATUS_KEYS, values, strict=True)}
        cube.append((int(code), version, known, counts))
    return cube


def _sum_by(cube: Cube, key: Any) -> dict[Any, dict[str, int]]:
    totals: dict[Any, dict[str, int]] = {}
    for row in cube:
        target = totals.setdefault(key(row), defaultdict(int))
        for name, value in row[3].items():
            target[name] += value
    return {k: dict(v) for k, v in totals.items()}


def week_days(f: StatusFilter, week: dt.date) -> int:
    """How many days of the ISO week starting ``week`` (a Monday) the filter counts (0-7):
    the period's first and last week, and the week of the report date, may be partial."""
    first = max(week, f.start)
    last = min(week + dt.timedelta(days=6), f.end, f.as_of)
    return max(0, (last - first).days + 1)


def _weekly(session: Session, f: StatusFilter) -> list[tuple[dt.date, int]]:
    # received per application day from the roll-up; days fold into their ISO week's Monday
    query = (
        select(StatusDaily.day, func.sum(StatusDaily.received))
        .where(*f.conditions(StatusDaily))
        .group_by(StatusDaily.day)
    )
    weeks: dict[dt.date, int] = defaultdict(int)
    for day, n in session.execute(query):
        day = as_date_value(day)
        weeks[day - dt.timedelta(days=day.weekday())] += as_int(n)
    return [(week, n) for week, n in sorted(weeks.items()) if n > 0]


def _weekly_rows(session: Session, f: StatusFilter) -> list[tuple[dt.date, int]]:
    week = week_start(CaseMetrics.application_date)
    query = _base(f, week.label("week"), func.count()).group_by(week).order_by(week)
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


def _criteria_rows(session: Session, f: StatusFilter) -> list[tuple[str, str, int]]:
    finding = CaseFinding
    query = (
        select(finding.ref, finding.kind, func.count())
        .select_from(CaseMetrics)
        .join(finding, finding.case_id == CaseMetrics.case_id)
        .where(*f.conditions(), finding.kind.in_([CRITERION_MISSING, CRITERION_INSUFFICIENT]))
        .group_by(finding.ref, finding.kind)
    )
    return [(ref, kind, int(n)) for ref, kind, n in session.execute(query)]


def _criteria_rollup(session: Session, f: StatusFilter) -> list[tuple[str, str, int]]:
    d = FindingDaily
    query = (
        select(d.ref, d.kind, func.sum(d.n))
        .where(*f.conditions(FindingDaily), d.kind.in_([CRITERION_MISSING, CRITERION_INSUFFICIENT]))
        .group_by(d.ref, d.kind)
        .having(func.sum(d.n) > 0)
    )
    return [(ref, kind, int(n)) for ref, kind, n in session.execute(query)]


def _criteria(counted: list[tuple[str, str, int]], submitted: int) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"missing": 0, "insufficient": 0})
    for ref, kind, n in counted:
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
    # row level (an index holds every column it reads, in decision_days order); the median
    # needs the whole distribution
    decided = status_conditions(f.as_of)["decided"]
    days = CaseMetrics.decision_days
    query = _base(f, days, func.count(), day_index=False).where(decided).group_by(days)
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


ROLLUP = "rollup"
ROWS = "rows"


def status_report(session: Session, f: StatusFilter, *, source: str = ROLLUP) -> StatusReport:
    """Every table of the status page.

    ``source="rows"`` counts over every case row instead of the daily roll-ups: the same
    figures (tests hold the two equal), kept as the benchmark's baseline and for checking.
    """
    if source not in (ROLLUP, ROWS):
        raise ValueError(f"unknown source {source!r}")
    by_rows = source == ROWS
    cube = _cube_rows(session, f) if by_rows else _cube(session, f)
    per_municipality = _sum_by(cube, lambda row: row[0])
    weekly = _weekly_rows(session, f) if by_rows else _weekly(session, f)
    criteria = _criteria_rows(session, f) if by_rows else _criteria_rollup(session, f)
    histogram = _decision_histogram(session, f)
    totals = _added_up(per_municipality.values())
    municipality_rows, region_rows = _geography_rows(per_municipality)
    tables = [
        _weeks_table(f, weekly),
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
        _patterns_table(_patterns(_sum_by(cube, lambda row: row[2]))),
        _criteria_table(_criteria(criteria, totals.get("submitted", 0))),
        _decisions_table(histogram),
        _versions_table(_versions(_sum_by(cube, lambda row: row[1]))),
    ]
    return StatusReport(f, tables, _summary(totals, histogram, weekly), weekly, histogram)


def _added_up(rows: Iterable[dict[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for values in rows:
        for key, value in values.items():
            totals[key] += value
    return totals


def _geography_rows(
    per_municipality: dict[int, dict[str, int]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows per municipality and per region (the municipalities' figures added up)."""
    municipality_rows = []
    by_region: dict[int, list[dict[str, int]]] = defaultdict(list)
    for code, values in sorted(per_municipality.items()):
        municipality = municipality_by_code(code)
        municipality_rows.append(
            {"municipality": municipality.name, "region": municipality.region_name}
            | _with_shares(values)
        )
        by_region[municipality.region_code].append(values)
    region_names = {r.code: r.name for r in all_regions()}
    region_rows = [
        {"region": region_names[code]} | _with_shares(dict(_added_up(values)))
        for code, values in sorted(by_region.items())
    ]
    return municipality_rows, region_rows


def _summary(
    totals: dict[str, int], histogram: dict[int, int], weekly: list[tuple[dt.date, int]]
) -> dict[str, Any]:
    overall = _with_shares(dict(totals)) if totals else {}
    return {
        "received": totals.get("received", 0),
        "waiting": totals.get("waiting", 0),
        "waiting_overdue": totals.get("waiting_overdue", 0),
        "submitted": totals.get("submitted", 0),
        "municipal_kept_share": overall.get("municipal_kept_share"),
        "sufficient_share": overall.get("sufficient_share"),
        "decided": sum(histogram.values()),
        "decision_kept_share": overall.get("decision_kept_share"),
        "decision_median_days": histogram_median(histogram),
        "open_past_six_months": totals.get("open_overdue", 0),
        "weeks": len(weekly),
        "per_week": (totals.get("received", 0) / len(weekly)) if weekly else None,
    }


def _weeks_table(f: StatusFilter, weekly: list[tuple[dt.date, int]]) -> Table:
    return Table(
        "uger",
        "Ansøgninger pr. uge",
        [
            Column("label", "Uge"),
            Column("week", "Fra mandag", DATE),
            Column("days", "Dage med i perioden", COUNT),
            Column("received", "Ansøgninger", COUNT),
        ],
        [
            {
                "label": week_label(w) + (" (delvis uge)" if week_days(f, w) < 7 else ""),
                "week": w,
                "days": week_days(f, w),
                "received": n,
            }
            for w, n in weekly
        ],
        note="En uge, som perioden eller opgørelsen kun dækker en del af (typisk den første "
        "og den sidste), er markeret »delvis uge« og vist lysere i figuren: den tæller kun "
        "ansøgninger fra de dage, der er med.",
    )


def _patterns_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
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
        rows,
    )


def _criteria_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        "kriterier",
        "Kriterier, der manglede eller var utilstrækkelige ved første indsendelse",
        [
            Column("criterion", "Kriterium"),
            Column("missing", "Mangler", COUNT),
            Column("insufficient", "Utilstrækkelig", COUNT),
            Column("share", "Andel af indsendte", SHARE),
        ],
        rows,
    )


def _decisions_table(histogram: dict[int, int]) -> Table:
    return Table(
        "afgoerelser",
        "Tid fra ansøgning til afgørelse",
        [
            Column("bucket", "Måneder efter ansøgning"),
            Column("decided", "Afgjort", COUNT),
            Column("share", "Andel", SHARE),
        ],
        decision_buckets(histogram),
        note="Fristen er 6 måneder fra ansøgningen. Tilbagetrukne ansøgninger er ikke medregnet.",
    )


def _versions_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        "versioner",
        "Pr. skemaversion",
        [
            Column("version", "Version"),
            Column("received", "Modtaget", COUNT),
            Column("submitted", "Indsendt", COUNT),
            Column("sufficient_share", "Tilstrækkeligt oplyst ved 1. indsendelse", SHARE),
        ],
        rows,
    )


SUMMARY_LABELS: list[tuple[str, str, str]] = [
    ("received", "Ansøgninger i perioden", COUNT),
    ("per_week", "Gennemsnit pr. uge", NUMBER),
    ("waiting", "Venter hos kommunerne", COUNT),
    ("waiting_overdue", "Heraf over 3-måneders fristen", COUNT),
    ("municipal_kept_share", "Kommunernes frist overholdt", SHARE),
    ("sufficient_share", "Tilstrækkeligt oplyst ved første indsendelse", SHARE),
    ("decided", "Afgjort", COUNT),
    ("decision_median_days", "Tid til afgørelse (median)", DAYS),
    ("decision_kept_share", "Afgjort inden 6 måneder", SHARE),
    ("open_past_six_months", "Åbne sager over 6 måneder", COUNT),
]


def municipality_choices() -> list[tuple[int, str]]:
    return [(m.code, m.name) for m in sorted(all_municipalities(), key=lambda m: m.name)]


def region_choices() -> list[tuple[int, str]]:
    return [(r.code, r.name) for r in all_regions()]
