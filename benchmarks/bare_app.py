"""The baseline of bench_forms_http.py: a bare Flask + WTForms page with N fields.

No login, no database, no definition, no CEL: one WTForms class with ``BARE_FIELDS`` fields
(text, textarea, select and radio in the same mix as the real form), each with a label, a
hint and the usual validators, rendered by one Jinja template. ``GET /form`` shows it,
``POST /form`` validates the posted fields and shows it again (422 with errors).

Run under gunicorn by the benchmark: ``gunicorn -w 2 'benchmarks.bare_app:create_app()'``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from wtforms import Form, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

PAGE = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Skema</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main class="container">
<h1>Sagsoplysningsskema</h1>
{% if form.errors %}<div class="alert alert-error" role="alert"><ul>
{% for name, errors in form.errors.items() %}{% for e in errors %}
<li><a href="#field-{{ name }}">{{ e }}</a></li>{% endfor %}{% endfor %}</ul></div>{% endif %}
<form method="post" novalidate>
{% for field in form %}
<div class="form-group{% if field.errors %} form-error{% endif %}">
  {{ field.label(class_="form-label") }}
  <span class="form-hint" id="hint-{{ field.id }}">{{ field.description }}</span>
  {% for e in field.errors %}<span class="form-error-message">{{ e }}</span>{% endfor %}
  {{ field(class_="form-input", id="field-" ~ field.id, **{"aria-describedby": "hint-" ~ field.id}) }}
</div>
{% endfor %}
<button type="submit" class="button button-primary">Indsend</button>
</form></main></body></html>
"""

CHOICES = [("a", "Første mulighed"), ("b", "Anden mulighed"), ("c", "Tredje mulighed")]


def build_form_class(count: int) -> type[Form]:
    attributes: dict[str, Any] = {}
    for index in range(count):
        name = f"felt_{index}"
        label = f"Spørgsmål nummer {index + 1}"
        hint = "Skriv svaret, som det står i sagens dokumenter."
        kind = index % 5
        if kind == 1:
            attributes[name] = TextAreaField(
                label, [DataRequired("Angiv et svar."), Length(max=4000)], description=hint
            )
        elif kind == 2:
            attributes[name] = SelectField(label, [Optional()], choices=CHOICES, description=hint)
        elif kind == 3:
            attributes[name] = RadioField(
                label, [DataRequired("Vælg et svar.")], choices=CHOICES, description=hint
            )
        else:
            attributes[name] = StringField(
                label,
                [DataRequired("Angiv et svar."), Length(max=200), Regexp(r"^[^<>]*$")],
                description=hint,
            )
    return type("BareForm", (Form,), attributes)


def create_app(count: int | None = None) -> Flask:
    count = count or int(os.environ.get("BARE_FIELDS", "60"))
    form_class = build_form_class(count)
    app = Flask(__name__)
    # compiled once, as Flask's file templates are
    template = app.jinja_env.from_string(PAGE)

    @app.route("/form", methods=["GET", "POST"])
    def page() -> Any:
        form = form_class(request.form if request.method == "POST" else None)
        status = 200
        if request.method == "POST" and not form.validate():
            status = 422
        return template.render(form=form), status

    @app.route("/health")
    def health() -> Any:
        return {"status": "ok"}

    return app
