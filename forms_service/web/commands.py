"""``forms-service run``: migrate, seed a demo into an empty database, serve."""

from __future__ import annotations

import click


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Flasks debug-tilstand (aldrig i drift).")
@click.option("--no-demo", is_flag=True, help="Opret ikke demo-data i en tom database.")
def run(host: str, port: int, debug: bool, no_demo: bool) -> None:
    """Start tjenesten med Flasks indbyggede server (til demo og udvikling).

    I drift: gunicorn -w 4 -b 0.0.0.0:8000 forms_service.wsgi:app (se README).
    """
    from sqlalchemy import func, select

    from forms_service.cases import db as cases_db
    from forms_service.cases.commands import print_demo_logins
    from forms_service.cases.demo import seed_demo
    from forms_service.cases.models import User
    from forms_service.web.app import create_app

    engine = cases_db.make_engine(cases_db.database_url())
    cases_db.upgrade(engine)
    seeded = False
    factory = cases_db.make_session_factory(engine)
    with cases_db.session_scope(factory) as session:
        if not no_demo and not session.scalar(select(func.count()).select_from(User)):
            click.echo("Tom database: opretter demo-brugere og -sager …")
            result = seed_demo(session)
            click.echo(f"{result.cases} demo-sager oprettet.")
            seeded = True
    if seeded:
        # the same demo as `forms-service demo`: the forum's dashboard and the pilot
        # comparison need two years of history to show anything
        from forms_service.cases.demo_history import WEEKS, seed_history

        with click.progressbar(
            length=WEEKS, label="Simulerer to års sagshistorik til statistikken", show_pos=True
        ) as bar:
            result = seed_history(engine, progress=lambda done, total: bar.update(1))
        click.echo(result.summary())
    engine.dispose()

    app = create_app({"SESSION_COOKIE_SECURE": False} if host in ("127.0.0.1", "localhost") else {})
    if seeded or not no_demo:
        print_demo_logins()
    click.echo(f"Åbn http://{host}:{port}/")
    app.run(host=host, port=port, debug=debug, use_reloader=False)
