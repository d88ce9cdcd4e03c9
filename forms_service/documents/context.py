"""Template contexts built from a definition version and an evaluated answer set.

Templates get values, never logic: every label, formatted value, table row and guidance
paragraph is prepared here, so one generic template serves every form and version.

CPR policy: the filled-in case form goes to Seniorpension, which already holds the citizen's
CPR number, so it shows the full number. Every other document (guidance, blank form, brochure,
reports) carries no CPR at all, and where a document needs to identify a citizen it uses
``seniorpension.cpr.format_cpr(..., masked=True)`` (``231154-****``). ``case_form_context(..., mask_cpr=True)`` gives a
masked copy of the case form, e.g. for pilot feedback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from forms_service import danish as fmt
from forms_service.answers import Evaluation, evaluate
from forms_service.answers.text import (
    answer_text,
    cell_text,
    computed_text,
    is_answered,
)
from forms_service.completeness.fields import FieldCatalog, catalog_for
from forms_service.definitions.model import (
    Computed,
    Field,
    FieldType,
    FormDefinition,
)
from forms_service.documents.markdown import markdown_context
from forms_service.seniorpension import deadlines
from forms_service.seniorpension.cpr import format_cpr

# What every form document gets: the form's identity (``_form_identity``), the running
# header, its sections and when it was made.
_FORM_KEYS = frozenset(
    {"title", "form_ref", "form_label", "header", "version", "content_hash", "sections"}
) | {"generated"}
CASE_FORM_KEYS = _FORM_KEYS | {"case", "completeness", "documents"}
GUIDANCE_KEYS = _FORM_KEYS | {
    "form_title",
    "description",
    "legal_basis",
    "intro",
    "criteria",
    "sufficient",
    "missing_information",
}
BLANK_FORM_KEYS = _FORM_KEYS | {"description"}

# A repeat group with more columns than this does not fit the width of an A4 page in
# portrait: each row is printed as its own small label/value table ("records") instead.
MAX_TABLE_COLUMNS = 4

# Wording written for the web page that makes no sense on paper.
_WEB_WORDING = (
    ("Vises, når", "Besvares kun, når"),
    ("vises, når", "besvares kun, når"),
)
_WEB_ONLY_SENTENCES = ("folde en vejledning ud",)

TYPE_LABELS = {
    FieldType.TEXT: "Tekst",
    FieldType.TEXTAREA: "Længere tekst",
    FieldType.INTEGER: "Heltal",
    FieldType.NUMBER: "Tal",
    FieldType.DATE: "Dato (dd-mm-åååå)",
    FieldType.BOOLEAN: "Ja/Nej",
    FieldType.CHOICE: "Vælg én",
    FieldType.MULTICHOICE: "Vælg en eller flere",
    FieldType.CPR: "CPR-nummer",
    FieldType.REPEAT: "Tabel – en række pr. forekomst",
    FieldType.ATTACHMENT: "Bilag (titel, kilde, dato)",
}

STATUS_LABELS = {
    "sufficient": "Tilstrækkeligt oplyst",
    "complete": "Tilstrækkeligt oplyst",
    "ok": "Tilstrækkeligt oplyst",
    "insufficient": "Ikke tilstrækkeligt oplyst",
    "missing": "Mangler oplysninger",
    "attention": "Bør ses efter",
    "not_applicable": "Ikke relevant",
}


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the case form shows about the case itself (plain data, no storage types)."""

    reference: str
    municipality: str | None = None
    citizen_name: str | None = None
    cpr: str | None = None
    status: str | None = None
    caseworker: str | None = None
    application_date: dt.date | None = None
    requested_date: dt.date | None = None  # Seniorpension's request to the municipality
    municipality_deadline: dt.date | None = None  # 3 months from the request
    decision_deadline: dt.date | None = None  # 6 months from the application
    submitted_at: dt.date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CaseFacts:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for key in (
            "application_date",
            "requested_date",
            "municipality_deadline",
            "decision_deadline",
            "submitted_at",
        ):
            values[key] = fmt.parse_date(values.get(key))
        return cls(**values)

    def with_deadlines(self) -> CaseFacts:
        """Fill in deadlines the caller did not give, from the request and application dates."""
        municipality = self.municipality_deadline
        if municipality is None and self.requested_date:
            municipality = deadlines.municipality_deadline(self.requested_date)
        decision = self.decision_deadline
        if decision is None and self.application_date:
            decision = deadlines.decision_deadline(self.application_date)
        return CaseFacts(
            **{
                **{f.name: getattr(self, f.name) for f in fields(self)},
                "municipality_deadline": municipality,
                "decision_deadline": decision,
            }
        )


