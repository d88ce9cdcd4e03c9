"""Writes the case fixtures in fixtures/cases/ from the expectations below.

Run ``.venv/bin/python tests/completeness/build_case_fixtures.py`` after adding a case. This
script never runs the completeness engine: every expected outcome is written here by hand,
from the law (DESIGN.md, Pensionsloven § 26 a–c, BEK § 2–3 and § 6–7) and the bundled
criteria, and each case says why in ``why``. Only the mechanical parts are filled in from the
definition file: titles, legal references, check messages and field labels, so that a fixture
names exactly the texts a caseworker sees. Guidance texts and the content hash are written as
``@definition:...`` markers that the test resolves from the loaded definition, because they
are copied verbatim and editors may reword guidance without changing any outcome.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "form_definitions" / "sagsoplysningsskema"
ANSWERS = ROOT / "tests" / "fixtures" / "answers"
OUT = Path(__file__).parent / "fixtures" / "cases"
V1, V2 = "1.0.0", "2.0.0-pilot.1"
V11, V22 = "1.1.0", "2.0.0-pilot.2"  # the versions after the split (issue 11)
V12, V23 = "1.2.0", "2.0.0-pilot.3"  # CPR read by criterion 1, the ATP explanation field


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


RAW = {v: _load(FORMS / f"{v}.json") for v in (V1, V2, V11, V22, V12, V23)}
BASE = {
    V1: _load(ANSWERS / "v1_complete.json"),
    V2: _load(ANSWERS / "v2_complete.json"),
    V11: _load(ANSWERS / "v1_complete.json"),
    V22: _load(ANSWERS / "v2_complete.json"),
    V12: _load(ANSWERS / "v1_complete.json"),
    V23: _load(ANSWERS / "v2_complete.json"),
}


# -- employment rows -----------------------------------------------------------------------


def job(
    fra: str,
    til: str | None,
    arbejdsgiver: str,
    stilling: str,
    jobtype: str,
    timer: float = 37,
    kind: str = "loenmodtager",
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "fra": fra,
        "arbejdsgiver": arbejdsgiver,
        "stilling": stilling,
        "jobtype": jobtype,
        "timer_pr_uge": timer,
        "ansaettelsestype": kind,
        "udland": False,
    }
    if til is not None:
        row["til"] = til
    return row


def iss(fra: str, til: str) -> dict[str, Any]:
    return job(fra, til, "ISS Facility Services A/S", "Rengøringsassistent", "rengøring")


def koekken(fra: str, til: str) -> dict[str, Any]:
    return job(fra, til, "Esbjerg Kommune, Plejecenter Østerbyen", "Køkkenmedhjælper", "køkken")


def pleje(fra: str, til: str, timer: float = 37, kind: str = "loenmodtager") -> dict[str, Any]:
    return job(
        fra,
        til,
        "Esbjerg Kommune, Hjemmeplejen Vest",
        "Social- og sundhedshjælper",
        "pleje",
        timer,
        kind,
    )


# BEK § 3, stk. 2, 2. pkt.: the single job ended 31.8.2019, more than five years before the
# base application (10.3.2025); 6 + 6 months of the same type of job since then are added
AGGREGATED_CARE = [
    iss("1992-09-01", "2019-08-31"),
    job(
        "2023-03-01",
        "2023-08-31",
        "Vikarbureauet Omsorg ApS",
        "Social- og sundhedshjælper (vikar)",
        "pleje",
    ),
    pleje("2024-03-01", "2024-08-31"),
]

ASSESSMENT = (
    "Borgeren har arbejdet fuld tid med fysisk hårdt rengørings-, køkken- og plejearbejde i "
    "hele perioden, i de seneste 10 år med gennemsnitligt 39 timer om ugen ifølge lønsedlerne. "
    "Egen læge beskriver slidgigt i knæ og lænderyg, som er forværret gennem årene. Kommunen "
    "vurderer, at arbejdets karakter og omfang svarer til en langvarig tilknytning (BEK § 2, "
    "stk. 2)."
)
SELF_EMPLOYED_DOCS = (
    "Enkeltmandsvirksomhed (CVR 12345678) med rengøring af kontorer, 2014–2024. Borgeren "
    "udførte selv rengøringen 37–40 timer om ugen og havde ingen ansatte. Omsætning 420.000–"
    "480.000 kr. om året; selvstændig erhvervsindtægt ifølge årsopgørelserne 2014–2023 mellem "
    "260.000 og 310.000 kr. (BEK § 7)."
)


# -- expectations ----------------------------------------------------------------------------


@dataclass
class Expect:
    """One criterion that is not plainly complete (every list in form order)."""

    status: str
    reasons: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    review_fields: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)


@dataclass
class Cond:
    """One eligibility condition that is not plainly met."""

    status: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Case:
    name: str
    version: str
    today: str
    description: str
    why: str
    change: Callable[[dict[str, Any]], None] | None = None
    expect: dict[str, Expect | Cond] = field(default_factory=dict)
    answers: dict[str, Any] | None = None  # instead of the version's base answers


def _criterion(version: str, criterion_id: str) -> dict[str, Any]:
    return next(c for c in RAW[version]["completeness"] if c["id"] == criterion_id)


def msg(version: str, criterion_id: str, index: int) -> str:
    """The message of check ``index`` of a criterion, as written in the definition."""
    return _criterion(version, criterion_id)["checks"][index]["message"]


def _field(version: str, field_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for section in RAW[version]["sections"]:
        for f in section["fields"]:
            if f["id"] == field_id:
                return section, f
    raise KeyError(field_id)


def ref(version: str, field_id: str) -> dict[str, Any]:
    if "." in field_id:  # a sub-field of a repeat group links to its group
        group_id, sub_id = field_id.split(".", 1)
        section, group = _field(version, group_id)
        sub = next(s for s in group["fields"] if s["id"] == sub_id)
        return {
            "id": field_id,
            "label": sub["label"],
            "section": section["id"],
            "section_title": section["title"],
            "group": group_id,
            "group_label": group["label"],
            "anchor": f"field-{group_id}",
        }
    section, f = _field(version, field_id)
    return {
        "id": field_id,
        "label": f["label"],
        "section": section["id"],
        "section_title": section["title"],
        "group": None,
        "group_label": None,
        "anchor": f"field-{field_id}",
    }


def not_filled(version: str, field_id: str) -> str:
    section, f = _field(version, field_id)
    return f"»{f['label']}« ({section['title']}) er ikke udfyldt."


def refused(
    version: str,
    field_id: str,
    code: str = "required",
    row: str | None = None,
    value: str | None = None,
) -> str:
    """What the validator says when submission refuses the field (answers/messages.py)."""
    if row is None:
        _section, f = _field(version, field_id)
    else:
        _section, group = _field(version, row.split("|")[0])
        f = next(sub for sub in group["fields"] if sub["id"] == field_id)
    label = f"»{f['label']}«"
    where = f" for {row.split('|')[1]}" if row else ""
    if code == "min_length":
        return f"{label}{where} skal være på mindst {f['min_length']} tegn."
    if code == "cpr":
        return f"{label}{where} skal være et CPR-nummer med 10 cifre og en gyldig fødselsdato."
    if code == "date":  # a date of the right shape whose day does not exist
        return (
            f"{label}{where}: {value} er ikke en gyldig dato, den dag findes ikke. "
            "Ret dag eller måned (dd.mm.åååå)."
        )
    return f"Angiv {label}{where}."


def document_not_given(version: str, field_id: str) -> str:
    section, f = _field(version, field_id)
    return f"Dokumentation mangler: »{f['label']}« ({section['title']}) er ikke angivet."


def _summary(criteria: list[dict[str, Any]], conditions: list[dict[str, Any]]) -> str:
    informed = sum(i["status"] == "complete" for i in criteria)
    counted = f"{informed} af {len(criteria)} kriterier er oplyst"
    missing = [i["title"] for i in criteria if i["status"] == "missing"]
    weak = [i["title"] for i in criteria if i["status"] == "insufficient"]
    not_met = [i["title"] for i in conditions if i["status"] == "not_met"]
    open_ = [i["title"] for i in conditions if i["status"] == "undetermined"]
    if not (missing or weak):
        text = f"Sagen er tilstrækkeligt oplyst: {counted}."
    else:
        text = f"Sagen er ikke tilstrækkeligt oplyst: {counted}."
        if missing:
            text += " Mangler oplysninger: " + "; ".join(missing) + "."
        if weak:
            text += " Ikke tilstrækkeligt oplyst: " + "; ".join(weak) + "."
    if not_met:
        text += " Betingelse ikke opfyldt, kan føre til afslag: " + "; ".join(not_met) + "."
    if open_:
        text += " Betingelse kan ikke vurderes endnu: " + "; ".join(open_) + "."
    notes = sum(len(i["attention"]) for i in criteria)
    if notes:
        text += f" {notes} {'bemærkning' if notes == 1 else 'bemærkninger'} til Seniorpension."
    return text


CRITERION_LABELS = {
    "complete": "Tilstrækkeligt oplyst",
    "missing": "Mangler oplysninger",
    "insufficient": "Ikke tilstrækkeligt oplyst",
}
CONDITION_LABELS = {
    "met": "Opfyldt",
    "not_met": "Ikke opfyldt",
    "undetermined": "Kan ikke vurderes endnu",
}

# The eligibility tests 1.0.0 and the pilot state inside criteria (check index), reported as
# conditions: (criterion, check index) -> (condition id, title, legal reference)
YEARS, CAPACITY, PERMANENT = "fuldtidsaar", "arbejdsevne_hoejst_15_timer", "varigt_nedsat"
LIFTED = {
    ("kriterie_1", 0): (
        YEARS,
        "Langvarig tilknytning til arbejdsmarkedet (mindst 20–25 års fuldtidsbeskæftigelse)",
        "Pensionsloven § 26 a, stk. 2, nr. 1; BEK § 2",
    ),
    ("kriterie_4", 0): (
        CAPACITY,
        "Arbejdsevnen er højst 15 timer om ugen i forhold til seneste job",
        "Pensionsloven § 26 a, stk. 2, nr. 2; BEK § 3, stk. 1",
    ),
    ("kriterie_4", 1): (
        PERMANENT,
        "Arbejdsevnen er varigt nedsat",
        "Pensionsloven § 26 a, stk. 2, nr. 2, og § 26 c, stk. 1, nr. 4; BEK § 3, stk. 1",
    ),
}


def without_hours(index: int) -> Callable[[dict[str, Any]], None]:
    def change(answers: dict[str, Any]) -> None:
        del answers["ansaettelser"][index]["timer_pr_uge"]

    return change


def _form_order(version: str) -> list[str]:
    order = []
    for section in RAW[version]["sections"]:
        for f in section["fields"]:
            order.append(f["id"])
    return order


def _condition_fields(version: str, names: list[str]) -> list[dict[str, Any]]:
    order = _form_order(version)
    unique = sorted(set(names), key=order.index)
    return [ref(version, name) for name in unique]


def needs(version: str, *field_ids: str) -> str:
    """The reason of a condition that cannot be assessed until the fields are filled in."""
    named = []
    for field_id in field_ids:
        section, f = _field(version, field_id)
        named.append(f"»{f['label']}« ({section['title']})")
    joined = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " og " + named[-1]
    return f"Kan ikke vurderes, før {joined} er udfyldt."


def cannot_assess(refusal: str) -> str:
    """The reason of a condition whose required answer was given but refused by validation."""
    return f"Kan ikke vurderes. {refusal}"


def _condition_item(
    case: Case, cid: str, title: str, legal_ref: str | None, names: list[str], **extra: Any
) -> dict[str, Any]:
    e = case.expect.get(cid, Cond("met"))
    assert isinstance(e, Cond), cid
    return {
        "id": cid,
        "kind": "eligibility",
        "title": title,
        "legal_ref": legal_ref,
        "status": e.status,
        "status_label": CONDITION_LABELS[e.status],
        "reasons": e.reasons,
        "fields": _condition_fields(case.version, names),
        "criterion": extra.get("criterion"),
        "guidance": extra.get("guidance"),
    }


def expected_report(case: Case) -> dict[str, Any]:
    criteria = []
    stated = []
    lifted = []
    for criterion in RAW[case.version]["completeness"]:
        kind = criterion.get("kind", "criterion")
        cid = criterion["id"]
        if kind != "criterion":
            names = list(criterion.get("requires", []))
            for check in criterion["checks"]:
                names.extend(check.get("fields", []))
            stated.append(
                _condition_item(
                    case,
                    cid,
                    criterion["title"],
                    criterion.get("legal_ref"),
                    names,
                    guidance=f"@definition:completeness.{cid}.guidance",
                )
            )
            continue
        for index, check in enumerate(criterion["checks"]):
            if case.version in (V1, V2) and (cid, index) in LIFTED:
                condition_id, title, legal_ref = LIFTED[(cid, index)]
                lifted.append(
                    _condition_item(
                        case, condition_id, title, legal_ref, check["fields"], criterion=cid
                    )
                )
        e = case.expect.get(cid, Expect("complete"))
        assert isinstance(e, Expect), cid
        criteria.append(
            {
                "id": cid,
                "kind": kind,
                "title": criterion["title"],
                "legal_ref": criterion.get("legal_ref"),
                "status": e.status,
                "status_label": CRITERION_LABELS[e.status],
                "reasons": e.reasons,
                "missing_fields": [ref(case.version, f) for f in e.missing_fields],
                "missing_documents": [ref(case.version, f) for f in e.missing_documents],
                "review_fields": [ref(case.version, f) for f in e.review_fields],
                "attention": e.attention,
                "guidance": f"@definition:completeness.{cid}.guidance",
            }
        )
    conditions = stated + lifted
    known = {c["id"] for c in criteria} | {c["id"] for c in conditions}
    assert set(case.expect) <= known, (case.name, set(case.expect) - known)
    sufficient = all(i["status"] == "complete" for i in criteria)
    guidance_key = "sufficient" if sufficient else "missing_information"
    return {
        "form": "sagsoplysningsskema",
        "version": case.version,
        "content_hash": "@definition:content_hash",
        "evaluated_on": case.today,
        "sufficient": sufficient,
        "summary": _summary(criteria, conditions),
        "guidance": f"@definition:guidance.{guidance_key}",
        "criteria": criteria,
        "conditions": conditions,
    }


# -- the cases -------------------------------------------------------------------------------


def drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def change(answers: dict[str, Any]) -> None:
        for key in keys:
            answers.pop(key, None)

    return change


def put(**values: Any) -> Callable[[dict[str, Any]], None]:
    def change(answers: dict[str, Any]) -> None:
        answers.update(copy.deepcopy(values))

    return change


def both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(answers: dict[str, Any]) -> None:
        for c in changes:
            c(answers)

    return change


def latest_job_fields(title: str, employer: str, fra: str, til: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "seneste_job_titel": title,
        "seneste_job_arbejdsgiver": employer,
        "seneste_job_fra": fra,
    }
    if til is not None:
        values["seneste_job_til"] = til
    return values


K1, K2, K3, K4, AGE, FP = (
    "kriterie_1",
    "kriterie_2",
    "kriterie_3",
    "kriterie_4",
    "pensionsalder",
    "ikke_foertidspension",
)
BASE_DATES = (
    "The base case (tests/fixtures/answers/v1_complete.json): CPR 150862-2402, born "
    "15.8.1962, folkepensionsalder 67 on 15.8.2029 (§ 1 a), application 10.3.2025 is inside "
    "the window that opens 15.2.2023 (6½ years before); 27 full-time years 1997-2024; latest "
    "job social- og sundhedshjælper 2014-2024 (120 months, 0.5 years back); health documents "
    "from egen læge; work capacity 10 hours, permanent; udtaleret handled."
)


def cases() -> list[Case]:
    v1, v2 = V1, V2
    return [
        Case(
            "v1_all_complete",
            v1,
            "2025-06-01",
            "Everything the four criteria and the eligibility conditions ask for is there.",
            BASE_DATES + " Every criterion is met with no attention point (ATP 26.8 years vs 27 "
            "full-time years is within 5 years), so the case is sufficiently informed.",
        ),
        Case(
            "v1_k1_missing_periods",
            v1,
            "2025-06-01",
            "No employment periods entered.",
            "Criterion 1 requires the periods (§ 26 c, stk. 1, nr. 1; BEK § 6): missing, and its "
            "checks do not run. Without periods there is no latest job either, so criterion 2's "
            "check (a job of about 12 months, BEK § 3, stk. 2) fails as insufficient and points "
            "at the periods as the missing information.",
            drop("ansaettelser"),
            {
                K1: Expect(
                    "missing",
                    [not_filled(v1, "ansaettelser")],
                    missing_fields=["ansaettelser"],
                ),
                K2: Expect("insufficient", [msg(v1, K2, 0)], missing_fields=["ansaettelser"]),
                # without periods nothing can be said about the full-time years yet
                YEARS: Cond("undetermined", [needs(v1, "ansaettelser")]),
            },
        ),
        Case(
            "v1_k1_missing_documentation",
            v1,
            "2025-06-01",
            "Periods entered, but not how they are documented.",
            "BEK § 6: attachment must be documented or made probable (ATP, SKAT, employers, own "
            "information). The documentation sources are required for criterion 1: missing.",
            drop("dokumentation_tilknytning"),
            {
                K1: Expect(
                    "missing",
                    [not_filled(v1, "dokumentation_tilknytning")],
                    missing_fields=["dokumentation_tilknytning"],
                )
            },
        ),
        Case(
            "v1_k1_18_years",
            v1,
            "2025-06-01",
            "18 full-time years (2006-2024).",
            "Under 20 full-time years cannot meet BEK § 2 even on a concrete assessment: "
            "criterion 1 is insufficient and the periods are what to review (are periods "
            "abroad or as self-employed missing?). The assessment field is hidden below 20.",
            put(
                ansaettelser=[
                    koekken("2006-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=17.9,
            ),
            {YEARS: Cond("not_met", [msg(v1, K1, 0)])},
        ),
        Case(
            "v1_k1_19_9_years",
            v1,
            "2025-06-01",
            "19.9 full-time years (1.10.2004-31.8.2024): just under 20.",
            "19 years and 11 months are 19.92 calendar years, shown as 19.9: under the 20 years "
            "of BEK § 2, stk. 2, so insufficient, and no concrete assessment is asked for.",
            put(
                ansaettelser=[
                    koekken("2004-10-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=19.9,
            ),
            {YEARS: Cond("not_met", [msg(v1, K1, 0)])},
        ),
        Case(
            "v1_k1_exactly_20_years_without_assessment",
            v1,
            "2025-06-01",
            "Exactly 20.0 full-time years (1.9.2004-31.8.2024), no concrete assessment.",
            "20 years is the lower bound of BEK § 2, stk. 2 (inclusive): attachment can be met "
            "after a concrete assessment, which the municipality must write. It is missing, so "
            "criterion 1 is missing and names the assessment field.",
            put(
                ansaettelser=[
                    koekken("2004-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=20.0,
            ),
            {K1: Expect("missing", [msg(v1, K1, 1)], missing_fields=["konkret_vurdering"])},
        ),
        Case(
            "v1_k1_exactly_20_years_with_assessment",
            v1,
            "2025-06-01",
            "Exactly 20.0 full-time years with the concrete assessment.",
            "At 20 years with the BEK § 2, stk. 2 assessment written, criterion 1 is informed; "
            "whether the assessment convinces is Seniorpension's decision.",
            put(
                ansaettelser=[
                    koekken("2004-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=20.0,
                konkret_vurdering=ASSESSMENT,
            ),
        ),
        Case(
            "v1_k1_24_9_years_needs_assessment",
            v1,
            "2025-06-01",
            "24.9 full-time years (1.10.1999-31.8.2024), no assessment.",
            "24 years and 11 months are under 25 (BEK § 2, stk. 1), so the concrete assessment "
            "of stk. 2 is needed and missing.",
            put(
                ansaettelser=[
                    iss("1999-10-01", "2006-08-31"),
                    koekken("2006-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=24.9,
            ),
            {K1: Expect("missing", [msg(v1, K1, 1)], missing_fields=["konkret_vurdering"])},
        ),
        Case(
            "v1_k1_exactly_25_years",
            v1,
            "2025-06-01",
            "Exactly 25.0 full-time years (1.9.1999-31.8.2024).",
            "25 years of full-time work meets BEK § 2, stk. 1 on its own: no assessment is "
            "asked for (the field is hidden) and criterion 1 is complete.",
            put(
                ansaettelser=[
                    iss("1999-09-01", "2006-08-31"),
                    koekken("2006-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=25.0,
            ),
        ),
        Case(
            "v1_k1_part_time_converted",
            v1,
            "2025-06-01",
            "14 years full time, then 20 years at 13.5 hours a week, with an assessment.",
            "Part time converts proportionally (BEK § 2, stk. 3): 13.5/27 = half, so 20 years "
            "count as 10 and the total is 24.0, not 34. That is 20-25 years, so the concrete "
            "assessment is needed; it is written, so criterion 1 is complete. ATP 19 years + 5 "
            ">= 24: no attention.",
            put(
                ansaettelser=[
                    iss("1990-09-01", "2004-08-31"),
                    pleje("2004-09-01", "2024-08-31", 13.5),
                ],
                atp_aar=19.0,
                konkret_vurdering=ASSESSMENT,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2004-09-01",
                    "2024-08-31",
                ),
            ),
        ),
        Case(
            "v1_flexjob_counts_full_time",
            v1,
            "2025-06-01",
            "15 years full time, then 10 years in flexjob at 12 hours; work capacity 12 hours.",
            "Flexjob counts as full time (BEK § 2), so 15 + 10 = 25.0 years meets stk. 1 without "
            "an assessment (at 12/27 it would be 19.4). Flexjob can be the latest job (BEK § 3, "
            "stk. 2), and the work capacity of 12 hours in it is at most 15: complete.",
            put(
                ansaettelser=[
                    iss("1999-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31", 12, "fleksjob"),
                ],
                atp_aar=20.0,
                nuvaerende_ydelse="ledighedsydelse",
                arbejdsevne_timer=12,
            ),
        ),
        Case(
            "v1_flexjob_capacity_16_hours",
            v1,
            "2025-06-01",
            "The flexjob case, but work capacity 16 hours.",
            "Flexjob does not change the 15-hour limit (BEK § 3, stk. 1): 16 hours against the "
            "latest job is insufficient for criterion 4.",
            put(
                ansaettelser=[
                    iss("1999-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31", 12, "fleksjob"),
                ],
                atp_aar=20.0,
                nuvaerende_ydelse="ledighedsydelse",
                arbejdsevne_timer=16,
            ),
            {CAPACITY: Cond("not_met", [msg(v1, K4, 0)])},
        ),
        Case(
            "v1_self_employed_without_documentation",
            v1,
            "2025-06-01",
            "Self-employed 2014-2024, no BEK § 7 documentation; ATP 17 years.",
            "Periods as self-employed must be documented by the nature and extent of the "
            "business, own hours, staff, turnover and income (BEK § 7): missing. Self-employed "
            "people pay no ATP as employees, so 17 ATP years against 27 full-time years is an "
            "attention point (explain the difference), not a defect.",
            put(
                ansaettelser=[
                    iss("1997-09-01", "2006-08-31"),
                    koekken("2006-09-01", "2014-08-31"),
                    job(
                        "2014-09-01",
                        "2024-08-31",
                        "Egen virksomhed, CVR 12345678",
                        "Selvstændig rengøringsfirma",
                        "rengøring",
                        37,
                        "selvstaendig",
                    ),
                ],
                atp_aar=17.0,
            ),
            {
                K1: Expect(
                    "missing",
                    [msg(v1, K1, 2)],
                    missing_fields=["selvstaendig_dokumentation"],
                    attention=[msg(v1, K1, 3)],
                )
            },
        ),
        Case(
            "v1_self_employed_documented",
            v1,
            "2025-06-01",
            "The self-employed case with the BEK § 7 documentation.",
            "With the § 7 documentation criterion 1 is complete; the ATP gap stays an attention "
            "point, which does not make the case insufficient.",
            put(
                ansaettelser=[
                    iss("1997-09-01", "2006-08-31"),
                    koekken("2006-09-01", "2014-08-31"),
                    job(
                        "2014-09-01",
                        "2024-08-31",
                        "Egen virksomhed, CVR 12345678",
                        "Selvstændig rengøringsfirma",
                        "rengøring",
                        37,
                        "selvstaendig",
                    ),
                ],
                atp_aar=17.0,
                selvstaendig_dokumentation=SELF_EMPLOYED_DOCS,
            ),
            {K1: Expect("complete", attention=[msg(v1, K1, 3)])},
        ),
        Case(
            "v1_k2_missing_functions",
            v1,
            "2025-06-01",
            "The work functions of the latest job are not described.",
            "§ 26 c, stk. 1, nr. 2 and BEK § 3, stk. 3: the description is required: missing.",
            drop("arbejdsfunktioner"),
            {
                K2: Expect(
                    "missing",
                    [not_filled(v1, "arbejdsfunktioner")],
                    missing_fields=["arbejdsfunktioner"],
                )
            },
        ),
        Case(
            "v1_k2_missing_functions_and_competences",
            v1,
            "2025-06-01",
            "Neither work functions nor competences described.",
            "Both are required by criterion 2 (BEK § 3, stk. 3); both are listed, in form order.",
            drop("arbejdsfunktioner", "kompetencer"),
            {
                K2: Expect(
                    "missing",
                    [not_filled(v1, "arbejdsfunktioner"), not_filled(v1, "kompetencer")],
                    missing_fields=["arbejdsfunktioner", "kompetencer"],
                )
            },
        ),
        Case(
            "v1_k2_only_job_11_months",
            v1,
            "2025-06-01",
            "Wage subsidy 2018-2023, then an 11-month job (1.10.2023-31.8.2024).",
            "Wage subsidy is never the latest job and 11 months is not a job of about 12 months "
            "(v1 applies 12 strictly), so no latest job is identified: criterion 2 is "
            "insufficient. Attachment is 6.0 years (wage subsidy counts for attachment, BEK § 2), "
            "under 20: criterion 1 is insufficient too.",
            put(
                ansaettelser=[
                    job(
                        "2018-09-01",
                        "2023-09-30",
                        "Esbjerg Kommune, Genbrugsstationen",
                        "Medhjælper",
                        "genbrug",
                        37,
                        "loentilskud",
                    ),
                    pleje("2023-10-01", "2024-08-31"),
                ],
                atp_aar=6.0,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-10-01",
                    "2024-08-31",
                ),
            ),
            {
                YEARS: Cond("not_met", [msg(v1, K1, 0)]),
                K2: Expect("insufficient", [msg(v1, K2, 0)], review_fields=["ansaettelser"]),
            },
        ),
        Case(
            "v1_k2_only_job_12_months",
            v1,
            "2025-06-01",
            "Wage subsidy 2018-2023, then a 12-month job (1.9.2023-31.8.2024).",
            "12 months is a job of about 12 months (BEK § 3, stk. 2): criterion 2 is complete. "
            "Attachment is still 6.0 years: criterion 1 insufficient.",
            put(
                ansaettelser=[
                    job(
                        "2018-09-01",
                        "2023-08-31",
                        "Esbjerg Kommune, Genbrugsstationen",
                        "Medhjælper",
                        "genbrug",
                        37,
                        "loentilskud",
                    ),
                    pleje("2023-09-01", "2024-08-31"),
                ],
                atp_aar=6.0,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-09-01",
                    "2024-08-31",
                ),
            ),
            {YEARS: Cond("not_met", [msg(v1, K1, 0)])},
        ),
        Case(
            "v1_k2_latest_job_12_months_after_long_job",
            v1,
            "2025-06-01",
            "26 years of cleaning and kitchen work, then 12 months in home care.",
            "The latest job is the most recent job of about 12 months (BEK § 3, stk. 2): the "
            "12-month home-care job, 0.5 years back. Complete.",
            put(
                ansaettelser=[
                    iss("1997-09-01", "2006-08-31"),
                    koekken("2006-09-01", "2023-08-31"),
                    pleje("2023-09-01", "2024-08-31"),
                ],
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-09-01",
                    "2024-08-31",
                ),
            ),
        ),
        Case(
            "v1_k2_five_year_rule_12_months_added",
            v1,
            "2025-06-01",
            "Cleaning 1992-2019, then two 6-month home-care jobs in 2023 and 2024.",
            "The last single job of 12+ months ended 31.8.2019, more than 5 years before the "
            "application, so periods of the same type may be added (BEK § 3, stk. 2, 2. pkt.): "
            "6 + 6 = 12 months of home care is the latest job, 0.5 years back. This is the case "
            "the five-year rule is for, so the form asks whether periods were added (answered "
            "yes) and Seniorpension gets the attention note that they were (check that they are "
            "the same type of job). The criterion is informed: complete. (Measured from the "
            "combined job, 0.5 years back, neither used to appear.)",
            put(
                ansaettelser=AGGREGATED_CARE,
                atp_aar=27.5,
                sammenlagt_samme_type=True,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest, og Vikarbureauet Omsorg ApS",
                    "2023-03-01",
                    "2024-08-31",
                ),
            ),
            {K2: Expect("complete", attention=[msg(v1, K2, 2)])},
        ),
        Case(
            "v2_k2_five_year_rule_12_months_added",
            v2,
            "2025-06-01",
            "Pilot: cleaning 1992-2019, then two 6-month home-care jobs added together.",
            "As v1_k2_five_year_rule_12_months_added: the five-year rule was used, so the "
            "question is asked (answered yes) and the note that periods were added together is "
            "raised; criterion 2 is complete. The combined job is exactly 12.0 months, so the "
            "pilot's ca.-12-months note does not apply.",
            put(
                ansaettelser=AGGREGATED_CARE,
                atp_aar=27.5,
                sammenlagt_samme_type=True,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest, og Vikarbureauet Omsorg ApS",
                    "2023-03-01",
                    "2024-08-31",
                ),
            ),
            {K2: Expect("complete", attention=[msg(v2, K2, 2)])},
        ),
        Case(
            "v1_k2_five_year_rule_11_months_not_enough",
            v1,
            "2025-06-01",
            "Cleaning 1992-2019, then 6 + 5 months of home care.",
            "11 months of the same type do not make a job of about 12 months (v1: 12 strictly), "
            "so the cleaning job ending 31.8.2019 stays the latest job, 5.5 years back: an "
            "attention point for Seniorpension (check whether periods should be added), but the "
            "criterion is informed.",
            put(
                ansaettelser=[
                    iss("1992-09-01", "2019-08-31"),
                    job(
                        "2023-03-01",
                        "2023-08-31",
                        "Vikarbureauet Omsorg ApS",
                        "Social- og sundhedshjælper (vikar)",
                        "pleje",
                    ),
                    pleje("2024-04-01", "2024-08-31"),
                ],
                atp_aar=27.5,
                sammenlagt_samme_type=False,
                **latest_job_fields(
                    "Rengøringsassistent", "ISS Facility Services A/S", "1992-09-01", "2019-08-31"
                ),
            ),
            {K2: Expect("complete", attention=[msg(v1, K2, 1)])},
        ),
        Case(
            "v1_k2_wage_subsidy_only_recent_job",
            v1,
            "2025-06-01",
            "Cleaning 1997-2019, then 5 years with wage subsidy (2019-2024).",
            "Wage subsidy counts for attachment (22 + 5 = 27 years) but is never the latest job "
            "(BEK § 3, stk. 2): the latest job is the cleaning job ending 31.8.2019, 5.5 years "
            "back: attention, criterion complete.",
            put(
                ansaettelser=[
                    iss("1997-09-01", "2019-08-31"),
                    job(
                        "2019-09-01",
                        "2024-08-31",
                        "Esbjerg Kommune, Genbrugsstationen",
                        "Medhjælper",
                        "genbrug",
                        37,
                        "loentilskud",
                    ),
                ],
                atp_aar=26.9,
                sammenlagt_samme_type=False,
                **latest_job_fields(
                    "Rengøringsassistent", "ISS Facility Services A/S", "1997-09-01", "2019-08-31"
                ),
            ),
            {K2: Expect("complete", attention=[msg(v1, K2, 1)])},
        ),
        Case(
            "v1_k2_latest_job_exactly_5_years_back",
            v1,
            "2025-06-01",
            "One job 1990-2020 whose last day, 10.3.2020, is 5 years before the application.",
            "A job whose last working day is the same date 5 years before the application is "
            "not more than 5 years back (BEK § 3, stk. 2): no attention.",
            put(
                ansaettelser=[iss("1990-03-11", "2020-03-10")],
                atp_aar=29.9,
                nuvaerende_ydelse="kontanthjaelp",
                **latest_job_fields(
                    "Rengøringsassistent", "ISS Facility Services A/S", "1990-03-11", "2020-03-10"
                ),
            ),
        ),
        Case(
            "v1_k2_latest_job_just_over_5_years_back",
            v1,
            "2025-06-01",
            "One job 1990-2020 ending 1.2.2020, 5.1 years before the application.",
            "More than 5 years back, with no later periods of the same type to add: the job "
            "stays the latest job and Seniorpension should check (attention).",
            put(
                ansaettelser=[iss("1990-02-02", "2020-02-01")],
                atp_aar=29.9,
                nuvaerende_ydelse="kontanthjaelp",
                sammenlagt_samme_type=False,
                **latest_job_fields(
                    "Rengøringsassistent", "ISS Facility Services A/S", "1990-02-02", "2020-02-01"
                ),
            ),
            {K2: Expect("complete", attention=[msg(v1, K2, 1)])},
        ),
        Case(
            "v1_k2_latest_job_5_years_and_1_day_back",
            v1,
            "2025-06-01",
            "One job 1990-2020 whose last day, 9.3.2020, is 5 years and 1 day before the "
            "application of 10.3.2025.",
            "More than five years back means a last day before the same date five years "
            "before the application (ref minus 60 months, BEK § 3, stk. 2): 9.3.2020 is, even "
            "though 1,826 days are 4.9993 years of 365.25 days and the form shows 5.0. The "
            "latest-job rule and the form now use that one test, so the question about adding "
            "periods is asked (answered no: there are no later periods) and Seniorpension gets "
            "the five-year attention note; the criterion is complete.",
            put(
                ansaettelser=[iss("1990-03-10", "2020-03-09")],
                atp_aar=29.9,
                nuvaerende_ydelse="kontanthjaelp",
                sammenlagt_samme_type=False,
                **latest_job_fields(
                    "Rengøringsassistent", "ISS Facility Services A/S", "1990-03-10", "2020-03-09"
                ),
            ),
            {K2: Expect("complete", attention=[msg(v1, K2, 1)])},
        ),
        Case(
            "v1_k2_described_job_is_an_earlier_job",
            v1,
            "2025-06-01",
            "The base case, but the latest-job questions describe the kitchen job 2006-2014.",
            "The latest job by BEK § 3, stk. 2 is the home-care job 2014-2024; the form "
            "describes the kitchen job, which ended ten years before. The work functions may "
            "then be described for the wrong job, so Seniorpension is told (attention). Not "
            "insufficient: which job is the latest job is Seniorpension's assessment (about 12 "
            "months, same type of job), the calculation only finds a candidate, and the "
            "description itself is there.",
            put(
                **latest_job_fields(
                    "Køkkenmedhjælper",
                    "Esbjerg Kommune, Plejecenter Østerbyen",
                    "2006-09-01",
                    "2014-08-31",
                )
            ),
            {K2: Expect("complete", attention=[msg(v1, K2, 3)])},
        ),
        Case(
            "v1_k2_described_job_within_a_month",
            v1,
            "2025-06-01",
            "The base case, with the latest job described as 15.8.2014-15.9.2024.",
            "The home-care job ran 1.9.2014-31.8.2024; a description half a month off at each "
            "end (the month of the contract, the last payslip) is the same job: no note.",
            put(
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2014-08-15",
                    "2024-09-15",
                )
            ),
        ),
        Case(
            "v1_k2_only_job_11_5_months",
            v1,
            "2025-06-01",
            "Wage subsidy 2018-2023, then an 11.5-month job (1.9.2023-16.8.2024).",
            "v1 applies the 12 months strictly: 11.5 months is no latest job, so criterion 2 is "
            "insufficient as with 11 months, and no note about 'ca. 12 måneder' (that is the "
            "pilot's). Attachment is 6.0 years: criterion 1 insufficient.",
            put(
                ansaettelser=[
                    job(
                        "2018-09-01",
                        "2023-08-31",
                        "Esbjerg Kommune, Genbrugsstationen",
                        "Medhjælper",
                        "genbrug",
                        37,
                        "loentilskud",
                    ),
                    pleje("2023-09-01", "2024-08-16"),
                ],
                atp_aar=6.0,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-09-01",
                    "2024-08-16",
                ),
            ),
            {
                YEARS: Cond("not_met", [msg(v1, K1, 0)]),
                K2: Expect("insufficient", [msg(v1, K2, 0)], review_fields=["ansaettelser"]),
            },
        ),
        Case(
            "v2_k2_only_job_11_months_about_12",
            v2,
            "2025-06-01",
            "Pilot: wage subsidy 2018-2023, then an 11-month job (1.10.2023-31.8.2024).",
            "BEK § 3, stk. 2 says a job of about (ca.) 12 months. The pilot counts 11 to 12 "
            "months as about 12: the job is identified and described, so criterion 2 is "
            "informed (complete), and Seniorpension gets the note that it assesses concretely "
            "whether it is the latest job. v1 stays strict (v1_k2_only_job_11_months). No "
            "mismatch note: there is no job of 12 months to compare with. Attachment 6.0 years: "
            "criterion 1 insufficient.",
            put(
                ansaettelser=[
                    job(
                        "2018-09-01",
                        "2023-09-30",
                        "Esbjerg Kommune, Genbrugsstationen",
                        "Medhjælper",
                        "genbrug",
                        37,
                        "loentilskud",
                    ),
                    pleje("2023-10-01", "2024-08-31"),
                ],
                atp_aar=6.0,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-10-01",
                    "2024-08-31",
                ),
            ),
            {
                YEARS: Cond("not_met", [msg(v2, K1, 0)]),
                K2: Expect("complete", attention=[msg(v2, K2, 4)]),
            },
        ),
        Case(
            "v2_k2_only_job_10_months",
            v2,
            "2025-06-01",
            "Pilot: wage subsidy 2018-2023, then a 10-month job (1.11.2023-31.8.2024).",
            "10 months is not about 12 months, in the pilot either: no latest job, criterion 2 "
            "insufficient, and no ca.-12 note. Attachment 6.0 years: criterion 1 insufficient.",
            put(
                ansaettelser=[
                    job(
                        "2018-09-01",
                        "2023-10-31",
                        "Esbjerg Kommune, Genbrugsstationen",
                        "Medhjælper",
                        "genbrug",
                        37,
                        "loentilskud",
                    ),
                    pleje("2023-11-01", "2024-08-31"),
                ],
                atp_aar=6.0,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-11-01",
                    "2024-08-31",
                ),
            ),
            {
                YEARS: Cond("not_met", [msg(v2, K1, 0)]),
                K2: Expect("insufficient", [msg(v2, K2, 0)], review_fields=["ansaettelser"]),
            },
        ),
        Case(
            "v2_k2_recent_job_11_5_months_after_a_long_job",
            v2,
            "2025-06-01",
            "Pilot: cleaning and kitchen work 1997-2023, then 11.5 months of home care "
            "(1.9.2023-16.8.2024), described as the latest job.",
            "The 12-month rule finds the kitchen job (ended 31.8.2023); the home-care job after "
            "it is 11.5 months, about 12, and if it is the latest job the whole assessment is "
            "made against it. Both notes go to Seniorpension: the described job is not the one "
            "the 12-month rule finds, and the 11-12-month job is for its concrete assessment. "
            "Informed: complete. 26.96 full-time years, ATP 26.8: no attachment note.",
            put(
                ansaettelser=[
                    iss("1997-09-01", "2006-08-31"),
                    koekken("2006-09-01", "2023-08-31"),
                    pleje("2023-09-01", "2024-08-16"),
                ],
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-09-01",
                    "2024-08-16",
                ),
            ),
            {K2: Expect("complete", attention=[msg(v2, K2, 3), msg(v2, K2, 4)])},
        ),
        Case(
            "v1_k3_missing_description",
            v1,
            "2025-06-01",
            "Resources and challenges not described.",
            "§ 26 c, stk. 1, nr. 3 and BEK § 3, stk. 4: the description is required: missing.",
            drop("ressourcer_udfordringer"),
            {
                K3: Expect(
                    "missing",
                    [not_filled(v1, "ressourcer_udfordringer")],
                    missing_fields=["ressourcer_udfordringer"],
                )
            },
        ),
        Case(
            "v1_k3_only_specialist_document",
            v1,
            "2025-06-01",
            "Only a specialist's discharge letter, no existing health information written up.",
            "Health information must come from the citizen's own doctor or the region's "
            "clinical function, or be documented existing health information. A specialist "
            "document alone is neither: missing. The documents given are listed to review and "
            "the existing-information field as what to fill in.",
            both(
                put(helbredsdokumenter=[BASE[V1]["helbredsdokumenter"][1]]),
                drop("eksisterende_helbredsoplysninger"),
            ),
            {
                K3: Expect(
                    "missing",
                    [msg(v1, K3, 0)],
                    missing_fields=["eksisterende_helbredsoplysninger"],
                    review_fields=["helbredsdokumenter"],
                )
            },
        ),
        Case(
            "v1_k3_no_health_information",
            v1,
            "2025-06-01",
            "No health documents and no existing health information.",
            "Nothing to base the assessment of work capacity on (BEK § 3, stk. 4): missing; the "
            "health documents are a missing document, the existing information a missing field.",
            drop("helbredsdokumenter", "eksisterende_helbredsoplysninger"),
            {
                K3: Expect(
                    "missing",
                    [msg(v1, K3, 0)],
                    missing_fields=["eksisterende_helbredsoplysninger"],
                    missing_documents=["helbredsdokumenter"],
                )
            },
        ),
        Case(
            "v1_k3_existing_health_information_only",
            v1,
            "2025-06-01",
            "No new documents, but health information already documented in the municipality.",
            "Documented existing health information is enough (the issue and the guidance); "
            "complete.",
            drop("helbredsdokumenter"),
        ),
        Case(
            "v1_k3_clinical_function",
            v1,
            "2025-06-01",
            "Only health advice from the region's clinical function.",
            "The clinical function is an allowed source: complete.",
            both(
                put(
                    helbredsdokumenter=[
                        {
                            "dokument": {
                                "title": "Sammenfatning fra klinisk funktion, Region Syddanmark",
                                "source": "klinisk_funktion",
                                "date": "2025-04-28",
                            },
                            "beskrivelse": "Sammenfatning af lægelige oplysninger",
                        }
                    ]
                ),
                drop("eksisterende_helbredsoplysninger"),
            ),
        ),
        Case(
            "v1_k2_functions_too_short",
            v1,
            "2025-06-01",
            "The work functions are described in one short sentence (under 100 characters).",
            "Submission refuses a description under the form's minimum length, so completeness "
            "must not call criterion 2 informed: it is insufficient with the validator's own "
            "message, and the description is the field to look at (BEK § 3, stk. 3 asks for a "
            "concrete description).",
            put(arbejdsfunktioner="Rengøring og pleje af ældre borgere."),
            {
                K2: Expect(
                    "insufficient",
                    [refused(v1, "arbejdsfunktioner", "min_length")],
                    review_fields=["arbejdsfunktioner"],
                )
            },
        ),
        Case(
            "v1_k1_row_without_hours",
            v1,
            "2025-06-01",
            "The weekly hours of the first employment period are left empty.",
            "A period without weekly hours must not silently count as full time: submission "
            "refuses the row, and criterion 1, which owns the periods, says the hours are "
            "missing in that row (BEK § 2, stk. 1 and 3: full time, or a part-time conversion, "
            "depends on the hours). Only criterion 1 reports it; criterion 2 reads the periods "
            "too but does not own them.",
            without_hours(0),
            {
                K1: Expect(
                    "missing",
                    [
                        refused(
                            v1,
                            "timer_pr_uge",
                            row="ansaettelser|række 1 i »Beskæftigelsesperioder«",
                        )
                    ],
                    missing_fields=["ansaettelser.timer_pr_uge"],
                )
            },
        ),
        Case(
            "v1_k4_capacity_15_hours",
            v1,
            "2025-06-01",
            "Work capacity exactly 15 hours a week.",
            "At most 15 hours (BEK § 3, stk. 1) includes 15: complete.",
            put(arbejdsevne_timer=15),
        ),
        Case(
            "v1_k4_capacity_16_hours",
            v1,
            "2025-06-01",
            "Work capacity 16 hours a week.",
            "16 hours is above the 15-hour limit: insufficient, review the hours.",
            put(arbejdsevne_timer=16),
            {CAPACITY: Cond("not_met", [msg(v1, K4, 0)])},
        ),
        Case(
            "v1_k4_not_permanent",
            v1,
            "2025-06-01",
            "The municipality does not find the reduction permanent.",
            "The reduction must be permanent (varigt): insufficient.",
            put(varigt_nedsat=False),
            {PERMANENT: Cond("not_met", [msg(v1, K4, 1)])},
        ),
        Case(
            "v1_k4_no_right_to_comment",
            v1,
            "2025-06-01",
            "The citizen has not had the chance to comment.",
            "The citizen must be able to comment before the form goes to Seniorpension "
            "(udtaleret): missing; the date of the draft is hidden when the answer is no.",
            put(borger_partshoert=False),
            {K4: Expect("missing", [msg(v1, K4, 2)], review_fields=["borger_partshoert"])},
        ),
        Case(
            "v1_k4_missing_explanation",
            v1,
            "2025-06-01",
            "No professional explanation.",
            "§ 26 c, stk. 1, nr. 4: the explanation is required: missing.",
            drop("faglig_forklaring"),
            {
                K4: Expect(
                    "missing",
                    [not_filled(v1, "faglig_forklaring")],
                    missing_fields=["faglig_forklaring"],
                )
            },
        ),
        Case(
            "v1_age_application_on_earliest_date",
            v1,
            "2023-06-01",
            "Application on 15.2.2023, the earliest application date.",
            "Born 15.8.1962: folkepensionsalder 15.8.2029, seniorpension from 15.8.2023, "
            "application from 6 months before, 15.2.2023 (§ 26 b): inside the window. Years "
            "and latest job count up to the application date (25.5 years; the home-care job is "
            "ongoing then).",
            put(ansoegningsdato="2023-02-15", anmodningsdato="2023-03-01"),
        ),
        Case(
            "v1_age_application_day_before_earliest_date",
            v1,
            "2023-06-01",
            "Application on 14.2.2023, one day too early.",
            "One day before the earliest application date (§ 26 b): the condition is not met; "
            "application date and CPR number are the fields to check.",
            put(ansoegningsdato="2023-02-14", anmodningsdato="2023-03-01"),
            {AGE: Cond("not_met", [msg(v1, AGE, 0)])},
        ),
        Case(
            "v1_age_already_at_pension_age",
            v1,
            "2025-06-01",
            "Born 5.3.1957, folkepensionsalder 67 on 5.3.2024; application 10.3.2025.",
            "Seniorpension is for the years before folkepensionsalder; a citizen who has reached "
            "it cannot be granted it: not met.",
            put(cpr="0503572402", navn="Ole Bent Sørensen"),
            {AGE: Cond("not_met", [msg(v1, AGE, 1)])},
        ),
        Case(
            "v1_age_application_on_pension_age_day",
            v1,
            "2024-06-01",
            "Born 5.3.1957; application on 5.3.2024, the day folkepensionsalder is reached.",
            "On the day of folkepensionsalder the citizen is entitled to folkepension, not "
            "seniorpension: not met.",
            put(
                cpr="0503572402",
                navn="Ole Bent Sørensen",
                ansoegningsdato="2024-03-05",
                anmodningsdato="2024-03-20",
            ),
            {AGE: Cond("not_met", [msg(v1, AGE, 1)])},
        ),
        Case(
            "v1_foertidspension",
            v1,
            "2025-06-01",
            "The citizen receives førtidspension.",
            "Seniorpension cannot be granted to a citizen on førtidspension (§ 26 a): not met; "
            "the municipality cannot inform its way out of this.",
            put(nuvaerende_ydelse="foertidspension"),
            {FP: Cond("not_met", [msg(v1, FP, 0)])},
        ),
        Case(
            "v1_missing_cpr",
            v1,
            "2025-06-01",
            "No CPR number.",
            "Without the CPR number there is no birth date and no folkepensionsalder: the age "
            "condition is missing information.",
            drop("cpr"),
            {AGE: Cond("undetermined", [needs(v1, "cpr")])},
        ),
        Case(
            "v1_minimal_draft",
            v1,
            "2025-10-15",
            "A draft with the case and citizen only (tests/fixtures/answers/v1_minimal_draft.json).",
            "Born 23.9.1961, folkepensionsalder 23.9.2028, application 15.9.2025 inside the "
            "window: the age condition is met. Everything else is missing, field by field; "
            "criterion 1's checks do not run.",
            answers=_load(ANSWERS / "v1_minimal_draft.json"),
            expect={
                K1: Expect(
                    "missing",
                    [not_filled(v1, "ansaettelser"), not_filled(v1, "dokumentation_tilknytning")],
                    missing_fields=["ansaettelser", "dokumentation_tilknytning"],
                ),
                K2: Expect(
                    "missing",
                    [
                        not_filled(v1, "arbejdsfunktioner"),
                        not_filled(v1, "kompetencer"),
                        # criterion 2 reads the latest job's start date, which submission
                        # requires: completeness says so with the validator's message
                        refused(v1, "seneste_job_fra"),
                    ],
                    missing_fields=["seneste_job_fra", "arbejdsfunktioner", "kompetencer"],
                ),
                K3: Expect(
                    "missing",
                    [not_filled(v1, "ressourcer_udfordringer")],
                    missing_fields=["ressourcer_udfordringer"],
                ),
                K4: Expect(
                    "missing",
                    [
                        not_filled(v1, "faglig_forklaring"),
                        not_filled(v1, "arbejdsevne_timer"),
                        not_filled(v1, "varigt_nedsat"),
                        not_filled(v1, "borger_partshoert"),
                    ],
                    missing_fields=[
                        "arbejdsevne_timer",
                        "faglig_forklaring",
                        "varigt_nedsat",
                        "borger_partshoert",
                    ],
                ),
                FP: Cond("undetermined", [needs(v1, "nuvaerende_ydelse")]),
                YEARS: Cond("undetermined", [needs(v1, "ansaettelser")]),
                CAPACITY: Cond("undetermined", [needs(v1, "arbejdsevne_timer")]),
                PERMANENT: Cond("undetermined", [needs(v1, "varigt_nedsat")]),
            },
        ),
        Case(
            "v1_20_25_years_example",
            v1,
            "2026-01-15",
            "The 20-25-year example (tests/fixtures/answers/v1_20_25_years.json).",
            "22.1 full-time years as a slaughterhouse worker (2003-) with a written concrete "
            "assessment (BEK § 2, stk. 2); health advice from the clinical function; born "
            "2.3.1963, folkepensionsalder 68 on 2.3.2031, application 1.10.2025 inside the window "
            "that opens 2.9.2024. Every criterion is met.",
            answers=_load(ANSWERS / "v1_20_25_years.json"),
        ),
        Case(
            "v2_all_complete",
            v2,
            "2025-06-01",
            "The pilot's complete example (tests/fixtures/answers/v2_complete.json).",
            "The same case as v1_all_complete in the pilot's ids; the document checklist names "
            "ATP and SKAT, the health document from egen læge is from 14.4.2025, within 12 "
            "months of the request: no attention points.",
        ),
        Case(
            "v2_k1_missing_checklist",
            v2,
            "2025-06-01",
            "The pilot's document checklist is empty.",
            "In the pilot the checklist replaces the documentation question and is required "
            "by criterion 1 (BEK § 6): missing.",
            drop("dokumentcheckliste"),
            {
                K1: Expect(
                    "missing",
                    [not_filled(v2, "dokumentcheckliste")],
                    missing_fields=["dokumentcheckliste"],
                )
            },
        ),
        Case(
            "v2_k1_only_own_information",
            v2,
            "2025-06-01",
            "Attachment documented only by the applicant's own information.",
            "Own information can make periods probable (BEK § 6), so the criterion is informed, "
            "but the pilot flags that register information from ATP or SKAT should be obtained.",
            put(dokumentcheckliste=["egne_oplysninger", "laegeattest", "borgers_bemaerkninger"]),
            {K1: Expect("complete", attention=[msg(v2, K1, 4)])},
        ),
        Case(
            "v2_k1_exactly_20_years_without_assessment",
            v2,
            "2025-06-01",
            "Pilot: exactly 20.0 full-time years, no concrete assessment.",
            "As in v1: 20 years needs the BEK § 2, stk. 2 assessment, which is missing.",
            put(
                ansaettelser=[
                    koekken("2004-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=20.0,
            ),
            {K1: Expect("missing", [msg(v2, K1, 1)], missing_fields=["konkret_vurdering"])},
        ),
        Case(
            "v2_k3_old_health_documents",
            v2,
            "2025-06-01",
            "Pilot: the health documents are from January 2024 and November 2023.",
            "The documents come from an allowed source, so criterion 3 is informed, but all are "
            "more than 12 months older than the request of 24.3.2025: the pilot's attention "
            "point (consider an updated medical certificate).",
            put(
                helbredsdokumenter=[
                    {
                        "dokument": {
                            "title": "Statusattest",
                            "source": "egen_laege",
                            "date": "2024-01-10",
                        },
                        "kilde_type": "laegeattest",
                        "dato": "2024-01-08",
                        "konklusion": "Slidgigt i knæ og lænderyg; stationær tilstand.",
                    },
                    BASE[V2]["helbredsdokumenter"][1],
                ]
            ),
            {K3: Expect("complete", attention=[msg(v2, K3, 1)])},
        ),
        Case(
            "v2_k4_capacity_16_hours",
            v2,
            "2025-06-01",
            "Pilot: work capacity 16 hours a week (renamed field).",
            "The 15-hour limit is the same in the pilot; the field is now "
            "arbejdsevne_timer_pr_uge: insufficient.",
            put(arbejdsevne_timer_pr_uge=16),
            {CAPACITY: Cond("not_met", [msg(v2, K4, 0)])},
        ),
        Case(
            "v2_age_application_day_before_earliest_date",
            v2,
            "2023-06-01",
            "Pilot: application one day before the earliest application date.",
            "The same § 26 b window as v1: not met.",
            put(ansoegningsdato="2023-02-14", anmodningsdato="2023-03-01"),
            {AGE: Cond("not_met", [msg(v2, AGE, 0)])},
        ),
        # -- 1.1.0 and 2.0.0-pilot.2: the rules as the bekendtgørelse states them ------------
        Case(
            "v11_all_complete",
            V11,
            "2025-06-01",
            "1.1.0: the complete base case.",
            BASE_DATES + " Every criterion informed, every condition met; no part-time rows "
            "(all 37 hours), so no part-time question.",
        ),
        Case(
            "v11_atp_26_years_rows_22_5",
            V11,
            "2025-06-01",
            "1.1.0: 26 years of full ATP contribution; the rows give 22.5 full-time years.",
            "BEK § 2, stk. 1, 2. pkt.: in periods with full ATP contribution the person counts "
            "as full-time employed, so 26 ATP years meet the 25 years on their own: no concrete "
            "assessment is asked for (the field stays hidden), criterion 1 is informed and the "
            "condition is met. (In 1.0.0 the 22.5 row years would ask for the assessment.)",
            put(
                ansaettelser=[
                    koekken("2002-03-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=26.0,
            ),
        ),
        Case(
            "v11_20_25_years_informed",
            V11,
            "2025-06-01",
            "1.1.0: 22.5 years (rows and ATP) with the municipality's information for the "
            "concrete assessment.",
            "At 20-25 years the condition depends on Seniorpension's concrete assessment (BEK "
            "§ 2, stk. 2): the case is informed (criterion 1 complete) and the condition is "
            "undetermined, with the reason that the assessment is Seniorpension's.",
            put(
                ansaettelser=[
                    koekken("2002-03-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31"),
                ],
                atp_aar=22.0,
                konkret_vurdering=ASSESSMENT,
            ),
            {YEARS: Cond("undetermined", [msg(V11, YEARS, 1)])},
        ),
        Case(
            "v11_part_time_without_basis",
            V11,
            "2025-06-01",
            "1.1.0: ten years at 20 hours a week; nothing said about converting them.",
            "Part-time conversion is a concrete assessment (BEK § 2, stk. 3, 'kan ... "
            "omregnes'): the form asks what it rests on, submission requires it, and criterion "
            "1 names it as missing, once (the check and the validator agree on one field). "
            "27 ATP years keep the condition met.",
            put(
                ansaettelser=[
                    iss("1997-09-01", "2014-08-31"),
                    pleje("2014-09-01", "2024-08-31", 20),
                ],
                atp_aar=27.0,
            ),
            {
                K1: Expect(
                    "missing",
                    [msg(V11, K1, 3)],
                    missing_fields=["deltid_omregning"],
                )
            },
        ),
        Case(
            "v11_latest_job_12_months_minus_a_day",
            V11,
            "2025-06-01",
            "1.1.0: the latest job ran 1.9.2023-30.8.2024, 12 months minus a day.",
            "'ca. 12 måneder' (BEK § 3, stk. 2): 1.1.0 states a tolerance of 11.5 months, so "
            "the job is the latest job, criterion 2 is informed, and the described job matches "
            "it (no contradicting note).",
            put(
                ansaettelser=[
                    iss("1992-09-01", "2019-08-31"),
                    pleje("2023-09-01", "2024-08-30"),
                ],
                atp_aar=27.0,
                **latest_job_fields(
                    "Social- og sundhedshjælper",
                    "Esbjerg Kommune, Hjemmeplejen Vest",
                    "2023-09-01",
                    "2024-08-30",
                ),
            ),
        ),
        Case(
            "v11_capacity_16_hours",
            V11,
            "2025-06-01",
            "1.1.0: work capacity 16 hours a week.",
            "The explanation is there: criterion 4 is informed; 16 hours is a condition not met "
            "(BEK § 3, stk. 1), which can lead to a refusal, not a return to the municipality.",
            put(arbejdsevne_timer=16),
            {CAPACITY: Cond("not_met", [msg(V11, CAPACITY, 0)])},
        ),
        Case(
            "v11_specialist_document_only",
            V11,
            "2025-06-01",
            "1.1.0: the only health information is a specialist's document already in the case.",
            "Pensionsloven § 26 c, stk. 2 limits health advice and assessment to the clinical "
            "function and the citizen's own doctor, not health information already in the case: "
            "the specialist's document counts without being retyped as free text.",
            both(
                put(
                    helbredsdokumenter=[
                        {
                            "dokument": {
                                "title": "Speciallægeerklæring, ortopædkirurgi",
                                "source": "speciallaege",
                                "date": "2024-11-04",
                            },
                            "beskrivelse": "Slidgigt i begge knæ; stationær tilstand.",
                        }
                    ]
                ),
                drop("eksisterende_helbredsoplysninger"),
            ),
        ),
        Case(
            "v22_foertidspension",
            V22,
            "2025-06-01",
            "Pilot 2: the citizen receives førtidspension.",
            "Informed, not eligible: the condition cites § 26 a, stk. 5, and the case is "
            "sufficiently informed.",
            put(nuvaerende_ydelse="foertidspension"),
            {FP: Cond("not_met", [msg(V22, FP, 0)])},
        ),
        Case(
            "v22_all_complete",
            V22,
            "2025-06-01",
            "Pilot 2: the pilot's complete example.",
            "As v2_all_complete under the new rules: informed, every condition met.",
        ),
        # -- 1.2.0 and 2.0.0-pilot.3: the CPR number read by criterion 1, the ATP explanation --
        Case(
            "v12_all_complete",
            V12,
            "2025-06-01",
            "1.2.0: the complete base case.",
            BASE_DATES + " Every criterion informed, every condition met; the ATP years (26.8) "
            "and the full-time years agree, so no explanation is asked for.",
        ),
        Case(
            "v12_missing_cpr",
            V12,
            "2025-06-01",
            "1.2.0: no CPR number.",
            "Without the CPR number the case is not about an identified citizen: the ATP and "
            "SKAT documentation of the attachment (BEK § 6) is found by it, so from 1.2.0 "
            "criterion 1 requires it and the case is not sufficiently informed. (In 1.0.0 and "
            "1.1.0 no criterion read the CPR field and such a case could be sufficient.) The "
            "age condition cannot be assessed without the birth date.",
            drop("cpr"),
            {
                K1: Expect("missing", [not_filled(V12, "cpr")], missing_fields=["cpr"]),
                AGE: Cond("undetermined", [needs(V12, "cpr")]),
            },
        ),
        Case(
            "v12_cpr_date_does_not_exist",
            V12,
            "2025-06-01",
            "1.2.0: a CPR number whose birth date does not exist (320190-1234).",
            "The CPR number has the right shape (10 digits, DDMMYY-NNNN) but its birth date, "
            "32 January 1990, does not exist. Submission refuses it with the validator's "
            "message, and completeness says the same: the answer is there and wrong, so "
            "criterion 1 is insufficient with the CPR field for review (not 'er ikke "
            "udfyldt'), and the age condition cannot be assessed, for the same reason.",
            put(cpr="320190-1234"),
            {
                K1: Expect("insufficient", [refused(V12, "cpr", "cpr")], review_fields=["cpr"]),
                AGE: Cond("undetermined", [cannot_assess(refused(V12, "cpr", "cpr"))]),
            },
        ),
        Case(
            "v12_application_date_does_not_exist",
            V12,
            "2025-06-01",
            "1.2.0: an application date of the right shape whose day does not exist (2025-02-31).",
            "Submission refuses the date with the validator's message, and completeness says the "
            "same wherever the date is needed: criterion 2's check of the latest job (its months "
            "are counted back from the application date) cannot be run, so the criterion is "
            "insufficient with the date for review, not missing; the age condition and the "
            "full-time years cannot be assessed, for the same reason.",
            put(ansoegningsdato="2025-02-31"),
            {
                K2: Expect(
                    "insufficient",
                    [
                        "Kan ikke kontrolleres. "
                        + refused(V12, "ansoegningsdato", "date", value="2025-02-31")
                        + " Kontrollen: "
                        + msg(V12, K2, 0)
                    ],
                    review_fields=["ansoegningsdato"],
                ),
                AGE: Cond(
                    "undetermined",
                    [cannot_assess(refused(V12, "ansoegningsdato", "date", value="2025-02-31"))],
                ),
                YEARS: Cond(
                    "undetermined",
                    [
                        cannot_assess(refused(V12, "ansoegningsdato", "date", value="2025-02-31"))
                        + " Betingelsen: "
                        + msg(V12, YEARS, 0)
                    ],
                ),
            },
        ),
        Case(
            "v12_atp_gap_unexplained",
            V12,
            "2025-06-01",
            "1.2.0: 20 years of full ATP contribution against 27 full-time years in the rows.",
            "The rows give 27 years, so the attachment is met; the ATP statement shows more "
            "than 5 years fewer. The note asks the municipality to explain the difference in "
            "the field 1.2.0 adds for it (shown exactly when the note applies); the note is for "
            "Seniorpension and does not make the case insufficient.",
            put(atp_aar=20.0),
            {K1: Expect("complete", attention=[msg(V12, K1, 2)])},
        ),
        Case(
            "v12_atp_gap_explained",
            V12,
            "2025-06-01",
            "1.2.0: the same ATP gap, explained in the new field.",
            "Once the municipality has explained the difference (here: years as self-employed "
            "without ATP contribution, documented by tax statements) the note is answered and "
            "no longer shown.",
            put(
                atp_aar=20.0,
                atp_forskel_forklaring=(
                    "Borgeren arbejdede 1997–2004 i Tyskland; perioden er dokumenteret med "
                    "oplysninger fra den tyske arbejdsgiver og Deutsche Rentenversicherung."
                ),
            ),
        ),
        Case(
            "v12_phone_with_country_code",
            V12,
            "2025-06-01",
            "1.2.0: the contact's phone written as +45 12 34 56 78.",
            "1.2.0 accepts +45 and spaces in the phone number; the case is as complete as the "
            "base case (the phone belongs to no criterion, and submission accepts it).",
            put(kontakt_telefon="+45 12 34 56 78"),
        ),
        Case(
            "v23_all_complete",
            V23,
            "2025-06-01",
            "Pilot 3: the pilot's complete example.",
            "As v22_all_complete: informed, every condition met.",
        ),
        Case(
            "v23_missing_cpr",
            V23,
            "2025-06-01",
            "Pilot 3: no CPR number.",
            "As v12_missing_cpr: criterion 1 requires the CPR number from pilot 3.",
            drop("cpr"),
            {
                K1: Expect("missing", [not_filled(V23, "cpr")], missing_fields=["cpr"]),
                AGE: Cond("undetermined", [needs(V23, "cpr")]),
            },
        ),
        Case(
            "v23_cpr_date_does_not_exist",
            V23,
            "2025-06-01",
            "Pilot 3: a CPR number whose birth date does not exist (320190-1234).",
            "The CPR number has the right shape (10 digits, DDMMYY-NNNN) but its birth date, "
            "32 January 1990, does not exist. Submission refuses it with the validator's "
            "message, and completeness says the same: the answer is there and wrong, so "
            "criterion 1 is insufficient with the CPR field for review (not 'er ikke "
            "udfyldt'), and the age condition cannot be assessed, for the same reason.",
            put(cpr="320190-1234"),
            {
                K1: Expect("insufficient", [refused(V23, "cpr", "cpr")], review_fields=["cpr"]),
                AGE: Cond("undetermined", [cannot_assess(refused(V23, "cpr", "cpr"))]),
            },
        ),
        Case(
            "v23_atp_gap_unexplained",
            V23,
            "2025-06-01",
            "Pilot 3: 20 years of full ATP contribution against the rows' full-time years.",
            "As v12_atp_gap_unexplained: a note pointing at the explanation field.",
            put(atp_aar=20.0),
            {K1: Expect("complete", attention=[msg(V23, K1, 2)])},
        ),
    ]


def build(case: Case) -> dict[str, Any]:
    answers = copy.deepcopy(case.answers if case.answers is not None else BASE[case.version])
    if case.change is not None:
        case.change(answers)
    return {
        "description": case.description,
        "why": case.why,
        "form": f"sagsoplysningsskema@{case.version}",
        "today": case.today,
        "answers": answers,
        "expected": expected_report(case),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    all_cases = cases()
    names = [c.name for c in all_cases]
    assert len(names) == len(set(names)), "case names must be unique"
    for stale in OUT.glob("*.json"):
        if stale.stem not in names:
            stale.unlink()
    for case in all_cases:
        text = json.dumps(build(case), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        (OUT / f"{case.name}.json").write_text(text, encoding="utf-8")
    print(f"{len(all_cases)} case fixtures in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
