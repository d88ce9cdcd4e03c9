"""Sign-in through a real SAML 2.0 identity provider (pysaml2's IdP server, in process)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select

from forms_service.cases.models import AuditEntry
from forms_service.sso.models import ExternalIdentity, SamlAssertionSeen
from tests.sso.conftest import SAML_NAME, sso_settings
from tests.sso.saml_idp import SLO_URL, SamlIdentityProvider, write_key_pair

HERE = "http://localhost"
RINGSTED = {"groups": ["ringsted-sagsbehandlere"], "displayName": ["Rikke Ringsted"]}


@pytest.fixture
def saml_app(make_sso_app, saml_idp: SamlIdentityProvider):  # type: ignore[no-untyped-def]
    app = make_sso_app(sso_settings(None, saml_idp))
    # The IdP trusts the service from the metadata the service publishes at its stable URL.
    metadata = app.test_client().get(f"/sso/saml/{SAML_NAME}/metadata")
    assert metadata.status_code == 200
    saml_idp.trust(metadata.get_data(as_text=True))
    return app


def answer(
    client, idp: SamlIdentityProvider, name_id: str = "rikke-1234", **kwargs: Any
) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    start = client.get(f"/sso/{SAML_NAME}/login?next=/cases/")
    assert start.status_code == 302
    attributes = kwargs.pop("attributes", RINGSTED)
    return idp.answer(start.headers["Location"], name_id=name_id, attributes=attributes, **kwargs)


def post(client, acs: str, saml_response: str) -> Any:  # type: ignore[no-untyped-def]
    return client.post(acs.removeprefix(HERE), data={"SAMLResponse": saml_response})


def refusals(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login_refused"))
        return [row.details["reason"] for row in rows]


def test_metadata_names_the_acs_and_requires_signed_assertions(saml_app) -> None:  # type: ignore[no-untyped-def]
    response = saml_app.test_client().get(f"/sso/saml/{SAML_NAME}/metadata")
    assert response.mimetype == "application/samlmetadata+xml"
    xml = response.get_data(as_text=True)
    assert f'entityID="{HERE}/sso/saml/{SAML_NAME}/metadata"' in xml
    assert f'Location="{HERE}/sso/saml/{SAML_NAME}/acs"' in xml
    assert 'WantAssertionsSigned="true"' in xml


def test_caseworker_signs_in_and_sees_only_own_municipality(
    saml_app, saml_idp, case_factory
) -> None:  # type: ignore[no-untyped-def]
    own = case_factory(municipality_code=329, case_number="SP-RINGSTED-1")
    other = case_factory(municipality_code=101, case_number="SP-KBH-1")
    client = saml_app.test_client()

    acs, saml_response = answer(client, saml_idp)
    response = post(client, acs, saml_response)
    assert response.status_code == 303
    assert response.headers["Location"] == "/cases/"

    listing = client.get("/cases/").get_data(as_text=True)
    assert "SP-RINGSTED-1" in listing and "SP-KBH-1" not in listing
    assert client.get(f"/cases/{own}").status_code == 200
    assert client.get(f"/cases/{other}").status_code == 404
    with saml_app.extensions["forms_service.sessions"]() as session:
        link = session.scalars(select(ExternalIdentity)).one()
        assert (link.provider, link.subject) == (SAML_NAME, "rikke-1234")
        assert (link.user.role, link.user.municipality_code) == ("municipal_caseworker", 329)
        assert link.user.display_name == "Rikke Ringsted"


def test_changed_privilege_changes_role_at_next_login(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    post(client, *answer(client, saml_idp))
    client.post("/logout")
    acs, saml_response = answer(
        client, saml_idp, attributes={"groups": ["seniorpension-sagsbehandlere"]}
    )
    assert post(client, acs, saml_response).status_code == 303
    with saml_app.extensions["forms_service.sessions"]() as session:
        user = session.scalars(select(ExternalIdentity)).one().user
        assert (user.role, user.municipality_code) == ("seniorpension_caseworker", None)
        change = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "auth.role_changed")
        ).one()
        assert change.details["from_role"] == "municipal_caseworker"


def test_oiosaml_privilege_scoped_to_the_municipality_gives_the_role(
    make_sso_app, saml_idp, case_factory
) -> None:  # type: ignore[no-untyped-def]
    from tests.sso.test_oiosaml import LIST, SAGSBEHANDLER

    settings = sso_settings(None, saml_idp)
    settings["providers"][0]["roles"] = [
        {
            "claim": "privileges",
            "value": SAGSBEHANDLER,
            "role": "municipal_caseworker",
            "municipality": 329,
        }
    ]
    app = make_sso_app(settings)
    saml_idp.trust(app.test_client().get(f"/sso/saml/{SAML_NAME}/metadata").get_data(as_text=True))
    case_factory(municipality_code=329, case_number="SP-RINGSTED-9")
    client = app.test_client()
    attributes = {"https://data.gov.dk/model/core/eid/privilegesIntermediate": [LIST]}
    assert post(client, *answer(client, saml_idp, attributes=attributes)).status_code == 303
    assert "SP-RINGSTED-9" in client.get("/cases/").get_data(as_text=True)


def test_unsigned_assertion_is_refused(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    response = post(client, *answer(client, saml_idp, sign_assertion=False, sign_response=False))
    assert response.status_code == 403
    assert "Log ind blev afvist" in response.get_data(as_text=True)
    assert refusals(saml_app) == ["SignatureError"]
    assert client.get("/cases/").status_code == 302


def test_signed_response_around_an_unsigned_assertion_is_refused(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    response = post(client, *answer(client, saml_idp, sign_assertion=False, sign_response=True))
    assert response.status_code == 403
    assert refusals(saml_app) == ["SignatureError"]


def test_assertion_signed_by_another_key_is_refused(saml_app, saml_idp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "impostor").mkdir()
    impostor = SamlIdentityProvider(tmp_path / "impostor")  # same entity id, its own key
    impostor.trust(saml_idp.sp_metadata or "")
    client = saml_app.test_client()
    response = post(client, *answer(client, impostor))
    assert response.status_code == 403
    assert len(refusals(saml_app)) == 1


def test_expired_assertion_is_refused(make_sso_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    settings = sso_settings(None, saml_idp)
    settings["providers"][0]["accepted_time_diff"] = 0  # no clock slack, so a second is enough
    app = make_sso_app(settings)
    saml_idp.trust(app.test_client().get(f"/sso/saml/{SAML_NAME}/metadata").get_data(as_text=True))
    client = app.test_client()
    acs, saml_response = answer(client, saml_idp, lifetime={"seconds": 1})
    time.sleep(2.5)
    response = post(client, acs, saml_response)
    assert response.status_code == 403
    assert refusals(app) == ["ResponseLifetimeExceed"]


def test_assertion_for_another_service_is_refused(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    acs, saml_response = answer(client, saml_idp, audience="https://another-service.example/sp")
    assert post(client, acs, saml_response).status_code == 403
    assert refusals(saml_app) == ["audience_mismatch"]
    assert client.get("/cases/").status_code == 302


def test_replayed_assertion_is_refused(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    acs, saml_response = answer(client, saml_idp)
    assert post(client, acs, saml_response).status_code == 303
    with saml_app.extensions["forms_service.sessions"]() as session:
        assert len(session.scalars(select(SamlAssertionSeen)).all()) == 1

    attacker = saml_app.test_client()
    # The same response again, even with a fresh request outstanding, is refused.
    attacker.get(f"/sso/{SAML_NAME}/login")
    response = post(attacker, acs, saml_response)
    assert response.status_code == 403
    assert refusals(saml_app) == ["UnsolicitedResponse"]
    assert attacker.get("/cases/").status_code == 302


def test_response_posted_from_another_browser_is_refused(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    """Login CSRF: a response the attacker obtained for their own login, posted from the
    victim's browser, does not sign the victim in as the attacker."""
    attacker = saml_app.test_client()
    acs, saml_response = answer(attacker, saml_idp)
    victim = saml_app.test_client()
    assert post(victim, acs, saml_response).status_code == 403
    assert refusals(saml_app) == ["UnsolicitedResponse"]
    assert victim.get("/cases/").status_code == 302
    # The browser that asked still can.
    assert post(attacker, acs, saml_response).status_code == 303


