"""Login, logout, the start page and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import text
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from forms_service.cases import audit
from forms_service.cases.permissions import READ_CASES, SIGNED_IN
from forms_service.cases.roles import Actor, Role
from forms_service.http import sessions
from forms_service.http.auth import current_actor, login_actor, safe_next
from forms_service.http.db import db_session
from forms_service.http.decorators import public, requires
from forms_service.http.identity import identity_provider
from forms_service.http.ratelimit import blocked_message
from forms_service.sso.accounts import record_login, record_refused_password
from forms_service.sso.config import LocalLogin
from forms_service.web.sso import sso_config

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(
        "Brugernavn", validators=[DataRequired("Angiv dit brugernavn."), Length(max=64)]
    )
    password = PasswordField(
        "Adgangskode", validators=[DataRequired("Angiv din adgangskode."), Length(max=200)]
    )


class LogoutForm(FlaskForm):
    pass


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    if current_actor() is not None:
        return redirect(url_for("auth.home"))
    form = LoginForm()
    status = 200
    if request.method == "POST" and not _password_login_shown():
        return _login_page(form), 403
    if form.validate_on_submit():
        session = db_session()
        accounts = current_app.extensions["forms_service.account_throttle"]
        addresses = current_app.extensions["forms_service.address_throttle"]
        username = form.username.data or ""
        ip = request.remote_addr or "unknown"
        wait = max(addresses.wait(ip), accounts.wait(session, username))
        if wait:
            flash(blocked_message(wait), "error")
            return _login_page(form), 429, {"Retry-After": str(wait)}
        actor = identity_provider().authenticate(session, username, form.password.data or "")
        accounts.record(session, username, ip, success=actor is not None)
        if actor is not None:
            login_actor(actor)
            if actor.id is not None:
                record_login(session, actor.id)
            audit.record(session, actor, "auth.login", details={"method": "password"})
            session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("auth.home"))
        record_refused_password(session, username)
        addresses.failed(ip)
        flash("Forkert brugernavn eller adgangskode.", "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return _login_page(form), status


def _password_login_shown() -> bool:
    return sso_config().local_login is not LocalLogin.OFF


def _login_page(form: LoginForm) -> str:
    return render_template(
        "auth/login.html",
        form=form,
        providers=sso_config().providers,
        password_login=_password_login_shown(),
        next_url=safe_next(request.args.get("next")),
    )


@bp.route("/logout", methods=["POST"])
@requires(SIGNED_IN)
def logout() -> Any:
    actor = current_actor()
    if actor is not None:
        session = db_session()
        audit.record(session, actor, "auth.logout")
        session.commit()
    from forms_service.web.sso.views import provider_logout_url

    # Ends the provider's session too (RP-initiated logout / SAML single logout) where it can;
    # asked before our session ends, as it reads the provider's data from it.
    provider_url = provider_logout_url()
    sessions.finish("logout")
    flash("Du er logget ud.", "success")
    return redirect(provider_url or url_for("auth.login"))


@bp.route("/")
@requires(SIGNED_IN)
def home() -> Any:
    actor: Actor | None = current_actor()
    if READ_CASES.allows(actor):
        return redirect(url_for("cases.case_list"))
    if actor is not None and actor.role is Role.COMMUNICATIONS:
        # the brochure's drafts are the communications staff's whole work here
        return redirect(url_for("brochures.index"))
    return render_template("home.html")


@bp.route("/health")
@public
def health() -> Any:
    db_session().execute(text("SELECT 1"))
    return {"status": "ok"}
