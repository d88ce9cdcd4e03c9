"""The case page's data protection panel: legal hold and access log, Seniorpension only."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from forms_service.privacy.models import LegalHold


def test_seniorpension_sees_the_access_log_and_holds_the_case(
    app,
    client,
    login: Callable[..., object],
    case_factory: Callable[..., int],  # type: ignore[no-untyped-def]
) -> None:
    case_id = case_factory()
    login(client, "kbh")
    assert client.get(f"/cases/{case_id}").status_code == 200  # a read the log will show
    client.post("/logout")

    login(client, "sp")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Hvem har læst eller ændret sagen" in page
    assert "Test kbh (kbh)" in page and "Åbnede sagen" in page
    assert "Oprettede sagen" in page

    refused = client.post(f"/cases/{case_id}/hold", data={"reason": "x"}, follow_redirects=True)
    assert "mindst 5 tegn" in refused.get_data(as_text=True)
    held = client.post(
        f"/cases/{case_id}/hold",
        data={"reason": "Klage til Ankestyrelsen"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Tilbageholdt mod sletning" in held and "Klage til Ankestyrelsen" in held
    with app.extensions["forms_service.sessions"]() as session:
        holds = list(session.scalars(select(LegalHold).where(LegalHold.case_id == case_id)))
        assert [(h.reason, h.released_at) for h in holds] == [("Klage til Ankestyrelsen", None)]

    released = client.post(
        f"/cases/{case_id}/hold", data={"action": "release"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Tilbagehold sagen mod sletning" in released
    assert "Tilbageholdt mod sletning" in released  # now as a line of the access log
    with app.extensions["forms_service.sessions"]() as session:
        hold = session.scalars(select(LegalHold).where(LegalHold.case_id == case_id)).one()
        assert hold.released_at is not None and hold.released_by_name == "Test sp"


def test_municipality_neither_sees_nor_sets_a_hold(
    client,
    login: Callable[..., object],
    case_factory: Callable[..., int],  # type: ignore[no-untyped-def]
) -> None:
    case_id = case_factory()
    login(client, "kbh")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Hvem har læst eller ændret sagen" not in page
    assert "Tilbagehold sagen" not in page
    assert client.post(f"/cases/{case_id}/hold", data={"reason": "Klage"}).status_code == 403
