"""CLI: ``forms-service sso …``: the configured providers and accounts no one has used."""

from __future__ import annotations

import click

from forms_service.cases.commands import _checked_sessions, _db_option
from forms_service.sso.config import SsoConfigError, load_config

# the accounts load SQLAlchemy: imported where ``unseen`` runs, so --help stays fast


@click.group("sso")
def sso() -> None:
    """Log ind gennem organisationens identitetsudbyder (OpenID Connect og SAML)."""


@sso.command("check")
@click.argument("config_file", envvar="FORMS_SERVICE_SSO_CONFIG", type=click.Path())
def sso_check(config_file: str) -> None:
    """Kontrollér konfigurationsfilen og vis udbydere og rolleregler."""
    try:
        config = load_config(config_file)
    except SsoConfigError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Lokale adgangskoder: {config.local_login.value}")
    for provider in config.providers:
        click.echo(f"{provider.name} ({provider.kind}): {provider.label}")
        for rule in provider.roles:
            where = rule.municipality or (
                rule.municipality_claim and f"<{rule.municipality_claim}>"
            )
            click.echo(f"  {rule.claim} = {rule.value} → {rule.role.value} {where or ''}".rstrip())


@sso.command("unseen")
@_db_option
@click.option(
    "--days", type=click.IntRange(min=1), required=True, help="Ikke logget ind i så mange dage."
)
@click.option("--deactivate", "do_deactivate", is_flag=True, help="Deaktivér dem også.")
def sso_unseen(database_url: str | None, days: int, do_deactivate: bool) -> None:
    """List aktive brugere, der ikke har logget ind i DAYS dage (og deaktivér dem med --deactivate)."""
    from forms_service.sso.accounts import deactivate, unseen_accounts

    session = _checked_sessions(database_url)()
    try:
        accounts = unseen_accounts(session, days)
        for user in accounts:
            seen = user.last_login_at.date().isoformat() if user.last_login_at else "aldrig"
            click.echo(f"{user.username}\t{user.role}\t{user.municipality_code or ''}\t{seen}")
            if do_deactivate:
                deactivate(session, user, f"unseen_{days}_days")
        session.commit()
        verb = "deaktiveret" if do_deactivate else "fundet"
        click.echo(f"{len(accounts)} brugere {verb}.")
    finally:
        session.close()
