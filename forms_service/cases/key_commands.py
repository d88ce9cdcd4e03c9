"""CLI: ``forms-service keys …``: new keys, the state of the ring, rotation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from forms_service.cases import crypto
from forms_service.cases.env import ENV_DATABASE_URL

# The database, the key ring's table and the rotation load SQLAlchemy: imported where a
# command runs, so a command's --help stays fast (tests/test_cli.py).
if TYPE_CHECKING:
    from sqlalchemy import Engine

# rotation.BATCH, written out so --help need not import the rotation (a test holds them equal)
ROTATION_BATCH = 200

_db_option = click.option(
    "--database-url",
    envvar=ENV_DATABASE_URL,
    help="SQLAlchemy-URL (standard: FORMS_SERVICE_DATABASE_URL eller SQLite i instance/).",
)


def _checked_engine(database_url: str | None) -> tuple[Engine, crypto.KeyRing]:
    from forms_service.cases import db as cases_db
    from forms_service.cases import keys

    url = cases_db.database_url(database_url)
    try:
        key_ring = keys.load_ring(instance=cases_db.instance_path(), database_url=url)
        crypto.configure(key_ring)
        engine = cases_db.make_engine(url)
        cases_db.check_migrated(engine)
        keys.verify(engine, key_ring)
    except (crypto.EncryptionError, cases_db.DatabaseNotMigratedError) as error:
        raise click.ClickException(str(error)) from None
    return engine, key_ring


@click.group("keys")
def keys_group() -> None:
    """Krypteringsnøgler for personoplysninger (FORMS_SERVICE_ENCRYPTION_KEYS)."""


@keys_group.command("new")
@click.option("--id", "key_id", default="k1", show_default=True, help="Nøglens id i ringen.")
def keys_new(key_id: str) -> None:
    """Skriv en ny tilfældig 256-bit nøgle som '<id>:<base64>'."""
    if not crypto.KEY_ID.match(key_id):
        raise click.BadParameter("id: bogstaver, tal, '-' og '_' (højst 32).", param_hint="--id")
    click.echo(f"{key_id}:{crypto.new_key()}")


@keys_group.command("status")
@_db_option
def keys_status(database_url: str | None) -> None:
    """Vis ringens nøgler og de nøgler, databasen har data under."""
    from sqlalchemy import select

    from forms_service.cases.models import EncryptionKey

    engine, key_ring = _checked_engine(database_url)
    with engine.connect() as connection:
        table = EncryptionKey.__table__
        rows = connection.execute(select(table).order_by(table.c.added_at)).all()
    click.echo(f"nuværende nøgle: {key_ring.current_id}; i ringen: {', '.join(key_ring.ids)}")
    for row in rows:
        state = "udfaset" if row.retired_at else "i brug"
        click.echo(f"  {row.key_id} ({row.purpose}): {state}")
    engine.dispose()


@keys_group.command("rotate")
@_db_option
@click.option("--batch-size", default=ROTATION_BATCH, show_default=True, type=click.IntRange(1))
@click.option(
    "--pause",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Sekunder mellem to portioner (skåner en database i drift).",
)
@click.option(
    "--max-batches",
    type=click.IntRange(1),
    help="Stop efter så mange portioner (fortsæt med en ny kørsel).",
)
def keys_rotate(
    database_url: str | None, batch_size: int, pause: float, max_batches: int | None
) -> None:
    """Genkryptér alt under ringens nuværende nøgle, i portioner, mens tjenesten kører.

    Kan afbrydes og køres igen: hver værdi bærer id'et på sin nøgle, så det, der allerede er
    under den nuværende nøgle, springes over. En gammel nøgle, der intet har tilbage, markeres
    som udfaset og kan derefter fjernes fra FORMS_SERVICE_ENCRYPTION_KEYS."""
    from forms_service.cases import rotation

    engine, key_ring = _checked_engine(database_url)
    report = rotation.rotate(
        engine,
        key_ring=key_ring,
        batch_size=batch_size,
        pause=pause,
        max_batches=max_batches,
        progress=lambda table: click.echo(table.line(key_ring.current_id)),
    )
    for line in report.elsewhere:
        click.echo(line)
    click.echo(f"{report.rotated} værdier genkrypteret under '{report.current}'.")
    if not report.complete:
        click.echo("Stoppet efter --max-batches: kør kommandoen igen for at fortsætte.")
    for key_id in report.retired:
        click.echo(f"Nøglen '{key_id}' er udfaset: den kan fjernes fra ringen.")
    engine.dispose()
