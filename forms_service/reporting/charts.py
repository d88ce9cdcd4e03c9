"""Charts as PNG images (matplotlib, Agg backend): the same pictures on the page and in Word.

Each function takes figures already aggregated and returns PNG bytes. Colours follow the
design system's palette loosely (dark blue for the pilot/primary series, grey for comparison).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must be chosen before pyplot is imported

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from forms_service.danish import percent, week_label

PRIMARY = "#14143c"
SECONDARY = "#8c8c96"
ACCENT = "#e5a000"
PARTIAL = "#b9b9d6"  # a lighter PRIMARY: a week only partly counted
plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def weekly_chart(weekly: Sequence[tuple[dt.date, int]], partial: Collection[dt.date] = ()) -> bytes:
    return _png(weekly_figure(weekly, partial))


def weekly_figure(
    weekly: Sequence[tuple[dt.date, int]], partial: Collection[dt.date] = ()
) -> Figure:
    """Applications per ISO week, the axis in Danish week labels ("uge 49 2025"); the weeks in
    ``partial`` (the period covers only some of their days) are drawn lighter and hatched, with
    a legend saying so."""
    figure, axes = plt.subplots(figsize=(7.5, 2.8))
    if weekly:
        whole = [(w, n) for w, n in weekly if w not in partial]
        part = [(w, n) for w, n in weekly if w in partial]
        if whole:
            weeks, counts = zip(*whole, strict=True)
            axes.bar(weeks, counts, width=5, color=PRIMARY, label="Hel uge")
        if part:
            weeks, counts = zip(*part, strict=True)
            axes.bar(
                weeks,
                counts,
                width=5,
                color=PARTIAL,
                edgecolor=PRIMARY,
                hatch="///",
                label="Delvis uge (kun nogle af dagene er med)",
            )
            axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: week_label(mdates.num2date(x).date()))
    )
    axes.set_ylabel("Ansøgninger")
    axes.set_title("Ansøgninger pr. uge")
    figure.autofmt_xdate()
    return figure


def region_deadline_chart(rows: Sequence[dict[str, Any]]) -> bytes:
    figure, axes = plt.subplots(figsize=(7.5, 2.8))
    names = [r["region"].replace("Region ", "") for r in rows]
    shares = [100 * (r.get("municipal_kept_share") or 0) for r in rows]
    axes.barh(names, shares, color=PRIMARY)
    axes.set_xlim(0, 100)
    axes.set_xlabel("Procent af sagerne")
    axes.set_title("Kommunernes 3-måneders frist overholdt, pr. region")
    for y, value in enumerate(shares):
        axes.text(value + 1, y, percent(value, 0), va="center")
    return _png(figure)


def decision_chart(buckets: Sequence[dict[str, Any]]) -> bytes:
    figure, axes = plt.subplots(figsize=(7.5, 2.8))
    labels = [b["bucket"] for b in buckets]
    colours = [PRIMARY] * (len(labels) - 1) + [ACCENT]
    axes.bar(labels, [b["decided"] for b in buckets], color=colours)
    axes.set_ylabel("Afgjorte sager")
    axes.set_title("Tid fra ansøgning til afgørelse (fristen er 6 måneder)")
    return _png(figure)


def comparison_shares_chart(rows: Sequence[Any], candidate: str, comparison: str) -> bytes:
    """Grouped bars of the proportion measures with 95% intervals on the difference's side."""
    rows = [r for r in rows if r.kind == "proportion"]
    figure, axes = plt.subplots(figsize=(7.5, 3.4))
    positions = range(len(rows))
    width = 0.38
    a = [100 * (r.candidate or 0) for r in rows]
    b = [100 * (r.comparison or 0) for r in rows]
    axes.bar([p - width / 2 for p in positions], a, width, label=candidate, color=PRIMARY)
    axes.bar([p + width / 2 for p in positions], b, width, label=comparison, color=SECONDARY)
    axes.set_xticks(list(positions))
    axes.set_xticklabels([_wrap(r.title) for r in rows], fontsize=7)
    axes.set_ylim(0, 100)
    axes.set_ylabel("Procent")
    axes.set_title("Andele: pilotversion og sammenligningsversion")
    axes.legend(loc="upper right", fontsize=7)
    return _png(figure)


def comparison_days_chart(rows: Sequence[Any], candidate: str, comparison: str) -> bytes:
    rows = [r for r in rows if r.kind == "duration" and r.unit == "dage"]
    figure, axes = plt.subplots(figsize=(7.5, 2.8))
    positions = range(len(rows))
    width = 0.38
    a = [r.candidate_median or 0 for r in rows]
    b = [r.comparison_median or 0 for r in rows]
    axes.barh([p - width / 2 for p in positions], a, width, label=candidate, color=PRIMARY)
    axes.barh([p + width / 2 for p in positions], b, width, label=comparison, color=SECONDARY)
    axes.set_yticks(list(positions))
    axes.set_yticklabels([_wrap(r.title) for r in rows], fontsize=7)
    axes.set_xlabel("Median, dage")
    axes.set_title("Sagsforløbets varighed (median)")
    axes.legend(loc="lower right", fontsize=7)
    return _png(figure)


def _wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
