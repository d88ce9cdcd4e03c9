"""Users and roles for the administrator: the same checks as ``forms-service users`` (the
functions of ``forms_service.cases.users``), and each change written to the audit log.

``/admin/users``  GET the users and a form for a new one; POST ``action`` = create |
                  deactivate | password (the user named in the form, never in the URL)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from forms_service.cases import audit
from forms_service.cases.models import User
from forms_service.cases.permissions import MANAGE_USERS
from forms_service.cases.roles import ROLE_LABELS, Role
from forms_service.cases.users import (
    UserError,
    create_user,
    deactivate,
    set_password,
    user_by_username,
)
from forms_service.http.auth import current_actor
from forms_service.http.db import db_session
from forms_service.http.decorators import requires
from forms_service.seniorpension.municipalities import all_municipalities

bp = Blueprint("admin", __name__)


@bp.record_once
def _nav(state: Any) -> None:
    from forms_service.web.cases.panels import add_nav_item

    add_nav_item(state.app, "Brugere", "admin.users", MANAGE_USERS, order=80)


@bp.route("/admin/users", methods=["GET", "POST"])
@requires(MANAGE_USERS)
def users() -> Any:
    session = db_session()
    actor = current_actor()
    assert actor is not None
    error: str | None = None
    if request.method == "POST":
        action = request.form.get("action", "")
        username = (request.form.get("username") or "").strip()
        try:
            message = _apply(session, actor, action, username)
        except UserError as problem:
            session.rollback()
            error = str(problem)
        else:
            session.commit()
            flash(message, "success")
            return redirect(url_for("admin.users"))
    listed = session.scalars(select(User).order_by(User.username)).all()
    return render_template(
        "admin/users.html",
        users=listed,
        roles=ROLE_LABELS,
        municipalities=all_municipalities(),
        error=error,
        form=request.form if error else {},
    ), (422 if error else 200)


def _apply(session: Any, actor: Any, action: str, username: str) -> str:
    if action == "create":
        code = request.form.get("municipality") or None
        user = create_user(
            session,
            username,
            role=_role(request.form.get("role", "")),
            password=request.form.get("password", ""),
            display_name=(request.form.get("display_name") or "").strip() or None,
            municipality_code=int(code) if code and code.isdigit() else None,
        )
        audit.record(
            session,
            actor,
            "user.created",
            details={"username": user.username, "role": user.role, "municipality": code},
        )
        return f"Brugeren {user.username} ({ROLE_LABELS[Role(user.role)]}) er oprettet."
    user = user_by_username(session, username)
    if user is None:
        raise UserError(f"Brugeren '{username}' findes ikke.")
    if action == "deactivate":
        if user.id == actor.id:
            raise UserError("Du kan ikke deaktivere dig selv.")
        ended = deactivate(session, user)
        audit.record(session, actor, "user.deactivated", details={"username": user.username})
        return f"Brugeren {user.username} er deaktiveret; {ended} session(er) er afsluttet."
    if action == "password":
        ended = set_password(session, user, request.form.get("password", ""))
        audit.record(session, actor, "user.password_set", details={"username": user.username})
        return f"Adgangskoden til {user.username} er skiftet; {ended} session(er) er afsluttet."
    raise UserError("Ukendt handling.")


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise UserError("Vælg en rolle.") from None
