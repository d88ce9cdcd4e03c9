"""The web pages: one blueprint per area, over the shared HTTP layer (``forms_service.http``)."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    """Register the pages' blueprints. Add yours with an import and a line in the tuple."""
    from forms_service.web.admin.views import bp as admin
    from forms_service.web.attachments.views import bp as attachments
    from forms_service.web.auth.views import bp as auth
    from forms_service.web.brochures.views import bp as brochures
    from forms_service.web.cases.panels import init_panels
    from forms_service.web.cases.version_move import bp as cases  # views + the version move
    from forms_service.web.completeness.views import bp as completeness
    from forms_service.web.documents.views import bp as documents
    from forms_service.web.editor.views import bp as editor
    from forms_service.web.forms.views import bp as forms
    from forms_service.web.notifications.views import bp as notifications
    from forms_service.web.pilots.views import bp as pilots
    from forms_service.web.privacy.views import bp as privacy
    from forms_service.web.reporting.views import bp as reporting
    from forms_service.web.sso.views import bp as sso

    for blueprint in (
        auth,
        cases,
        forms,
        documents,
        completeness,
        editor,
        pilots,
        reporting,
        notifications,
        sso,
        attachments,
        admin,
        brochures,
        privacy,
    ):
        app.register_blueprint(blueprint)
    init_panels(app)
