"""SAML 2.0 service provider through pysaml2.

Signed assertions are required (an unsigned one is refused even inside a signed response),
the audience must be this service, the assertion must be within its validity window (with
``accepted_time_diff`` seconds of clock slack), it must answer a request this service sent and
not yet saw answered, and its id must not have been used before (replay store).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from typing import Any

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.time_util import str_to_time
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from forms_service.cases.models import utcnow
from forms_service.sso.config import Provider, SamlSettings
from forms_service.sso.errors import UntrustedAnswer
from forms_service.sso.models import SamlAssertionSeen, SamlRequest

# An AuthnRequest not answered within this time is forgotten.
REQUEST_LIFETIME = dt.timedelta(minutes=15)


class SamlError(UntrustedAnswer):
    """A SAML answer failed a check."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    """This service's URLs for one provider (absolute; they go into the metadata)."""

    metadata: str
    acs: str
    slo: str


@dataclass(frozen=True, slots=True)
class SamlLogin:
    name_id: str
    session_index: str | None
    attributes: dict[str, list[str]]
    next_url: str | None


def sp_config(settings: SamlSettings, endpoints: Endpoints) -> SPConfig:
    signing = settings.sp_key_file is not None and settings.sp_cert_file is not None
    data: dict[str, Any] = {
        "entityid": settings.sp_entity_id or endpoints.metadata,
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(endpoints.acs, BINDING_HTTP_POST)],
                    "single_logout_service": [(endpoints.slo, BINDING_HTTP_REDIRECT)],
                },
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "authn_requests_signed": signing,
                "logout_requests_signed": signing,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            }
        },
        "metadata": {"inline": [settings.idp_metadata]},
        "accepted_time_diff": settings.accepted_time_diff,
        "allow_unknown_attributes": True,
        "xmlsec_binary": shutil.which("xmlsec1"),
    }
    if signing:
        data["key_file"] = settings.sp_key_file
        data["cert_file"] = settings.sp_cert_file
    config = SPConfig()
    config.load(data)
    return config


def metadata_xml(settings: SamlSettings, endpoints: Endpoints) -> str:
    return str(entity_descriptor(sp_config(settings, endpoints)))


def begin(
    session: Session, provider: Provider, endpoints: Endpoints, next_url: str | None
) -> tuple[str, str]:
    """(IdP URL to send the browser to (HTTP-Redirect binding), request id); the request is
    remembered, and the caller binds its id to the browser."""
    assert provider.saml is not None
    client = Saml2Client(sp_config(provider.saml, endpoints))
    request_id, info = client.prepare_for_authenticate(relay_state="")
    session.execute(delete(SamlRequest).where(SamlRequest.created_at < utcnow() - REQUEST_LIFETIME))
    session.add(SamlRequest(request_id=request_id, provider=provider.name, next_url=next_url))
    session.commit()
    return str(dict(info["headers"])["Location"]), request_id


def finish(
    session: Session,
    provider: Provider,
    endpoints: Endpoints,
    saml_response: str,
    request_id: str | None,
) -> SamlLogin:
    """Check an IdP's POSTed response to ``request_id``, the request this browser started (so
    a response obtained elsewhere cannot sign this browser in); the request and the assertion
    id are used up."""
    assert provider.saml is not None
    client = Saml2Client(sp_config(provider.saml, endpoints))
    since = utcnow() - REQUEST_LIFETIME
    outstanding = {
        row.request_id: row.next_url or ""
        for row in session.scalars(
            select(SamlRequest).where(
                SamlRequest.request_id == (request_id or ""),
                SamlRequest.provider == provider.name,
                SamlRequest.created_at >= since,
            )
        )
    }
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as exc:  # pysaml2 signals every failed check by an exception of its own
        raise SamlError(_reason(exc), str(exc)) from exc
    if response is None or response.assertion is None or response.name_id is None:
        raise SamlError("no_assertion")

    pending = session.get(SamlRequest, response.in_response_to)
    next_url = pending.next_url if pending is not None else None
    if pending is not None:
        session.delete(pending)
    _remember_assertion(session, provider.name, response.assertion)

    statements = response.assertion.authn_statement
    return SamlLogin(
        name_id=str(response.name_id.text),
        session_index=statements[0].session_index if statements else None,
        attributes={k: [str(v) for v in vs] for k, vs in response.get_identity().items()},
        next_url=next_url,
    )


def logout_url(
    provider: Provider, endpoints: Endpoints, name_id: str, session_index: str | None
) -> str | None:
    """A LogoutRequest to the IdP's single logout service, if it has one."""
    assert provider.saml is not None
    client = Saml2Client(sp_config(provider.saml, endpoints))
    idps = list(client.metadata.identity_providers())
    if not idps:
        return None
    try:
        destinations = client.metadata.single_logout_service(
            idps[0], BINDING_HTTP_REDIRECT, "idpsso"
        )
    except Exception:  # no such service in the metadata
        return None
    if not destinations:
        return None
    destination = destinations[0]["location"]
    sign = provider.saml.sp_key_file is not None
    _request_id, request = client.create_logout_request(
        destination,
        idps[0],
        name_id=NameID(text=name_id, format=NAMEID_FORMAT_PERSISTENT),
        session_indexes=[session_index] if session_index else None,
        sign=False,  # the redirect binding signs the query string instead
    )
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), destination, relay_state="", sign=sign
    )
    return str(dict(info["headers"])["Location"])


def _remember_assertion(session: Session, provider: str, assertion: Any) -> None:
    now = utcnow()
    session.execute(delete(SamlAssertionSeen).where(SamlAssertionSeen.expires_at < now))
    expires = now + REQUEST_LIFETIME
    if assertion.conditions is not None and assertion.conditions.not_on_or_after:
        stamp = str_to_time(assertion.conditions.not_on_or_after)
        expires = max(expires, dt.datetime(*stamp[:6], tzinfo=dt.UTC))
    session.add(SamlAssertionSeen(provider=provider, assertion_id=assertion.id, expires_at=expires))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise SamlError("assertion_replayed") from None


def _reason(exc: Exception) -> str:
    # pysaml2's class names are the clearest short reasons (SignatureError,
    # ResponseLifetimeExceed, UnsolicitedResponse, ...); a few checks raise a bare Exception.
    if type(exc) is not Exception:
        return type(exc).__name__
    if "AudienceRestrictions" in str(exc):
        return "audience_mismatch"
    return "invalid_response"