# -- formatting one answer ------------------------------------------------------------------


def repeat_table(f: Field, rows: Any, *, mask_cpr: bool = False) -> dict[str, Any]:
    columns = [sub.label for sub in f.fields]
    body = []
    for row in rows if isinstance(rows, list) else []:
        row = row if isinstance(row, Mapping) else {}
        body.append([cell_text(sub, row.get(sub.id), mask_cpr=mask_cpr) for sub in f.fields])
    return {"columns": columns, "rows": body}


# -- the filled-in case form ----------------------------------------------------------------


def case_form_context(
    definition: FormDefinition,
    answers: Mapping[str, Any] | Evaluation,
    *,
    case: CaseFacts | None = None,
    completeness: Any = None,
    mask_cpr: bool = False,
    today: dt.date | None = None,
    generated: dt.date | None = None,
    documents: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Context of ``udfyldt_skema.docx`` for one case.

    ``documents`` are the case's uploaded files (``filename``, ``content_type``, ``size`` in
    bytes, ``sha256``), listed so the reader can match each file to the form.

    ``answers`` is an ``Evaluation`` (``forms_service.answers.evaluate``) or a raw answers
    document, which is evaluated here with ``today``. Hidden fields are left out, computed
    values are shown in the section they name, and an unanswered visible field reads
    "Ikke besvaret".
    """
    today = today or dt.date.today()
    evaluation = (
        answers if isinstance(answers, Evaluation) else evaluate(definition, answers, today=today)
    )
    values = evaluation.values
    catalog = catalog_for(definition)
    computed_by_section: dict[str, list[Computed]] = {}
    loose_computed: list[Computed] = []
    section_ids = {s.id for s in definition.sections}
    for c in definition.computed:
        if c.section in section_ids:
            computed_by_section.setdefault(c.section or "", []).append(c)
        elif c.label:
            loose_computed.append(c)

    sections = []
    for section in definition.sections:
        if not evaluation.is_visible(f"section:{section.id}"):
            continue
        items: list[dict[str, Any]] = []
        for f in section.fields:
            if evaluation.is_visible(f.id):
                items.append(_field_item(f, values.get(f.id), mask_cpr))
        for c in computed_by_section.get(section.id, []):
            if c.id in values:
                items.append(_computed_item(c, evaluation, catalog))
        if items:
            sections.append({"title": section.title, "fields": items})
    loose = [_computed_item(c, evaluation, catalog) for c in loose_computed if c.id in values]
    if loose:
        sections.append({"title": "Beregnede værdier", "fields": loose})

    return {
        **_form_identity(definition),
        "header": _running_header(definition, case),
        "case": _case_context(case, mask_cpr),
        "sections": sections,
        "completeness": completeness_context(definition, completeness),
        "generated": generated_text(generated),
        "documents": [
            {
                "filename": str(d["filename"]),
                "type": str(d["content_type"]),
                "size": fmt.file_size(int(d["size"])),
                "sha256": str(d["sha256"]),
            }
            for d in documents
        ],
    }


def _form_identity(definition: FormDefinition) -> dict[str, Any]:
    return {
        "title": definition.title,
        "form_ref": definition.ref,
        "form_label": form_label(definition),
        "version": definition.version,
        "content_hash": definition.content_hash,
    }


def form_label(definition: FormDefinition) -> str:
    """The form's title and version in words: "Sagsoplysningsskema …, version 1.0.0"."""
    return f"{definition.title}, {fmt.version_words(definition.version)}"


