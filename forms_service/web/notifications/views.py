"""Notification pages: the admin's mailboxes, webhook subscriptions and delivery log, and every
user's own e-mail address and opt-outs.

A new subscription's secret is shown in the response to the POST that created it, and never
again: it is not flashed, redirected with or rendered on any other page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from forms_service.cases.permissions import SIGNED_IN
from forms_service.http.auth import current_actor
from forms_service.http.db import db_session
from forms_service.http.decorators import requires
from forms_service.notifications import manage
from forms_service.notifications.delivery import DeliveryError, redeliver
from forms_service.notifications.kinds import EventType
from forms_service.notifications.permissions import MANAGE_NOTIFICATIONS, RECEIVE_EMAIL
from forms_service.seniorpension.municipalities import all_municipalities

bp = Blueprint("notifications", __name__)

DELIVERY_STATUSES = {
    "pending": "Venter",
    "sent": "Sendt",
    "failed": "Mislykket",
    "skipped": "Sprunget over",
}


@bp.record_once
def _nav(state: Any) -> None:
    from forms_service.web.cases.panels import add_nav_item

    add_nav_item(
        state.app, "Underretninger", "notifications.deliveries", MANAGE_NOTIFICATIONS, order=90
    )
    add_nav_item(state.app, "Mine e-mails", "notifications.preferences", RECEIVE_EMAIL, order=95)


def _common() -> dict[str, Any]:
    return {
        "event_types": list(EventType),
        "municipalities": all_municipalities(),
        "owner": manage.mailbox_owner,
        "statuses": DELIVERY_STATUSES,
    }


@bp.route("/admin/notifications/mailboxes", methods=["GET", "POST"])
@requires(MANAGE_NOTIFICATIONS)
def mailboxes() -> Any:
    session = db_session()
    error = None
    if request.method == "POST":
        try:
            manage.set_mailbox(
                session,
                request.form.get("municipality", ""),
                request.form.get("address", ""),
                by=current_actor().username,
            )
            flash("Postkassen er gemt.", "success")
            return redirect(url_for("notifications.mailboxes"))
        except manage.NotificationInputError as problem:
            error = str(problem)
    status = 422 if error else 200
    return (
        render_template(
            "notifications/mailboxes.html",
            rows=manage.mailboxes(session),
            error=error,
            form=request.form,
            **_common(),
        ),
        status,
    )


@bp.route("/admin/notifications/mailboxes/<int:code>/remove", methods=["POST"])
@requires(MANAGE_NOTIFICATIONS)
def mailbox_remove(code: int) -> Any:
    try:
        removed = manage.remove_mailbox(db_session(), code)
    except manage.NotificationInputError:
        abort(404)
    flash("Postkassen er fjernet." if removed else "Der var ingen postkasse.", "success")
    return redirect(url_for("notifications.mailboxes"))


@bp.route("/admin/notifications/webhooks", methods=["GET", "POST"])
@requires(MANAGE_NOTIFICATIONS)
def webhooks() -> Any:
    session = db_session()
    error = None
    created = None
    if request.method == "POST":
        try:
            created = manage.add_subscription(
                session,
                request.form.get("url", ""),
                request.form.getlist("event_types"),
                municipality_code=request.form.get("municipality") or None,
                description=request.form.get("description"),
                by=current_actor().username,
            )
        except manage.NotificationInputError as problem:
            error = str(problem)
    response = render_template(
        "notifications/webhooks.html",
        rows=manage.subscriptions(session),
        created=created,
        error=error,
        form=request.form if error else {},
        **_common(),
    )
    headers = {"Cache-Control": "no-store"}  # the page may hold a secret
    return response, (422 if error else 201 if created else 200), headers


@bp.route("/admin/notifications/webhooks/<int:subscription_id>/active", methods=["POST"])
@requires(MANAGE_NOTIFICATIONS)
def webhook_active(subscription_id: int) -> Any:
    active = request.form.get("active") == "1"
    try:
        manage.set_subscription_active(db_session(), subscription_id, active)
    except manage.NotificationInputError:
        abort(404)
    flash("Abonnementet er aktiveret." if active else "Abonnementet er deaktiveret.", "success")
    return redirect(url_for("notifications.webhooks"))


@bp.route("/admin/notifications/deliveries")
@requires(MANAGE_NOTIFICATIONS)
def deliveries() -> Any:
    status = request.args.get("status") or None
    if status is not None and status not in DELIVERY_STATUSES:
        abort(400)
    session = db_session()
    return render_template(
        "notifications/deliveries.html",
        rows=manage.delivery_log(session, status=status),
        status=status,
        disabled=[s for s in manage.subscriptions(session) if not s.active and s.disabled_reason],
        **_common(),
    )


@bp.route("/admin/notifications/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@requires(MANAGE_NOTIFICATIONS)
def delivery_redeliver(delivery_id: int) -> Any:
    try:
        redeliver(db_session(), delivery_id)
        flash(f"Levering {delivery_id} er sat i kø igen.", "success")
    except DeliveryError as error:
        flash(str(error), "error")
    return redirect(url_for("notifications.deliveries"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@requires(SIGNED_IN)
def preferences() -> Any:
    session = db_session()
    actor = current_actor()
    error = None
    if request.method == "POST":
        try:
            manage.set_preference(
                session,
                actor.id,
                request.form.get("email"),
                [k for k in (e.value for e in EventType) if request.form.get(k) != "on"],
            )
            flash("Dine valg er gemt.", "success")
            return redirect(url_for("notifications.preferences"))
        except manage.NotificationInputError as problem:
            error = str(problem)
    return (
        render_template(
            "notifications/preferences.html",
            preference=manage.preference_of(session, actor.id),
            error=error,
            **_common(),
        ),
        422 if error else 200,
    )
