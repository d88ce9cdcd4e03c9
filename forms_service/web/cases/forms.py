"""WTForms of the case pages (the filter form is a GET form without a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forms_service.cases.lifecycle import OUTCOME_LABELS, STATUS_LABELS
from forms_service.seniorpension.municipalities import all_municipalities


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def municipality_choices(blank: str | None = None) -> list[SelectChoice]:
    pairs = [(str(m.code), f"{m.name} ({m.code_str})") for m in all_municipalities()]
    return _choices(([("", blank)] if blank is not None else []) + pairs)


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=_choices(
            [("", "Alle åbne sager"), ("all", "Alle, også afgjorte")]
            + [(s.value, label) for s, label in STATUS_LABELS.items()]
        ),
        validators=[Optional()],
    )
    deadline = SelectField(
        "Frist",
        choices=_choices(
            [("", "Alle"), ("soon", "Fristen nærmer sig"), ("overdue", "Fristen er overskredet")]
        ),
        validators=[Optional()],
    )
    municipality = SelectField("Kommune", validators=[Optional()])
    search = StringField("Sagsnummer eller CPR-nr.", validators=[Optional(), Length(max=40)])
    page = IntegerField("Side", validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = municipality_choices("Alle kommuner")


class TransitionForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    revision = HiddenField(validators=[DataRequired()])
    reason = TextAreaField("Begrundelse", validators=[Optional(), Length(max=4000)])
    outcome = SelectField(
        "Udfald",
        choices=_choices(
            [("", "Vælg udfald")] + [(o.value, label) for o, label in OUTCOME_LABELS.items()]
        ),
        validators=[Optional()],
    )
    # a decision is final: the caseworker ticks that they know (checked in the view)
    confirm = BooleanField("Jeg har læst, hvad der sker, og vil træffe afgørelsen")


class NewCaseForm(FlaskForm):
    case_number = StringField(
        "Sagsnummer", validators=[DataRequired("Angiv sagsnummeret."), Length(max=40)]
    )
    cpr = StringField(
        "CPR-nummer",
        description="DDMMÅÅ-XXXX",
        validators=[DataRequired("Angiv CPR-nummeret."), Length(max=11)],
    )
    citizen_name = StringField(
        "Borgerens navn", validators=[DataRequired("Angiv borgerens navn."), Length(max=200)]
    )
    application_date = DateField(
        "Ansøgningsdato", validators=[InputRequired("Angiv ansøgningsdatoen.")]
    )
    municipality = SelectField("Kommune", validators=[DataRequired("Vælg kommunen.")])
    request_date = DateField(
        "Anmodning sendt til kommunen",
        description="Udfyld for at sende sagen til kommunen med det samme.",
        validators=[Optional()],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = municipality_choices("Vælg kommune")
