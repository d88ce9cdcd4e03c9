"""CLI: ``forms-service notifications …`` and ``forms-service webhooks …``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from forms_service.cases.env import ENV_DATABASE_URL
from forms_service.notifications.kinds import EventType

# The database and the notification tables load SQLAlchemy: imported where a command runs, so
# a command's --help stays fast (tests/test_cli.py).
if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

_db_option = click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)


def _sessions(database_url: str | None) -> sessionmaker[Session]:
    from forms_service.cases import db as cases_db

    engine = cases_db.make_engine(cases_db.database_url(database_url))
    cases_db.check_migrated(engine)
    sessions = cases_db.make_session_factory(engine)
    from forms_service.notifications.wiring import install_wakeup

    install_wakeup(sessions, os.environ.get("FORMS_SERVICE_REDIS_URL"))
    return sessions


@contextmanager
def _session(database_url: str | None) -> Iterator[Session]:
    from forms_service.notifications import manage

    with _sessions(database_url)() as session:
        try:
            yield session
        except manage.NotificationInputError as error:
            raise click.ClickException(str(error)) from None


def _by() -> str:
    return f"cli:{os.environ.get('USER', 'admin')}"


@click.group("notifications")
def notifications() -> None:
    """Hændelser, e-mails og fristpåmindelser."""


@notifications.command("run-due")
@_db_option
@click.option("--today", help="Dagens dato (ÅÅÅÅ-MM-DD); standard: i dag.")
def run_due_command(database_url: str | None, today: str | None) -> None:
    """Tilføj de fristhændelser, der er forfaldne (kan køres ofte og på flere maskiner)."""
    from forms_service.notifications import manage
    from forms_service.notifications.reminders import run_due

    with _session(database_url) as session:
        day = manage.parse_day(today) if today else dt.date.today()
        added = run_due(session, day)
    click.echo(f"{added} nye fristhændelser for {day.isoformat()}.")


@notifications.command("send")
@_db_option
def send_command(database_url: str | None) -> None:
    """Lever ventende hændelser én gang (e-mail og webhooks) og afslut."""
    from forms_service.notifications.delivery import send_pending
    from forms_service.notifications.settings import DeliverySettings

    try:
        settings = DeliverySettings.from_env()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    report = send_pending(_sessions(database_url), settings)
    click.echo(
        f"{report.dispatched} hændelser fordelt ({report.expired} for gamle til at sende); "
        f"{report.sent} sendt, {report.retrying} prøves igen senere, {report.failed} "
        f"mislykkedes, {report.skipped} sprunget over."
    )


@notifications.command("deliveries")
@_db_option
@click.option("--status", type=click.Choice(["pending", "sent", "failed", "skipped"]))
@click.option("--limit", default=50, show_default=True)
def deliveries_command(database_url: str | None, status: str | None, limit: int) -> None:
    """Leveringsloggen (nyeste først)."""
    from forms_service.notifications import manage

    with _session(database_url) as session:
        for d in manage.delivery_log(session, status=status, limit=limit):
            click.echo(
                f"{d.id}\t{d.status}\t{d.attempts}\t{d.channel}\t{d.recipient}\t"
                f"{d.event.type}\t{d.event.case_number}\t{d.last_error or ''}"
            )


@notifications.command("redeliver")
@_db_option
@click.argument("delivery_id", type=int)
def redeliver_command(database_url: str | None, delivery_id: int) -> None:
    """Sæt en levering i kø igen (leveres ved næste `notifications send` eller af workeren)."""
    _redeliver(database_url, delivery_id)


def _redeliver(database_url: str | None, delivery_id: int) -> None:
    from forms_service.notifications.delivery import DeliveryError, redeliver

    with _session(database_url) as session:
        try:
            redeliver(session, delivery_id)
        except DeliveryError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Levering {delivery_id} er sat i kø igen.")


@notifications.group("mailbox")
def mailbox() -> None:
    """Kommunernes funktionspostkasser (0 eller "seniorpension": Seniorpensions egen)."""


@mailbox.command("set")
@_db_option
@click.argument("municipality")
@click.argument("address")
def mailbox_set(database_url: str | None, municipality: str, address: str) -> None:
    from forms_service.notifications import manage

    with _session(database_url) as session:
        row = manage.set_mailbox(session, municipality, address, by=_by())
        click.echo(f"{manage.mailbox_owner(row.municipality_code)}: {row.address}")


@mailbox.command("remove")
@_db_option
@click.argument("municipality")
def mailbox_remove(database_url: str | None, municipality: str) -> None:
    from forms_service.notifications import manage

    with _session(database_url) as session:
        removed = manage.remove_mailbox(session, municipality)
    click.echo("Fjernet." if removed else "Der var ingen postkasse.")


@mailbox.command("list")
@_db_option
def mailbox_list(database_url: str | None) -> None:
    from forms_service.notifications import manage

    with _session(database_url) as session:
        for row in manage.mailboxes(session):
            click.echo(
                f"{row.municipality_code}\t{manage.mailbox_owner(row.municipality_code)}\t{row.address}"
            )


# --- webhooks -------------------------------------------------------------------------------


@click.group("webhooks")
def webhooks() -> None:
    """Webhook-abonnementer for kommunernes fagsystemer (Standard Webhooks-signeret)."""


@webhooks.command("add")
@_db_option
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    required=True,
    type=click.Choice([e.value for e in EventType]),
    help="Hændelsestype (kan gentages).",
)
@click.option("--municipality", help="Kun hændelser for denne kommune (kommunekode).")
@click.option("--description", help="Hvem abonnementet er til.")
def webhooks_add(
    database_url: str | None,
    url: str,
    events: tuple[str, ...],
    municipality: str | None,
    description: str | None,
) -> None:
    """Opret et abonnement; hemmeligheden vises kun denne ene gang."""
    from forms_service.notifications import manage

    with _session(database_url) as session:
        created = manage.add_subscription(
            session,
            url,
            events,
            municipality_code=municipality,
            description=description,
            by=_by(),
        )
    click.echo(f"Abonnement {created.subscription.id} oprettet.")
    click.echo(f"Hemmelighed (vises kun nu): {created.secret}")


@webhooks.command("list")
@_db_option
def webhooks_list(database_url: str | None) -> None:
    from forms_service.notifications import manage

    with _session(database_url) as session:
        for s in manage.subscriptions(session):
            scope = str(s.municipality_code) if s.municipality_code else "alle"
            state = "aktiv" if s.active else f"deaktiveret ({s.disabled_reason})"
            click.echo(f"{s.id}\t{s.url}\t{','.join(s.event_types)}\t{scope}\t{state}")


def _set_active(active: bool) -> Callable[..., Any]:
    def command(database_url: str | None, subscription_id: int) -> None:
        from forms_service.notifications import manage

        with _session(database_url) as session:
            manage.set_subscription_active(session, subscription_id, active)
        click.echo(f"Abonnement {subscription_id} er {'aktiveret' if active else 'deaktiveret'}.")

    return command


webhooks.command("disable", help="Deaktivér et abonnement.")(
    _db_option(click.argument("subscription_id", type=int)(_set_active(False)))
)
webhooks.command("enable", help="Aktivér et abonnement igen.")(
    _db_option(click.argument("subscription_id", type=int)(_set_active(True)))
)


@webhooks.command("redeliver")
@_db_option
@click.argument("delivery_id", type=int)
def webhooks_redeliver(database_url: str | None, delivery_id: int) -> None:
    """Lever en webhook igen (samme webhook-id, ny signatur)."""
    _redeliver(database_url, delivery_id)
