"""The case list and case page: scope, masking, deadlines, history, Seniorpension's actions."""

from __future__ import annotations

import datetime as dt
import re

from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from forms_service.cases.models import AuditEntry, Case
from forms_service.web.cases.panels import add_case_panel


def _case(app, case_id: int) -> Case:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def test_municipal_caseworker_gets_404_for_other_municipality(
    app, client, login, case_factory
) -> None:  # type: ignore[no-untyped-def]
    own = case_factory(municipality_code=101, case_number="SP-KBH-1")
    other = case_factory(municipality_code=329, case_number="SP-RINGSTED-1")
    login(client, "kbh")

    listing = client.get("/cases/").get_data(as_text=True)
    assert "SP-KBH-1" in listing and "SP-RINGSTED-1" not in listing

    response = client.get(f"/cases/{other}")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "SP-RINGSTED-1" not in body and "Ringsted" not in body
    # the same answer as for a case that does not exist at all
    assert client.get("/cases/999999").status_code == 404
    assert client.get(f"/cases/{own}").status_code == 200


def test_case_page_shows_facts_masked_cpr_deadlines_and_audits_the_read(
    app, client, login, case_factory
) -> None:  # type: ignore[no-untyped-def]
    application = dt.date.today() - dt.timedelta(days=30)
    case_id = case_factory(case_number="SP-SIDE-1", cpr="0101601234", application_date=application)
    login(client, "kbh")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "SP-SIDE-1" in page
    assert "010160-****" in page
    assert "0101601234" not in page and "010160-1234" not in page
    assert "Kommunens frist" in page and "dage tilbage" in page
    assert "Sendt til kommunen" in page  # status history
    assert "Kommunen har endnu ikke gemt svar." in page
    assert "Handlinger" not in page  # the municipality has no explicit actions here

    with app.extensions["forms_service.sessions"]() as session:
        reads = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "case.read", AuditEntry.case_id == case_id
            )
        ).all()
    assert [r.actor for r in reads] == ["kbh"]


def test_list_filters(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    old = dt.date.today() - dt.timedelta(days=200)
    case_factory(case_number="SP-OLD", application_date=old)
    case_factory(case_number="SP-NEW")
    case_factory(case_number="SP-UNSENT", send=False)
    login(client, "sp")
    everything = client.get("/cases/").get_data(as_text=True)
    assert all(n in everything for n in ("SP-OLD", "SP-NEW", "SP-UNSENT"))
    overdue = client.get("/cases/?deadline=overdue").get_data(as_text=True)
    assert "SP-OLD" in overdue and "SP-NEW" not in overdue
    received = client.get("/cases/?status=received").get_data(as_text=True)
    assert "SP-UNSENT" in received and "SP-OLD" not in received
    searched = client.get("/cases/?search=SP-N").get_data(as_text=True)
    assert "SP-NEW" in searched and "SP-OLD" not in searched
    by_municipality = client.get("/cases/?municipality=329").get_data(as_text=True)
    assert "0 sager" in by_municipality


def test_list_leaves_out_decided_cases_by_default(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    from forms_service.cases.models import User
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of

    decided = case_factory(case_number="SP-DONE")
    case_factory(case_number="SP-OPEN")
    with app.extensions["forms_service.sessions"]() as session:
        sp = actor_of(session.scalar(select(User).where(User.username == "sp")))
        CaseService(session, sp, registry=app.extensions["forms_service.registry"]).transition(
            decided, "decided", outcome="withdrawn", reason="Trukket"
        )
    login(client, "sp")
    default = client.get("/cases/").get_data(as_text=True)
    assert "SP-OPEN" in default and "SP-DONE" not in default
    everything = client.get("/cases/?status=all").get_data(as_text=True)
    assert "SP-OPEN" in everything and "SP-DONE" in everything
    only_decided = client.get("/cases/?status=decided").get_data(as_text=True)
    assert "SP-OPEN" not in only_decided and "SP-DONE" in only_decided


def test_pagination(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    for _ in range(27):
        case_factory()
    login(client, "kbh")
    first = client.get("/cases/").get_data(as_text=True)
    assert "Side 1 af 2" in first and "27 sager" in first
    second = client.get("/cases/?page=2").get_data(as_text=True)
    assert "Side 2 af 2" in second
    assert len(re.findall(r'href="/cases/\d+"', second)) == 2
    assert len(re.findall(r'href="/cases/\d+"', first)) == 25


def test_seniorpension_actions(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(send=False)
    login(client, "sp")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Send til kommunen" in page

    revision = _case(app, case_id).revision
    response = client.post(
        f"/cases/{case_id}/transition",
        data={"to": "sent_to_municipality", "revision": revision},
    )
    assert response.status_code == 302
    assert _case(app, case_id).status == "sent_to_municipality"

    # an illegal action is refused with the reason, and nothing changes
    revision = _case(app, case_id).revision
    response = client.post(
        f"/cases/{case_id}/transition",
        data={"to": "sufficiently_informed", "revision": revision},
    )
    assert response.status_code == 409
    assert "kan ikke gå fra" in response.get_data(as_text=True)
    assert _case(app, case_id).status == "sent_to_municipality"

    # a stale form (an old revision) is refused
    response = client.post(
        f"/cases/{case_id}/transition",
        data={"to": "decided", "outcome": "withdrawn", "reason": "x", "revision": revision - 1},
        follow_redirects=True,
    )
    assert "Sagen er ændret" in response.get_data(as_text=True)
    assert _case(app, case_id).status == "sent_to_municipality"

    decision = {
        "to": "decided",
        "outcome": "withdrawn",
        "reason": "Borgeren trak ansøgningen",
        "revision": revision,
    }
    # a decision is final: without the confirmation it is refused, with the reason kept
    response = client.post(f"/cases/{case_id}/transition", data=decision)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#confirm"' in page and "Bekræft afgørelsen" in page
    assert "Borgeren trak ansøgningen</textarea>" in page
    assert _case(app, case_id).status == "sent_to_municipality"

    response = client.post(
        f"/cases/{case_id}/transition", data=decision | {"confirm": "y"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Trukket tilbage" in page and "Borgeren trak ansøgningen" in page
    case = _case(app, case_id)
    assert (case.status, case.decision_outcome) == ("decided", "withdrawn")


def test_municipality_cannot_post_actions(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    login(client, "kbh")
    response = client.post(
        f"/cases/{case_id}/transition",
        data={"to": "decided", "outcome": "withdrawn", "reason": "x", "revision": 1},
    )
    assert response.status_code == 403


def test_new_case_page(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "sp")
    response = client.post(
        "/cases/new",
        data={
            "case_number": "SP-NY-1",
            "cpr": "120362-4321",
            "citizen_name": "Ole Olsen",
            "application_date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
            "municipality": "766",
            "request_date": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "SP-NY-1" in page and "120362-****" in page and "Hedensted" in page

    response = client.post("/cases/new", data={"case_number": "SP-NY-2", "cpr": "nej"})
    assert response.status_code == 400
    assert "Angiv borgerens navn." in response.get_data(as_text=True)


def test_case_panel_slot(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    app.jinja_loader = ChoiceLoader(
        [
            DictLoader({"test/_panel.html": "<p>Panel for {{ case.case_number }}</p>"}),
            app.jinja_loader,
        ]
    )
    add_case_panel(app, "test/_panel.html")
    case_id = case_factory(case_number="SP-PANEL")
    login(client, "kbh")
    assert "<p>Panel for SP-PANEL</p>" in client.get(f"/cases/{case_id}").get_data(as_text=True)
