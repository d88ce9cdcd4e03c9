"""Error pages and JSON errors, in Danish: one handler set for the web pages and the API."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forms_service.cases.errors import CaseError


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def register_error_handlers(app: Flask) -> None:
    messages = {
        400: "Forespørgslen kunne ikke forstås.",
        401: "Du skal logge ind.",
        403: "Du har ikke adgang til denne side.",
        404: "Siden eller sagen findes ikke.",
        405: "Metoden er ikke tilladt her.",
        409: "Der er en konflikt med den gemte version.",
        413: "Forespørgslen er for stor.",
        422: "Oplysningerne kunne ikke behandles.",
        429: "For mange forsøg. Vent lidt, og prøv igen.",
        500: "Der opstod en fejl. Prøv igen senere.",
    }

    def render(status: int, message: str, extra: dict[str, Any] | None = None) -> Any:
        if wants_json():
            body = {"code": status, "message": message} | (extra or {})
            return jsonify(body), status
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return render(400, "Formularen er udløbet eller mangler sikkerhedsnøglen. Prøv igen.")

    @app.errorhandler(CaseError)
    def case_error(error: CaseError) -> Any:
        return render(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        # flask-smorest's abort(..., message=...) and its validation errors travel in .data
        data = getattr(error, "data", None) or {}
        # a description given with abort(...) is ours and Danish; werkzeug's defaults are not
        own = error.description if error.description != type(error).description else None
        message = data.get("message") or own or messages.get(status, error.description or "")
        extra = {"errors": data["messages"]} if "messages" in data else None
        if status == 422 and extra:
            message = "Oplysningerne er ikke gyldige."
        body, code = render(status, message, extra)
        response = app.make_response((body, code))
        # keep what the error says besides its body: Allow on 405, WWW-Authenticate on 401
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    if not app.testing:  # in tests, let errors surface instead of a friendly page

        @app.errorhandler(Exception)
        def server_error(error: Exception) -> Any:
            app.logger.exception("Unhandled error on %s %s", request.method, request.path)
            return render(500, messages[500])
