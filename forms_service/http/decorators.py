"""``requires``: the one way a view, on a page or in the API, says who may use it.

A view names the permission it needs (``cases.permissions`` and the domains' ``permissions``
modules declare them, with their roles); ``roles_required`` is what it checks. Every view
carries its allowed roles in ``view._roles`` (``PUBLIC`` for the login page and the
health check), so a test can walk ``app.url_map`` and prove no route was left unguarded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from forms_service.cases.permissions import Permission
from forms_service.cases.roles import Role

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC: frozenset[str] = frozenset({"public"})


def requires(permission: Permission) -> Callable[[F], F]:
    """Allow the view to logged-in users whose role has ``permission`` (403 for others)."""
    decorate = roles_required(*permission.roles)

    def named(view: F) -> F:
        guarded = decorate(view)
        guarded._permission = permission  # type: ignore[attr-defined]
        return guarded

    return named


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    """Allow the view to logged-in users with one of ``roles`` (403 for other roles).

    Not logged in: pages redirect to the login page, the API answers 401.
    """
    if not roles:
        raise ValueError("roles_required needs at least one role")
    allowed = frozenset(Role(r) for r in roles)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.actor.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper._roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def csrf_exempt(view: F) -> F:
    """No CSRF token on this view's POSTs: for answers posted cross-site by an identity provider,
    which carry their own proof (a signed SAML response to a request this service sent)."""
    view._csrf_exempt = True  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Mark a view as open to everyone (login page, health check)."""
    view._roles = PUBLIC  # type: ignore[attr-defined]
    return view