def generated_text(generated: dt.date | dt.datetime | None) -> str:
    """When the file was made ("dannet"): the time of rendering unless a caller fixes it."""
    return fmt.datetime_long(generated or dt.datetime.now().replace(second=0, microsecond=0))


def _running_header(definition: FormDefinition, case: CaseFacts | None) -> str:
    # every page names its case, so a loose page can be matched; the CPR is masked here
    # even where the body shows it in full
    if case is None:
        return form_label(definition)
    parts = [f"Sag {case.reference}", case.citizen_name, format_cpr(case.cpr, masked=True)]
    if not parts[2] and case.cpr:
        parts[2] = "CPR ukendt format"
    return " · ".join(p for p in parts if p)


def _field_item(f: Field, value: Any, mask_cpr: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"label": f.label, "kind": "text", "id": f.id}
    if f.type is FieldType.REPEAT and is_answered(value):
        table = repeat_table(f, value, mask_cpr=mask_cpr)
        if len(table["columns"]) > MAX_TABLE_COLUMNS:
            item.update(kind="records", value="", records=_records(f, table))
        else:
            item.update(kind="table", value="", **table)
    else:
        item["value"] = answer_text(f, value, mask_cpr=mask_cpr)
    return item


def _records(f: Field, table: Mapping[str, Any]) -> list[dict[str, Any]]:
    noun = f.row_label or "Række"
    return [
        {
            "title": f"{noun} {number}",
            "pairs": [
                {"label": label, "value": value}
                for label, value in zip(table["columns"], row, strict=True)
                if value
            ],
        }
        for number, row in enumerate(table["rows"], start=1)
    ]


def _computed_item(c: Computed, evaluation: Evaluation, catalog: FieldCatalog) -> dict[str, Any]:
    # as on the form page: a value whose inputs are unanswered names what it waits for
    missing = catalog.missing_input_labels(evaluation, c.id)
    return {
        "label": c.label or c.id,
        "kind": "computed",
        "id": c.id,
        "value": computed_text(c, evaluation.values.get(c.id), missing=missing),
    }


def _case_context(case: CaseFacts | None, mask_cpr: bool) -> dict[str, Any]:
    if case is None:
        return {"reference": "", "facts": []}
    case = case.with_deadlines()
    cpr = format_cpr(case.cpr, masked=mask_cpr)
    facts = [
        ("Sagsnummer", case.reference),
        ("Kommune", case.municipality),
        ("Borger", case.citizen_name),
        ("CPR-nummer", cpr),
        ("Status", status_label(case.status)),
        ("Sagsbehandler", case.caseworker),
        ("Ansøgning modtaget", fmt.date_long(case.application_date)),
        ("Anmodning fra Seniorpension", fmt.date_long(case.requested_date)),
        ("Kommunens frist (3 måneder)", fmt.date_long(case.municipality_deadline)),
        ("Frist for afgørelse (6 måneder)", fmt.date_long(case.decision_deadline)),
        ("Indsendt", fmt.date_long(case.submitted_at)),
    ]
    return {
        "reference": case.reference,
        "facts": [{"label": label, "value": value} for label, value in facts if value],
    }


def status_label(status: str | None) -> str | None:
    """A case status in Danish, whether the caller gave the code or the label already."""
    if not status:
        return status
    from forms_service.cases.lifecycle import Status

    try:
        return Status(status).label
    except ValueError:
        return status


def paper_text(text: str) -> str:
    """Web wording ("Vises, når …", "fold en vejledning ud") rewritten or left out for paper."""
    for web, paper in _WEB_WORDING:
        text = text.replace(web, paper)
    if any(s in text for s in _WEB_ONLY_SENTENCES):
        kept = [
            line for line in text.split("\n\n") if not any(s in line for s in _WEB_ONLY_SENTENCES)
        ]
        text = "\n\n".join(kept)
    return text


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _status(value: Any) -> str:
    key = str(getattr(value, "value", value) or "")
    return STATUS_LABELS.get(key, key)


