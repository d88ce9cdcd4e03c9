"""The pilot owner's page to end a pilot: the same ending as ``forms-service pilots end``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from forms_service.cases.models import Case, User
from tests.pilots.test_ending import PERIOD, V1, V2, _history


def test_the_owner_ends_a_pilot_on_its_page(
    app: Any, login: Any, db_session: Session, users: dict[str, User]
) -> None:
    registry = app.extensions["forms_service.registry"]
    pilot, ids = _history(db_session, users, registry, PERIOD)
    db_session.commit()

    others = app.test_client()
    login(others, "sp")  # may end pilots, but this one is not theirs
    assert others.get(f"/pilots/{pilot.id}/afslut").status_code == 403
    assert others.post(f"/pilots/{pilot.id}/afslut", data={"version": V1}).status_code == 403

    owner = app.test_client()
    login(owner, "editor")
    show = owner.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert f'href="/pilots/{pilot.id}/afslut"' in show
    page = owner.get(f"/pilots/{pilot.id}/afslut").get_data(as_text=True)
    assert f'<option value="{V1}" selected>{V1} (sammenligningsversion)</option>' in page
    # the pilot version itself is no choice
    assert f'<option value="{V2}"' not in page

    refused = owner.post(f"/pilots/{pilot.id}/afslut", data={"version": V2})
    assert refused.status_code == 422
    assert "vælg den version, de skal flyttes til" in refused.get_data(as_text=True)

    # choosing the version shows what the move would do; nothing moves yet
    preview = owner.post(f"/pilots/{pilot.id}/afslut", data={"version": V1})
    assert preview.status_code == 200
    shown = preview.get_data(as_text=True)
    assert "3 åbne sager er regnet igennem med version " + V1 in shown
    assert '<li data-count="losing_answers">2 sager mister svar' in shown
    assert 'name="action" value="confirm"' in shown and 'id="confirm-ending"' in shown
    db_session.expire_all()
    assert db_session.get(Case, ids["draft"]).form_version == V2  # type: ignore[union-attr]

    done = owner.post(f"/pilots/{pilot.id}/afslut", data={"version": V1, "action": "confirm"})
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert f"3 sager flyttet fra version {V2} til {V1}" in text
    assert "SP-END-DRAFT</a>:\n    7 svar ikke ført over" in text
    db_session.expire_all()
    assert db_session.get(Case, ids["draft"]).form_version == V1  # type: ignore[union-attr]
    assert db_session.get(Case, ids["submitted"]).form_version == V2  # type: ignore[union-attr]
