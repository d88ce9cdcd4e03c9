"""The login and logout pages (authentication itself is ``forms_service.http.auth``)."""