def completeness_context(definition: FormDefinition, report: Any) -> dict[str, Any] | None:
    """The completeness report as rows for the template.

    ``report`` is a ``forms_service.completeness.CompletenessReport`` or its ``to_dict()`` (as
    stored with a submission); criterion titles and legal references fall back to the
    definition's.
    """
    if report is None:
        return None
    by_id = {c.id: c for c in definition.completeness}
    criteria = []
    for item in _get(report, "criteria", None) or []:
        criterion = by_id.get(str(_get(item, "id", "")))
        kind = str(_get(item, "kind", None) or "criterion")
        status = _get(item, "status")
        label = _get(item, "status_label", None)
        if label is None and hasattr(status, "label"):
            label = status.label(kind)
        missing = [
            *(_get(item, "missing_fields", None) or _get(item, "missing", None) or []),
            *(_get(item, "missing_documents", None) or []),
        ]
        criteria.append(
            {
                "title": _get(item, "title", None) or (criterion.title if criterion else ""),
                "status": label or _status(status),
                "legal_ref": _get(item, "legal_ref", None)
                or (criterion.legal_ref if criterion and criterion.legal_ref else ""),
                "reasons": [str(_get(r, "message", r)) for r in _get(item, "reasons", None) or []],
                "missing": [_field_label(definition, m) for m in missing],
                "attention": [str(a) for a in _get(item, "attention", None) or []],
            }
        )
    # the eligibility conditions follow the criteria; a condition not met can lead to a refusal
    # and is never missing information (completeness/report.py)
    for item in _get(report, "conditions", None) or []:
        status = _get(item, "status")
        label = str(_get(item, "status_label", None) or getattr(status, "label", status))
        if str(getattr(status, "value", status)) == "not_met":
            label += " – kan føre til afslag"
        criteria.append(
            {
                "title": str(_get(item, "title", "")),
                "status": label,
                "legal_ref": _get(item, "legal_ref", None) or "",
                "reasons": [str(r) for r in _get(item, "reasons", None) or []],
                "missing": [],
                "attention": [],
            }
        )
    sufficient = _get(report, "sufficient", None)
    if sufficient is None:
        overall = _status(_get(report, "status"))
    else:
        overall = STATUS_LABELS["sufficient" if sufficient else "insufficient"]
    return {
        "status": overall,
        "summary": str(_get(report, "summary", None) or ""),
        "criteria": criteria,
    }


def _field_label(definition: FormDefinition, item: Any) -> str:
    # a completeness FieldRef (or its dict) carries its own label, with the group of a row
    label = _get(item, "label", None)
    if label and not isinstance(item, str):
        group = _get(item, "group_label", None)
        return f"{group}: {label}" if group else str(label)
    field_id = str(_get(item, "id", None) or _get(item, "field", item))
    f = definition.field(field_id)
    if f is not None:
        return f.label
    c = definition.computed_value(field_id)
    return (c.label or c.id) if c else field_id


# -- guidance and blank form ----------------------------------------------------------------


def _field_guidance(f: Field) -> dict[str, Any]:
    options = [o.label for o in f.options]
    return {
        "label": f.label,
        "hint": paper_text(f.hint or ""),
        "type": TYPE_LABELS.get(f.type, str(f.type)),
        "required": "Ja" if f.required else ("Under betingelser" if f.required_if else "Nej"),
        "conditional": bool(f.visible_if),
        "options": fmt.join_list(options),
        "columns": fmt.join_list(sub.label for sub in f.fields),
        "legal_refs": fmt.join_list(r.ref for r in f.legal_refs),
        "guidance": markdown_context(f.guidance),
    }


