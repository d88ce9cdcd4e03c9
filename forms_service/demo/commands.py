"""CLI: ``forms-service demo``: demo users, cases and two years of history."""

from __future__ import annotations

import click

from forms_service.cases.commands import _db_option, _engine
from forms_service.cases.roles import ROLE_LABELS


@click.command("demo")
@_db_option
@click.option("--weeks", default=26, show_default=True, help="Uger med ansøgninger bagud.")
@click.option("--cases-per-week", default=12, show_default=True)
@click.option(
    "--municipality",
    "municipalities",
    type=int,
    multiple=True,
    help="Kommunekoder (gentag); standard: forumkommunerne og et par til.",
)
@click.option("--seed", default=2026, show_default=True, help="Tilfældighedsfrø.")
@click.option(
    "--history/--no-history",
    default=True,
    show_default=True,
    help="Også to års simuleret historik i alle kommuner med en pilot (status og piloter).",
)
def demo(
    database_url: str | None,
    weeks: int,
    cases_per_week: int,
    municipalities: tuple[int, ...],
    seed: int,
    history: bool,
) -> None:
    """Fyld databasen med demo-brugere og -sager (migrerer først)."""
    from forms_service.cases import db as cases_db
    from forms_service.demo.cases import DEMO_MUNICIPALITIES, seed_demo

    engine = _engine(database_url)
    cases_db.upgrade(engine)
    with cases_db.session_scope(cases_db.make_session_factory(engine)) as session:
        result = seed_demo(
            session,
            weeks=weeks,
            cases_per_week=cases_per_week,
            municipalities=municipalities or DEMO_MUNICIPALITIES,
            seed=seed,
        )
    click.echo(
        f"{result.cases} demo-sager oprettet: "
        + ", ".join(f"{status} {count}" for status, count in sorted(result.by_status.items()))
    )
    if history:  # issue 8: the forum's status and pilot figures need a long history
        from forms_service.demo.history import seed_history

        click.echo(seed_history(engine).summary())
    print_demo_logins()


def print_demo_logins() -> None:
    from forms_service.demo.cases import DEMO_USERS

    click.echo("Demo-logins (kun til demo):")
    for user in DEMO_USERS:
        place = f", kommune {user.municipality_code}" if user.municipality_code else ""
        click.echo(f"  {user.username:<12} {user.password:<24} {ROLE_LABELS[user.role]}{place}")
