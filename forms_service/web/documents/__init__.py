"""Word documents on the web: downloads on the case page and per form version, bulk runs as
background jobs with a progress page. The JSON API (``forms_service.api.documents``) uses the
same functions in ``downloads``."""
