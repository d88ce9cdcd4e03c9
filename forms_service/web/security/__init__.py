"""HTTP hardening shared by the web pages and the API: security headers, trusted proxies,
bad input as 4xx, a database or Redis that went away as 503."""

from __future__ import annotations

from flask import Flask

from forms_service.web.security.headers import init_headers
from forms_service.web.security.input import init_input_guards
from forms_service.web.security.proxy import init_proxies
from forms_service.web.security.unavailable import init_unavailable_handlers


def init_security(app: Flask) -> None:
    init_proxies(app)
    init_headers(app)
    init_input_guards(app)
    init_unavailable_handlers(app)
