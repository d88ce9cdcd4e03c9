"""The environment variables of the case database, apart so a command's options can name them
without importing SQLAlchemy (``forms-service --help`` stays fast)."""

ENV_DATABASE_URL = "FORMS_SERVICE_DATABASE_URL"
ENV_INSTANCE_PATH = "FORMS_SERVICE_INSTANCE_PATH"
