"""Sign-in through an identity provider, ending in the same ``login_actor`` as a password."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_session

from forms_service.http.auth import login_actor, safe_next
from forms_service.http.db import db_session
from forms_service.http.decorators import csrf_exempt, public
from forms_service.sso import oidc, saml
from forms_service.sso.accounts import ExternalLogin, LoginRefused, refuse, sign_in
from forms_service.sso.config import Provider
from forms_service.sso.oiosaml import with_privileges
from forms_service.web.sso import sso_config

bp = Blueprint("sso", __name__, url_prefix="/sso")

# An ID token with many groups (Entra ID sends up to 200) would overflow a cookie session; a
# larger one is not kept, and logout names the client instead of hinting with the token.
MAX_KEPT_ID_TOKEN = 1200
PENDING_KEY = "sso_pending"  # state, nonce and PKCE verifier between redirect and callback
SESSION_KEY = "sso"  # which provider vouched for this session, for logout there


@bp.route("/<name>/login")
@public
def start(name: str) -> Any:
    provider = _provider(name)
    next_url = safe_next(request.args.get("next"))
    try:
        if provider.oidc is not None:
            url, pending = oidc.begin(provider.oidc, _discovery(), _oidc_callback(provider))
            browser_session[PENDING_KEY] = {"provider": name, "next": next_url} | pending.as_dict()
            return redirect(url)
        url, request_id = saml.begin(db_session(), provider, endpoints(provider), next_url)
        response = redirect(url)
        _bind_saml_request(response, provider, request_id)
        return response
    except oidc.OidcError as exc:
        current_app.logger.warning("Identity provider %s unreachable: %s", name, exc)
        return _refused_page(provider, "provider_unreachable", 502)


@bp.route("/oidc/<name>/callback")
@public
def oidc_callback(name: str) -> Any:
    provider = _provider(name, "oidc")
    assert provider.oidc is not None
    pending = browser_session.pop(PENDING_KEY, None)
    try:
        if not pending or pending.get("provider") != name:
            refuse(db_session(), provider, None, "no_pending_login")
        try:
            signed = oidc.finish(
                provider.oidc,
                _discovery(),
                _oidc_callback(provider),
                oidc.Pending(pending["state"], pending["nonce"], pending["code_verifier"]),
                request.args.to_dict(),
            )
        except oidc.OidcError as exc:
            current_app.logger.warning("OIDC sign-in at %s refused: %s", name, exc)
            refuse(db_session(), provider, None, exc.reason)
        actor = sign_in(
            db_session(),
            provider,
            ExternalLogin(subject=str(signed.claims["sub"]), claims=signed.claims),
        )
    except LoginRefused as exc:
        return _refused_page(provider, exc.reason)
    kept = signed.id_token if len(signed.id_token) <= MAX_KEPT_ID_TOKEN else None
    _start_session(actor, {"provider": name, "id_token": kept})
    return redirect(pending.get("next") or url_for("auth.home"))


@bp.route("/saml/<name>/acs", methods=["POST"])
@public
@csrf_exempt  # the IdP posts cross-site; the signed answer to our own request is the check
def saml_acs(name: str) -> Any:
    provider = _provider(name, "saml")
    session = db_session()
    try:
        try:
            answer = saml.finish(
                session,
                provider,
                endpoints(provider),
                request.form.get("SAMLResponse", ""),
                request.cookies.get(_saml_cookie(provider)),
            )
        except saml.SamlError as exc:
            current_app.logger.warning("SAML sign-in at %s refused: %s", name, exc)
            refuse(session, provider, None, exc.reason)
        claims: dict[str, Any] = {"name_id": answer.name_id, **with_privileges(answer.attributes)}
        actor = sign_in(session, provider, ExternalLogin(subject=answer.name_id, claims=claims))
    except LoginRefused as exc:
        return _refused_page(provider, exc.reason)
    _start_session(
        actor, {"provider": name, "name_id": answer.name_id, "session_index": answer.session_index}
    )
    response = redirect(answer.next_url or url_for("auth.home"), code=303)
    response.delete_cookie(_saml_cookie(provider), path=url_for("sso.saml_acs", name=name))
    return response


@bp.route("/saml/<name>/metadata")
@public
def saml_metadata(name: str) -> Any:
    provider = _provider(name, "saml")
    assert provider.saml is not None
    xml = saml.metadata_xml(provider.saml, endpoints(provider))
    return Response(xml, mimetype="application/samlmetadata+xml")


@bp.route("/saml/<name>/logged-out")
@public
def saml_logged_out(name: str) -> Any:
    """Where the IdP sends the browser after single logout: the local session is already gone."""
    _provider(name, "saml")
    return redirect(url_for("auth.login"))


def provider_logout_url() -> str | None:
    """The provider's logout URL for the current session (call before the session ends)."""
    data = browser_session.pop(SESSION_KEY, None)
    if not data:
        return None
    provider = sso_config().provider(data.get("provider", ""))
    if provider is None:
        return None
    if provider.oidc is not None:
        return oidc.logout_url(
            provider.oidc, _discovery(), data.get("id_token"), _external("auth.login")
        )
    if data.get("name_id"):
        return saml.logout_url(
            provider, endpoints(provider), data["name_id"], data.get("session_index")
        )
    return None


def endpoints(provider: Provider) -> saml.Endpoints:
    return saml.Endpoints(
        metadata=_external("sso.saml_metadata", name=provider.name),
        acs=_external("sso.saml_acs", name=provider.name),
        slo=_external("sso.saml_logged_out", name=provider.name),
    )


def _start_session(actor: Any, data: dict[str, Any]) -> None:
    login_actor(actor, provider=str(data.get("provider", "sso"))[:32])
    browser_session[SESSION_KEY] = data


def _saml_cookie(provider: Provider) -> str:
    return f"forms_service_saml_{provider.name}"


def _bind_saml_request(response: Response, provider: Provider, request_id: str) -> None:
    """The request id in a cookie that only the ACS sees: the IdP's POST comes cross-site, so
    over https it is SameSite=None (and Secure); the session cookie (Lax) does not travel."""
    secure = request.is_secure
    response.set_cookie(
        _saml_cookie(provider),
        request_id,
        max_age=int(saml.REQUEST_LIFETIME.total_seconds()),
        path=url_for("sso.saml_acs", name=provider.name),
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )


def _provider(name: str, kind: str | None = None) -> Provider:
    provider = sso_config().provider(name)
    if provider is None or (kind is not None and provider.kind != kind):
        abort(404)
    return provider


def _discovery() -> oidc.Discovery:
    return current_app.extensions["forms_service.oidc_discovery"]  # type: ignore[no-any-return]


def _oidc_callback(provider: Provider) -> str:
    return _external("sso.oidc_callback", name=provider.name)


def _external(endpoint: str, **values: Any) -> str:
    """An absolute URL of this service; ``public_url`` when it runs behind a proxy."""
    public_url = sso_config().public_url
    if public_url:
        return public_url + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _refused_page(provider: Provider, reason: str, status: int = 403) -> Any:
    return render_template("sso/refused.html", provider=provider, reason=reason), status
