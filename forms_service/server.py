"""The processes that serve: ``forms-service run`` (migrate, seed a demo into an empty database,
serve with Flask's server) and ``forms-service worker`` (background jobs from Redis)."""

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

    from forms_service.app import create_app
    from forms_service.cases import crypto, keys
    from forms_service.cases import db as cases_db
    from forms_service.cases.models import User
    from forms_service.demo.cases import seed_demo
    from forms_service.demo.commands import print_demo_logins

    url = cases_db.database_url()
    try:
        # the keys first: the migrations encrypt, and a wrong key must stop the start here
        key_ring = keys.load_ring(instance=cases_db.instance_path(), database_url=url)
        crypto.configure(key_ring)
        engine = cases_db.make_engine(url)
        cases_db.upgrade(engine)
        keys.verify(engine, key_ring)
    except crypto.EncryptionError as error:
        raise click.ClickException(str(error)) from None
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
        from forms_service.demo.history import WEEKS, seed_history

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


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop, når køen er tom.")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    help="Køer at arbejde på (standard: documents, notifications).",
)
def worker(burst: bool, queues: tuple[str, ...]) -> None:
    """Arbejdsproces for baggrundsjob (RQ) – kræver FORMS_SERVICE_REDIS_URL."""
    from forms_service.documents.jobs import QUEUE_NAME, redis_url
    from forms_service.notifications.jobs import QUEUE_NAME as NOTIFICATIONS_QUEUE

    url = redis_url()
    if not url:
        raise click.ClickException(
            "FORMS_SERVICE_REDIS_URL er ikke sat; uden Redis kører baggrundsjob i "
            "webprocessen, og der er ingen kø at arbejde på."
        )
    from redis import Redis
    from rq import Worker

    # The scheduler runs the notification retries enqueued for a later time (enqueue_at).
    Worker(list(queues or (QUEUE_NAME, NOTIFICATIONS_QUEUE)), connection=Redis.from_url(url)).work(
        burst=burst, with_scheduler=True
    )
