"""The e-mail of an event, in Danish, as plain text and HTML.

What goes in: the kind, the case number, the municipality, the deadline that matters, a link
to the case and, for a return, Seniorpension's reason (CPR-like numbers already removed when
the event was recorded). What never goes in: the CPR number, the citizen's name or any answer —
e-mail leaves the service's access control, so it carries only what points to the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from forms_service.danish import date_long
from forms_service.notifications.kinds import (
    DEADLINE_LABELS,
    DECISION_DEADLINE,
    MUNICIPALITY_DEADLINE,
    EventType,
)
from forms_service.notifications.models import NotificationEvent
from forms_service.notifications.outbox import without_cpr
from forms_service.seniorpension.municipalities import municipality_by_code

_environment = Environment(
    loader=PackageLoader("forms_service.notifications", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

LEADS: dict[EventType, str] = {
    EventType.CASE_CREATED: "Seniorpension har oprettet sagen {number}.",
    EventType.CASE_SENT: (
        "Seniorpension har sendt sagen {number} til {municipality} Kommune og beder kommunen "
        "udfylde sagsoplysningsskemaet."
    ),
    EventType.CASE_SUBMITTED: "{municipality} Kommune har indsendt sagsoplysningsskemaet i sagen {number}.",
    EventType.CASE_RETURNED: (
        "Seniorpension har returneret sagen {number} til {municipality} Kommune, fordi der "
        "mangler oplysninger."
    ),
    EventType.CASE_SUFFICIENTLY_INFORMED: "Seniorpension har vurderet sagen {number} som tilstrækkeligt oplyst.",
    EventType.CASE_DECIDED: "Seniorpension har truffet afgørelse i sagen {number}.",
    EventType.CASE_VERSION_MOVED: (
        "Seniorpension har flyttet sagen {number} til version {to_version} af skemaet. "
        "Kontrollér svarene, før skemaet indsendes."
    ),
    EventType.DEADLINE_APPROACHING: "{deadline_label} i sagen {number} udløber om {days_left} dage.",
    EventType.DEADLINE_MISSED: "{deadline_label} i sagen {number} er overskredet.",
}


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(event: NotificationEvent, *, base_url: str) -> RenderedEmail:
    kind = EventType(event.type)
    data = event.data or {}
    municipality = _municipality_name(event.municipality_code)
    deadline_kind = data.get("deadline")
    fields = {
        "number": event.case_number,
        "municipality": municipality,
        "to_version": data.get("to_version", ""),
        "days_left": data.get("days_left", ""),
        "deadline_label": DEADLINE_LABELS.get(deadline_kind or "", "Fristen").capitalize(),
    }
    lead = LEADS[kind].format(**fields)
    context = {
        "subject": f"{kind.label}: sag {event.case_number}",
        "lead": lead,
        "case_number": event.case_number,
        "municipality": municipality,
        "reason": without_cpr(data["reason"]) if data.get("reason") else None,
        "deadlines": _deadlines(data, deadline_kind),
        "link": f"{base_url.rstrip('/')}/cases/{event.case_id}",
        "kind": kind,
    }
    return RenderedEmail(
        subject=context["subject"],
        text=_environment.get_template("email.txt").render(context),
        html=_environment.get_template("email.html").render(context),
    )


def _deadlines(data: dict[str, object], deadline_kind: object) -> list[tuple[str, str]]:
    rows = []
    if deadline_kind in (MUNICIPALITY_DEADLINE, DECISION_DEADLINE) and data.get("date"):
        rows.append((DEADLINE_LABELS[str(deadline_kind)].capitalize(), date_long(data["date"])))
        return rows
    if data.get("municipality_deadline"):
        rows.append(("Kommunens svarfrist", date_long(data["municipality_deadline"])))
    if data.get("decision_deadline"):
        rows.append(("Frist for afgørelse", date_long(data["decision_deadline"])))
    return rows


def _municipality_name(code: int) -> str:
    try:
        return municipality_by_code(code).name
    except KeyError:
        return f"kommune {code}"


def mime_message(
    rendered: RenderedEmail, *, sender: str, recipient: str, message_id: str
) -> MIMEMultipart:
    """A multipart/alternative message; the Message-ID is stable per delivery, so a mail
    server can recognise a resend after a timeout. Built with the compat32 MIME classes: the
    header registry of ``EmailMessage`` cost more than the SMTP exchange in a delivery run."""
    message = MIMEMultipart("alternative")
    message["Subject"] = Header(rendered.subject, "utf-8")
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    domain = sender.rpartition("@")[2].strip(">") or "forms-service"
    message["Message-ID"] = make_msgid(idstring=message_id, domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.attach(MIMEText(rendered.text, "plain", "utf-8"))
    message.attach(MIMEText(rendered.html, "html", "utf-8"))
    return message