def guidance_context(
    definition: FormDefinition, *, generated: dt.date | None = None
) -> dict[str, Any]:
    """Context of ``vejledning.docx``: the guidance of one definition version."""
    guidance = definition.guidance
    criteria = []
    for c in definition.completeness:
        criteria.append(
            {
                "title": c.title,
                "legal_ref": c.legal_ref or "",
                "guidance": markdown_context(c.guidance),
                "requires": fmt.join_list(_field_label(definition, r) for r in c.requires),
                "checks": [chk.message for chk in c.checks],
            }
        )
    return {
        **_form_identity(definition),
        "title": "Vejledning til sagsoplysningsskemaet",
        "form_title": definition.title,
        "header": f"Vejledning · {form_label(definition)}",
        "description": definition.description or "",
        "legal_basis": [_legal(r.ref, r.title) for r in definition.legal_basis],
        "intro": markdown_context(paper_text(guidance.intro or "")),
        "sections": [
            {
                "title": s.title,
                "guidance": markdown_context(s.guidance),
                "legal_refs": fmt.join_list(r.ref for r in s.legal_refs),
                "fields": [_field_guidance(f) for f in s.fields],
            }
            for s in definition.sections
        ],
        "criteria": criteria,
        "sufficient": markdown_context(guidance.sufficient),
        "missing_information": markdown_context(guidance.missing_information),
        "generated": generated_text(generated),
    }


def _legal(ref: str, title: str | None) -> str:
    return f"{ref} – {title}" if title else ref


BLANK_ROWS = 3
# Lines of writing space on the blank form, by the answer expected.
LINES_SHORT = 1
LINES_TEXTAREA = 6
LINES_EXPLANATION = 14  # the one free text a completeness criterion rests on


def _writing_lines(definition: FormDefinition, f: Field) -> int:
    if f.type is FieldType.TEXTAREA:
        # the only free text among a criterion's required answers carries its explanation
        for criterion in definition.completeness:
            texts = [
                r
                for r in criterion.requires
                if (rf := definition.field(r)) is not None and rf.type is FieldType.TEXTAREA
            ]
            if texts == [f.id]:
                return LINES_EXPLANATION
        return LINES_TEXTAREA
    if f.type is FieldType.ATTACHMENT:
        return 2
    return LINES_SHORT


def _blank_records(f: Field) -> list[dict[str, Any]]:
    noun = f.row_label or "Række"
    rows = max(BLANK_ROWS, f.min_rows or 0)
    items = [{"label": sub.label, "value": _blank_value(sub)} for sub in f.fields]
    return [{"title": f"{noun} {n}", "pairs": items} for n in range(1, rows + 1)]


def _blank_value(f: Field) -> str:
    # what a person writes into the empty cell: the format where it is not obvious
    if f.type is FieldType.DATE:
        return "__ - __ - ____"
    if f.type is FieldType.BOOLEAN:
        return "☐ Ja   ☐ Nej"
    if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
        return "   ".join(f"☐ {o.label}" for o in f.options)
    return ""


def blank_form_context(
    definition: FormDefinition, *, generated: dt.date | None = None
) -> dict[str, Any]:
    """Context of ``blankt_skema.docx``: every question with room for the answer.

    Free text gets a framed box sized to the answer expected, choices get checkboxes, and a
    repeat group one small table per row to fill in.
    """
    sections = []
    for s in definition.sections:
        items = []
        for f in s.fields:
            item = _field_guidance(f)
            item["kind"] = "records" if f.type is FieldType.REPEAT else "text"
            item["records"] = _blank_records(f) if f.type is FieldType.REPEAT else []
            item["choices"] = [f"☐ {o.label}" for o in f.options]
            if f.type is FieldType.BOOLEAN:
                item["choices"] = ["☐ Ja", "☐ Nej"]
            item["lines"] = [""] * _writing_lines(definition, f)
            items.append(item)
        sections.append({"title": s.title, "fields": items})
    return {
        **_form_identity(definition),
        "header": f"Blankt skema · {form_label(definition)}",
        "description": definition.description or "",
        "sections": sections,
        "generated": generated_text(generated),
    }


__all__: Sequence[str] = (
    "BLANK_FORM_KEYS",
    "CASE_FORM_KEYS",
    "GUIDANCE_KEYS",
    "CaseFacts",
    "blank_form_context",
    "case_form_context",
    "completeness_context",
    "guidance_context",
)
