"""The citizen brochure ("pjece"): versioned JSON content, loaded and checked like a form.

``form_definitions/pjece/<version>.json`` holds the text communications staff edit: title,
sections in markdown, the table of the pension contribution by year, and amounts with the
year each figure applies to (``amounts``: ``{"id": …, "values": [{"year": 2026, "amount":
…}]}``). A body writes ``{beløb:<id>}`` where an amount goes; the leaflet printed for a year
shows the figure for that year (or the latest before it) with its level, e.g. "212.360 kr.
(2020-niveau)", and the contribution table from that year on. As with
form definitions the version must equal the file name and a loaded version carries the sha256
of its canonical JSON. Only a draft (``status`` "udkast") has a footer, "Udkast · pjece version
… · indholdshash … · dannet …", for the staff who review it; an approved leaflet has none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from forms_service import danish as fmt
from forms_service.documents.context import generated_text
from forms_service.documents.markdown import markdown_context

BROCHURE_KEYS = frozenset(
    {"title", "subtitle", "version", "content_hash", "status", "sections", "generated", "footer"}
)
DOCUMENT_ID = "pjece"
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TABLES = {"contribution_rates"}
_AMOUNT = re.compile(r"\{beløb:([a-z][a-z0-9_]*)\}")
DRAFT_STATUS = "udkast"


class BrochureError(ValueError):
    """The brochure file is not valid; ``problems`` are ``"path: what is wrong"`` lines."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = [f"{source}: {p}" for p in problems]
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class BrochureSection:
    id: str
    title: str
    body: str
    table: str | None = None


@dataclass(frozen=True, slots=True)
class ContributionRate:
    year: int
    percent: float
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount that changes every year (a limit, a rate in kroner), by the year it applies."""

    id: str
    values: tuple[tuple[int, float], ...]  # (year, amount), years ascending

    def for_year(self, year: int) -> tuple[int, float]:
        """The figure that applies in ``year``: that year's, else the latest before it."""
        earlier = [v for v in self.values if v[0] <= year]
        return earlier[-1] if earlier else self.values[0]


@dataclass(frozen=True)
class Brochure:
    version: str
    title: str
    content_hash: str
    sections: tuple[BrochureSection, ...]
    contribution_rates: tuple[ContributionRate, ...] = ()
    amounts: tuple[Amount, ...] = ()
    subtitle: str | None = None
    status: str = "udkast"
    raw: MappingProxyType[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )


