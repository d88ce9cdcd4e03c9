"""WSGI entry point for gunicorn: ``gunicorn -w 4 forms_service.wsgi:app``.

Configuration from the environment (FORMS_SERVICE_DATABASE_URL, FORMS_SERVICE_SECRET_KEY, …);
the database must be migrated first (``forms-service db upgrade``), the app refuses otherwise.
"""

from forms_service.app import create_app

app = create_app()
