"""Case pages: the caseworker's list, the case page and Seniorpension's actions.

The request's ``CaseService`` comes from ``forms_service.http.services.case_service``.
"""
