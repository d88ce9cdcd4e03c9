"""Security headers on every response.

The Content-Security-Policy allows scripts, styles, fonts and connections from this site only:
no inline ``<script>``, no ``style=""`` and no event-handler attributes in templates (put them
in files under ``forms_service/web/static``). Images may also be ``data:`` URIs (the report
charts are PNGs inlined that way). Nothing may frame the pages (the publish and decide pages
must never sit under someone else's buttons).
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # no form-action: browsers apply it to the redirect after a form post too, and logout
        # (a POST) ends at the identity provider's end-session address, another origin
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"

_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def init_headers(app: Flask) -> None:
    app.after_request(_add_headers)


def _add_headers(response: Response) -> Response:
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    # Browsers ignore HSTS over plain HTTP, so it is sent always; behind a TLS-terminating
    # proxy the request looks like HTTP here (unless ProxyFix trusts the proxy's header).
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")  # answers hold personal data
    elif request.endpoint != "static":
        # no shared cache keeps a page; the browser may (its back button keeps typed input)
        response.headers.setdefault("Cache-Control", "private, no-cache")
    return response