def test_request_cookie_travels_cross_site_only_to_the_acs_over_https(saml_app) -> None:  # type: ignore[no-untyped-def]
    response = saml_app.test_client().get(f"/sso/{SAML_NAME}/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"forms_service_saml_{SAML_NAME}=")
    for part in ("Secure", "HttpOnly", "SameSite=None", f"Path=/sso/saml/{SAML_NAME}/acs"):
        assert part in cookie


def test_assertion_id_store_refuses_a_second_use(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    """The replay store on its own: an assertion id already seen is refused."""
    from forms_service.sso import saml
    from forms_service.sso.models import SamlAssertionSeen

    with saml_app.extensions["forms_service.sessions"]() as session:

        class Assertion:
            id = "_once"
            conditions = None

        saml._remember_assertion(session, SAML_NAME, Assertion())
        session.commit()
        with pytest.raises(saml.SamlError, match="assertion_replayed"):
            saml._remember_assertion(session, SAML_NAME, Assertion())
        assert session.get(SamlAssertionSeen, (SAML_NAME, "_once")) is not None


def test_user_without_mapped_privilege_gets_the_danish_page(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    response = post(client, *answer(client, saml_idp, attributes={"groups": ["kantine"]}))
    assert response.status_code == 403
    assert "Du har ikke adgang til sagsoplysningsskemaet" in response.get_data(as_text=True)
    assert refusals(saml_app) == ["no_role"]


def test_logout_sends_a_logout_request_to_the_idp(saml_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    client = saml_app.test_client()
    post(client, *answer(client, saml_idp))
    response = client.post("/logout")
    location = response.headers["Location"]
    assert location.startswith(SLO_URL)
    request = saml_idp.read_logout_request(location)
    assert request.name_id.text == "rikke-1234"
    assert request.session_index and request.session_index[0].text
    assert client.get("/cases/").status_code == 302


def test_acs_needs_no_csrf_token_but_other_posts_do(make_sso_app, saml_idp) -> None:  # type: ignore[no-untyped-def]
    app = make_sso_app(sso_settings(None, saml_idp), WTF_CSRF_ENABLED=True)
    client = app.test_client()
    # A garbage answer is refused by the SAML checks (403), not by CSRF (400).
    assert (
        client.post(f"/sso/saml/{SAML_NAME}/acs", data={"SAMLResponse": "bm9uc2Vuc2U="}).status_code
        == 403
    )
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 400


def test_signing_service_provider_publishes_its_certificate_and_signs_requests(
    make_sso_app, saml_idp, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sp").mkdir()
    key_file, cert_file = write_key_pair(tmp_path / "sp", "sp")
    settings = sso_settings(None, saml_idp)
    settings["providers"][0] |= {"sp_key_file": str(key_file), "sp_cert_file": str(cert_file)}
    app = make_sso_app(settings)
    client = app.test_client()
    metadata = client.get(f"/sso/saml/{SAML_NAME}/metadata").get_data(as_text=True)
    assert 'AuthnRequestsSigned="true"' in metadata
    certificate = "".join(cert_file.read_text().splitlines()[1:-1])
    assert certificate in metadata.replace("\n", "")
    saml_idp.trust(metadata)

    location = client.get(f"/sso/{SAML_NAME}/login").headers["Location"]
    assert "Signature=" in location and "SigAlg=" in location
    acs, saml_response = saml_idp.answer(location, name_id="rikke-1234", attributes=RINGSTED)
    assert post(client, acs, saml_response).status_code == 303
    assert client.post("/logout").headers["Location"].startswith(SLO_URL)
