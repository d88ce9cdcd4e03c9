"""The HTTP layer shared by the web pages (``forms_service.web``) and the JSON API
(``forms_service.api``): the two are siblings over this package and never import each other.

    auth        Flask-Login, bearer tokens, ``current_actor()``
    decorators  ``requires`` (a permission) / ``public`` on every view
    identity    who may log in (local passwords; other providers plug in here)
    ratelimit   login attempts per user and address (database or Redis)
    db          the request's database session
    csrf        CSRF on every form; bearer-token API calls skip it
    errors      error pages and JSON errors, in Danish
    services    the request's ``CaseService`` acting as the logged-in user
    downloads   what pages and API hand out: rendered documents and bulk jobs
"""
