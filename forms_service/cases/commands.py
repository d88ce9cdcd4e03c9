"""CLI: ``forms-service db …``, and ``forms-service users …``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from forms_service.cases.env import ENV_DATABASE_URL
from forms_service.cases.roles import ROLE_LABELS, Role

if TYPE_CHECKING:  # SQLAlchemy and the models load when a command runs, not for --help
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from forms_service.cases.models import User


def _engine(database_url: str | None) -> Engine:
    from forms_service.cases import db as cases_db

    return cases_db.make_engine(cases_db.database_url(database_url))


_db_option = click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)


@click.group("db")
def db() -> None:
    """Databasen: skemamigrering med Alembic."""


@db.command("upgrade")
@_db_option
@click.option("--revision", default="head", show_default=True)
def db_upgrade(database_url: str | None, revision: str) -> None:
    """Skemamigrering: migrér databasen til nyeste (eller angivne) revision."""
    from forms_service.cases import crypto, keys
    from forms_service.cases import db as cases_db

    engine = _engine(database_url)
    try:
        # the migrations encrypt (0012) and decrypt (its downgrade) with these keys
        crypto.configure(
            keys.load_ring(instance=cases_db.instance_path(), database_url=str(engine.url))
        )
        cases_db.upgrade(engine, revision)
    except crypto.EncryptionError as error:
        raise click.ClickException(str(error)) from None
    where = engine.url.render_as_string(hide_password=True)
    click.echo(f"Databasen {where} er på revision {cases_db.current_revision(engine)}.")


@db.command("current")
@_db_option
def db_current(database_url: str | None) -> None:
    """Vis databasens revision og kodens nyeste."""
    from forms_service.cases import db as cases_db

    engine = _engine(database_url)
    click.echo(f"database: {cases_db.current_revision(engine) or '(ingen)'}")
    click.echo(f"kode:     {cases_db.head_revision()}")


@db.command("downgrade")
@_db_option
@click.argument("revision")
def db_downgrade(database_url: str | None, revision: str) -> None:
    """Skemamigrering tilbage til REVISION (fx "base")."""
    from forms_service.cases import crypto, keys
    from forms_service.cases import db as cases_db

    engine = _engine(database_url)
    try:
        crypto.configure(
            keys.load_ring(instance=cases_db.instance_path(), database_url=str(engine.url))
        )
        cases_db.downgrade(engine, revision)
    except crypto.EncryptionError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Databasen er migreret tilbage til {revision}.")


def _checked_sessions(database_url: str | None) -> sessionmaker[Session]:
    from forms_service.cases import db as cases_db

    engine = _engine(database_url)
    try:
        cases_db.check_migrated(engine)
    except cases_db.DatabaseNotMigratedError as error:
        raise click.ClickException(str(error)) from None
    return cases_db.make_session_factory(engine)


@click.group("users")
def users() -> None:
    """Brugere og API-nøgler."""


@users.command("create")
@_db_option
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="; ".join(f"{r.value}: {label}" for r, label in ROLE_LABELS.items()),
)
@click.option("--municipality", type=int, help="Kommunekode (kommunale sagsbehandlere).")
@click.option("--name", "display_name", help="Visningsnavn.")
@click.option(
    "--password",
    prompt="Adgangskode",
    hide_input=True,
    confirmation_prompt=True,
    help="Spørges der om, hvis den ikke gives.",
)
def users_create(
    database_url: str | None,
    username: str,
    role: str,
    municipality: int | None,
    display_name: str | None,
    password: str,
) -> None:
    """Opret brugeren USERNAME."""
    from forms_service.cases import db as cases_db
    from forms_service.cases.users import UserError, create_user

    with cases_db.session_scope(_checked_sessions(database_url)) as session:
        try:
            user = create_user(
                session,
                username,
                role=role,
                password=password,
                display_name=display_name,
                municipality_code=municipality,
            )
        except UserError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Brugeren {user.username} ({ROLE_LABELS[Role(role)]}) er oprettet.")


@users.command("token")
@_db_option
@click.argument("username")
@click.option("--name", help="Hvad nøglen bruges til.")
def users_token(database_url: str | None, username: str, name: str | None) -> None:
    """Lav en ny API-nøgle til USERNAME og skriv den ud (den gemmes kun som hash)."""
    from forms_service.cases import db as cases_db
    from forms_service.cases.users import create_api_token, user_by_username

    with cases_db.session_scope(_checked_sessions(database_url)) as session:
        user = user_by_username(session, username)
        if user is None:
            raise click.ClickException(f"Brugeren '{username}' findes ikke.")
        click.echo(create_api_token(session, user, name=name))


@users.command("password")
@_db_option
@click.argument("username")
@click.option(
    "--password",
    prompt="Ny adgangskode",
    hide_input=True,
    confirmation_prompt=True,
    help="Spørges der om, hvis den ikke gives.",
)
def users_password(database_url: str | None, username: str, password: str) -> None:
    """Ny adgangskode til USERNAME; brugerens åbne sessioner afsluttes."""
    from forms_service.cases import db as cases_db
    from forms_service.cases.users import UserError, set_password

    with cases_db.session_scope(_checked_sessions(database_url)) as session:
        user = _existing_user(session, username)
        try:
            ended = set_password(session, user, password)
        except UserError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Adgangskoden er skiftet; {ended} session(er) er afsluttet.")


@users.command("deactivate")
@_db_option
@click.argument("username")
def users_deactivate(database_url: str | None, username: str) -> None:
    """Deaktivér USERNAME: kan ikke logge ind, åbne sessioner afsluttes."""
    from forms_service.cases import db as cases_db
    from forms_service.cases.users import deactivate

    with cases_db.session_scope(_checked_sessions(database_url)) as session:
        ended = deactivate(session, _existing_user(session, username))
        click.echo(f"Brugeren {username} er deaktiveret; {ended} session(er) er afsluttet.")


def _existing_user(session: Session, username: str) -> User:
    from forms_service.cases.users import user_by_username

    user = user_by_username(session, username)
    if user is None:
        raise click.ClickException(f"Brugeren '{username}' findes ikke.")
    return user


@users.command("list")
@_db_option
def users_list(database_url: str | None) -> None:
    """Vis brugerne."""
    from sqlalchemy import select

    from forms_service.cases import db as cases_db
    from forms_service.cases.models import User

    with cases_db.session_scope(_checked_sessions(database_url)) as session:
        for user in session.scalars(select(User).order_by(User.username)):
            place = f" {user.municipality_code}" if user.municipality_code else ""
            state = "" if user.active else " (deaktiveret)"
            click.echo(f"{user.username:<20} {user.role}{place}{state}")
