"""Trusted proxies, configured explicitly.

Behind a load balancer every request comes from the balancer's address, so a limit per
address would be one limit for everybody. ``FORMS_SERVICE_TRUSTED_PROXIES`` says how many
proxies in front of the app set ``X-Forwarded-For`` and ``X-Forwarded-Proto``; werkzeug's
ProxyFix then takes the client's address from the header, trusting only that many hops (a
client cannot forge its address by sending the header itself). Default 0: no header is trusted.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_proxies(app: Flask) -> None:
    raw = app.config.get("TRUSTED_PROXIES") or 0
    try:
        hops = int(raw)
    except (TypeError, ValueError):
        raise ValueError(
            f"FORMS_SERVICE_TRUSTED_PROXIES skal være et helt tal (antal proxyer), ikke {raw!r}"
        ) from None
    if hops < 0:
        raise ValueError("FORMS_SERVICE_TRUSTED_PROXIES kan ikke være negativ")
    app.config["TRUSTED_PROXIES"] = hops
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
