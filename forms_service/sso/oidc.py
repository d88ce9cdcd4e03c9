"""OpenID Connect relying party: authorization code flow with PKCE, through Authlib.

``begin`` gives the provider's authorization URL and the values to keep in the browser's
session (state, nonce, PKCE verifier); ``finish`` exchanges the code and returns the checked
ID token's claims. The ID token must be signed by a key in the provider's JWKS and carry the
configured issuer, this client as audience, an unexpired ``exp`` and the nonce sent.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from forms_service.sso.config import OidcSettings
from forms_service.sso.errors import UntrustedAnswer

HTTP_TIMEOUT = 10
DISCOVERY_TTL = 3600.0


class OidcError(UntrustedAnswer):
    """An OpenID Connect answer failed a check."""


@dataclass(frozen=True, slots=True)
class Pending:
    """What the browser's session keeps between the redirect and the callback."""

    state: str
    nonce: str
    code_verifier: str

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "code_verifier": self.code_verifier}


@dataclass(frozen=True, slots=True)
class SignedIn:
    claims: dict[str, Any]
    id_token: str  # kept for RP-initiated logout (id_token_hint)


class Discovery:
    """The provider's ``/.well-known/openid-configuration`` and JWKS, cached for an hour."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._metadata: dict[str, tuple[float, dict[str, Any]]] = {}
        self._jwks: dict[str, dict[str, Any]] = {}

    def metadata(self, issuer: str) -> dict[str, Any]:
        with self._lock:
            cached = self._metadata.get(issuer)
            if cached and time.monotonic() - cached[0] < DISCOVERY_TTL:
                return cached[1]
        data = _get_json(f"{issuer}/.well-known/openid-configuration")
        if data.get("issuer", "").rstrip("/") != issuer:
            # OIDC Discovery § 4.3: the document must name the issuer it was fetched for.
            raise OidcError("discovery_issuer_mismatch", str(data.get("issuer")))
        with self._lock:
            self._metadata[issuer] = (time.monotonic(), data)
            self._jwks.pop(issuer, None)
        return data

    def key_set(self, issuer: str, *, refresh: bool = False) -> KeySet:
        with self._lock:
            jwks = None if refresh else self._jwks.get(issuer)
        if jwks is None:
            jwks = _get_json(self.metadata(issuer)["jwks_uri"])
            with self._lock:
                self._jwks[issuer] = jwks
        return KeySet.import_key_set(jwks)


def begin(settings: OidcSettings, discovery: Discovery, redirect_uri: str) -> tuple[str, Pending]:
    pending = Pending(
        state=generate_token(32), nonce=generate_token(32), code_verifier=generate_token(64)
    )
    client = _client(settings, redirect_uri)
    url, _ = client.create_authorization_url(
        discovery.metadata(settings.issuer)["authorization_endpoint"],
        state=pending.state,
        nonce=pending.nonce,
        code_verifier=pending.code_verifier,
    )
    return url, pending


def finish(
    settings: OidcSettings,
    discovery: Discovery,
    redirect_uri: str,
    pending: Pending,
    params: dict[str, str],
) -> SignedIn:
    """Check the callback's parameters, exchange the code, check the ID token."""
    if params.get("state") != pending.state:
        raise OidcError("state_mismatch")
    if "error" in params:
        raise OidcError("provider_error", params.get("error", ""))
    # RFC 9207: a provider that names itself must be the one we sent the browser to (mix-up).
    if "iss" in params and params["iss"].rstrip("/") != settings.issuer:
        raise OidcError("issuer_mismatch", params["iss"])
    if not params.get("code"):
        raise OidcError("no_code")
    client = _client(settings, redirect_uri)
    try:
        token = client.fetch_token(
            discovery.metadata(settings.issuer)["token_endpoint"],
            code=params["code"],
            code_verifier=pending.code_verifier,
            timeout=HTTP_TIMEOUT,
        )
    except Exception as exc:  # Authlib raises OAuthError, requests its own: both mean "no"
        raise OidcError("token_exchange_failed", str(exc)) from exc
    id_token = token.get("id_token")
    if not id_token:
        raise OidcError("no_id_token")
    claims = check_id_token(
        settings, discovery, id_token, nonce=pending.nonce, access_token=token.get("access_token")
    )
    return SignedIn(claims=claims, id_token=id_token)


def check_id_token(
    settings: OidcSettings,
    discovery: Discovery,
    id_token: str,
    *,
    nonce: str,
    access_token: str | None = None,
) -> dict[str, Any]:
    """The ID token's claims if its signature, issuer, audience, expiry and nonce hold."""
    metadata = discovery.metadata(settings.issuer)
    # Only asymmetric algorithms the provider announces; never "none".
    algorithms = [
        a
        for a in metadata.get("id_token_signing_alg_values_supported", ["RS256"])
        if a != "none" and not a.startswith("HS")
    ]
    registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)
    try:
        try:
            decoded = jwt.decode(id_token, discovery.key_set(settings.issuer), registry=registry)
        except JoseError:
            # The provider may have rotated its keys since we fetched them.
            keys = discovery.key_set(settings.issuer, refresh=True)
            decoded = jwt.decode(id_token, keys, registry=registry)
        params: dict[str, Any] = {"nonce": nonce, "client_id": settings.client_id}
        if access_token:
            params["access_token"] = access_token
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": metadata["issuer"]},
                "aud": {"essential": True, "value": settings.client_id},
                "exp": {"essential": True},
                "nonce": {"essential": True, "value": nonce},
            },
            params,
        )
        claims.validate(leeway=settings.leeway_seconds)
    except (JoseError, ValueError) as exc:
        raise OidcError("id_token_invalid", str(exc)) from exc
    return dict(claims)


def logout_url(
    settings: OidcSettings, discovery: Discovery, id_token: str | None, post_logout_uri: str
) -> str | None:
    """RP-initiated logout at the provider, if it announces an end-session endpoint."""
    try:
        endpoint = discovery.metadata(settings.issuer).get("end_session_endpoint")
    except (OidcError, requests.RequestException):
        return None
    if not endpoint:
        return None
    params = {"post_logout_redirect_uri": post_logout_uri, "client_id": settings.client_id}
    if id_token:
        params["id_token_hint"] = id_token
    return str(requests.Request("GET", endpoint, params=params).prepare().url)


def _client(settings: OidcSettings, redirect_uri: str | None) -> OAuth2Session:
    return OAuth2Session(
        settings.client_id,
        settings.client_secret,
        scope=" ".join(settings.scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name
    )


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError("provider_unreachable", f"{url}: {exc}") from exc
    if not isinstance(data, dict):
        raise OidcError("provider_unreachable", f"{url}: not a JSON object")
    return data
