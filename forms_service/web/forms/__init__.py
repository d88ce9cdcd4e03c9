"""The HTML form built from a definition: WTForms classes, page model, views.

Public interface:

    bp                          the ``forms`` blueprint (case form, refresh, preview)
    form_class_for(definition)  the WTForms class of a version
    run_round(definition, ...)  parse/validate/render one round (reuse for other previews)
    build_page(...)             the page model the ``forms/_form.html`` macros render
"""

from forms_service.web.forms.builder import AnswersForm, build_form, form_class_for
from forms_service.web.forms.flow import Round, run_round
from forms_service.web.forms.render import FormPage, build_page

__all__ = [
    "AnswersForm",
    "FormPage",
    "Round",
    "build_form",
    "build_page",
    "form_class_for",
    "run_round",
]