def canonical_hash(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def brochure_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "form_definitions" / DOCUMENT_ID


def load_brochure(path: str | Path) -> Brochure:
    path = Path(path)
    source = f"{DOCUMENT_ID}/{path.name}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BrochureError(source, [f"ugyldig JSON: {exc}"]) from exc
    return parse_brochure(data, expected_version=path.stem, source=source)


_KNOWN_KEYS = frozenset(
    {
        "$schema",
        "document",
        "version",
        "title",
        "subtitle",
        "status",
        "sections",
        "contribution_rates",
        "amounts",
    }
)


def parse_brochure(
    data: Any, *, expected_version: str | None = None, source: str = DOCUMENT_ID
) -> Brochure:
    if not isinstance(data, dict):
        raise BrochureError(source, ["$: skal være et JSON-objekt"])
    problems = _document_problems(data, expected_version)
    sections, section_problems = _parse_sections(data.get("sections"))
    rates, rate_problems = _parse_rates(data.get("contribution_rates", []))
    amounts, amount_problems = _parse_amounts(data.get("amounts", []))
    problems += section_problems + rate_problems + amount_problems
    problems += _reference_problems(sections, rates, amounts)
    if problems:
        raise BrochureError(source, problems)
    return Brochure(
        version=str(data["version"]),
        title=data["title"],
        subtitle=data.get("subtitle"),
        status=data.get("status", "udkast"),
        content_hash=canonical_hash(data),
        sections=tuple(sections),
        contribution_rates=tuple(rates),
        amounts=tuple(amounts),
        raw=MappingProxyType(data),
    )


def _document_problems(data: dict[str, Any], expected_version: str | None) -> list[str]:
    """The top level: known keys, the document id, the version (matching the file name), the
    texts."""
    problems = [f"{key}: ukendt nøgle" for key in sorted(set(data) - _KNOWN_KEYS)]
    if data.get("document") != DOCUMENT_ID:
        problems.append(f"document: skal være '{DOCUMENT_ID}'")
    version = data.get("version")
    if not isinstance(version, str) or not _SEMVER.match(version):
        problems.append("version: skal være en version som '1.0.0'")
    elif expected_version is not None and version != expected_version:
        problems.append(f"version: '{version}' svarer ikke til filnavnet '{expected_version}'")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append("title: skal udfyldes")
    for key in ("subtitle", "status"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{key}: skal være tekst")
    return problems


def _parse_sections(raw: Any) -> tuple[list[BrochureSection], list[str]]:
    if not isinstance(raw, list) or not raw:
        return [], ["sections: mindst ét afsnit"]
    sections: list[BrochureSection] = []
    problems: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"sections[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: skal være et objekt")
            continue
        sid, title, body = item.get("id"), item.get("title"), item.get("body", "")
        if not isinstance(sid, str) or not _ID.match(sid):
            problems.append(f"{where}.id: skal matche {_ID.pattern}")
        elif sid in seen:
            problems.append(f"{where}.id: '{sid}' findes allerede")
        else:
            seen.add(sid)
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{where}.title: skal udfyldes")
        if not isinstance(body, str):
            problems.append(f"{where}.body: skal være tekst (markdown)")
        table = item.get("table")
        if table is not None and table not in _TABLES:
            problems.append(f"{where}.table: ukendt tabel '{table}'")
        problems += [
            f"{where}.{k}: ukendt nøgle"
            for k in sorted(set(item) - {"id", "title", "body", "table"})
        ]
        sections.append(BrochureSection(str(sid), str(title), str(body), table))
    return sections, problems


def _parse_rates(raw: Any) -> tuple[list[ContributionRate], list[str]]:
    if not isinstance(raw, list):
        return [], ["contribution_rates: skal være en liste"]
    rates: list[ContributionRate] = []
    problems: list[str] = []
    for i, item in enumerate(raw):
        where = f"contribution_rates[{i}]"
        year = item.get("year") if isinstance(item, dict) else None
        pct = item.get("percent") if isinstance(item, dict) else None
        if not isinstance(year, int) or isinstance(year, bool):
            problems.append(f"{where}.year: skal være et årstal")
            continue
        if not isinstance(pct, int | float) or isinstance(pct, bool) or not 0 <= pct <= 100:
            problems.append(f"{where}.percent: skal være et tal mellem 0 og 100")
            continue
        if rates and year <= rates[-1].year:
            problems.append(f"{where}.year: årene skal stå i stigende orden")
        rates.append(ContributionRate(year, float(pct), item.get("label")))
    return rates, problems


def _reference_problems(
    sections: list[BrochureSection], rates: list[ContributionRate], amounts: list[Amount]
) -> list[str]:
    """What the sections refer to must exist: the amounts their texts name, the rates' table."""
    known_amounts = {a.id for a in amounts}
    problems = [
        f"sections[{i}].body: beløbet '{name}' findes ikke i amounts"
        for i, section in enumerate(sections)
        for name in _AMOUNT.findall(section.body)
        if name not in known_amounts
    ]
    if any(s.table == "contribution_rates" for s in sections) and not rates:
        problems.append("contribution_rates: tabellen bruges, men har ingen rækker")
    return problems


def _parse_amounts(raw: Any) -> tuple[list[Amount], list[str]]:
    if not isinstance(raw, list):
        return [], ["amounts: skal være en liste"]
    amounts: list[Amount] = []
    problems: list[str] = []
    for i, item in enumerate(raw):
        where = f"amounts[{i}]"
        if not isinstance(item, dict) or not _ID.match(str(item.get("id", ""))):
            problems.append(f"{where}.id: skal matche {_ID.pattern}")
            continue
        values = []
        for j, value in enumerate(item.get("values") or []):
            year = value.get("year") if isinstance(value, dict) else None
            amount = value.get("amount") if isinstance(value, dict) else None
            if not isinstance(year, int) or isinstance(year, bool):
                problems.append(f"{where}.values[{j}].year: skal være et årstal")
            elif not isinstance(amount, int | float) or isinstance(amount, bool) or amount < 0:
                problems.append(f"{where}.values[{j}].amount: skal være et beløb")
            else:
                values.append((year, float(amount)))
        if not values:
            problems.append(f"{where}.values: mindst ét år med beløb")
            continue
        amounts.append(Amount(str(item["id"]), tuple(sorted(values))))
    return amounts, problems


def _with_amounts(body: str, amounts: dict[str, Amount], year: int) -> str:
    def figure(match: re.Match[str]) -> str:
        level, amount = amounts[match.group(1)].for_year(year)
        return f"{fmt.number(amount, 0)} kr. ({level}-niveau)"

    return _AMOUNT.sub(figure, body)


def body_for_year(brochure: Brochure, body: str, year: int) -> str:
    """A section's markdown as printed in ``year``: each ``{beløb:…}`` as that year's figure."""
    return _with_amounts(body, {a.id: a for a in brochure.amounts}, year)


def rates_from(rates: tuple[ContributionRate, ...], year: int) -> list[ContributionRate]:
    """The contribution table a leaflet printed in ``year`` shows: that year's rate on."""
    current = [r for r in rates if r.year <= year][-1:]
    return current + [r for r in rates if r.year > year]


def _version_key(version: str) -> tuple:
    core, _, pre = version.partition("-")
    return (*(int(p) for p in core.split(".")), pre == "", pre)


def brochure_versions(folder: Path | None = None) -> list[str]:
    folder = folder or brochure_dir()
    return sorted(
        (p.stem for p in folder.glob("*.json") if _SEMVER.match(p.stem)), key=_version_key
    )


def get_brochure(version: str | None = None, folder: Path | None = None) -> Brochure:
    """A brochure version (the newest when ``version`` is None)."""
    folder = folder or brochure_dir()
    if version is None:
        versions = brochure_versions(folder)
        if not versions:
            raise FileNotFoundError(f"ingen pjece-versioner i {folder}")
        version = versions[-1]
    return load_brochure(folder / f"{version}.json")


def brochure_context(
    brochure: Brochure, *, generated: dt.date | None = None, year: int | None = None
) -> dict[str, Any]:
    """Context of ``pjece.docx`` for the leaflet printed in ``year`` (default: this year)."""
    year = year or (generated or dt.date.today()).year
    rates = [
        {"year": r.label or str(r.year), "percent": fmt.percent(r.percent)}
        for r in rates_from(brochure.contribution_rates, year)
    ]
    amounts = {a.id: a for a in brochure.amounts}
    return {
        "title": brochure.title,
        "subtitle": brochure.subtitle or "",
        "version": brochure.version,
        "content_hash": brochure.content_hash,
        "status": brochure.status,
        "sections": [
            {
                "title": s.title,
                "body": markdown_context(_with_amounts(s.body, amounts, year)),
                "rates": rates if s.table == "contribution_rates" else [],
            }
            for s in brochure.sections
        ],
        "generated": generated_text(generated),
        "footer": brochure_footer(brochure, generated),
    }


def is_draft(brochure: Brochure) -> bool:
    return brochure.status.strip().lower() == DRAFT_STATUS


def brochure_footer(brochure: Brochure, generated: dt.date | None = None) -> str:
    """The draft's footer for the staff who review it; a leaflet for citizens has none.

    A draft says it is a draft and which content it is (version, short content hash, date),
    so a reviewer's remarks can be matched to the text; an approved leaflet is read by
    citizens, for whom a version line and a checksum mean nothing.
    """
    if not is_draft(brochure):
        return ""
    return (
        f"Udkast · pjece version {brochure.version} · indholdshash "
        f"{brochure.content_hash[:12]} · dannet {generated_text(generated)}"
    )
