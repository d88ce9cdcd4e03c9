"""WTForms for creating a pilot and for caseworkers' feedback."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forms_service.pilots.models import ALL_OTHERS, FEEDBACK_KINDS, NAMED
from forms_service.seniorpension.municipalities import FORUM_MUNICIPALITY_CODES, all_municipalities


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def municipality_choices() -> list[SelectChoice]:
    return _choices(
        [(str(m.code), m.name) for m in sorted(all_municipalities(), key=lambda m: m.name)]
    )


class PilotForm(FlaskForm):
    name = StringField("Navn", validators=[DataRequired("Angiv pilotens navn."), Length(max=200)])
    candidate_version = SelectField("Pilotversion (kandidat)", validators=[DataRequired()])
    comparison_version = SelectField("Sammenlignes med version", validators=[DataRequired()])
    pilot_municipalities = SelectMultipleField(
        "Pilotkommuner", validators=[DataRequired("Vælg mindst én pilotkommune.")]
    )
    comparison_scope = RadioField(
        "Sammenligningsgruppe",
        choices=_choices([(ALL_OTHERS, "Alle øvrige kommuner"), (NAMED, "Udvalgte kommuner")]),
        default=ALL_OTHERS,
    )
    comparison_municipalities = SelectMultipleField("Udvalgte sammenligningskommuner")
    start_date = DateField("Startdato", validators=[DataRequired("Angiv en startdato.")])
    end_date = DateField("Slutdato", validators=[DataRequired("Angiv en slutdato.")])
    description = TextAreaField("Beskrivelse", validators=[Optional(), Length(max=4000)])

    def __init__(self, versions: list[str], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = _choices([(v, v) for v in reversed(versions)])
        self.candidate_version.choices = choices
        self.comparison_version.choices = choices
        self.pilot_municipalities.choices = municipality_choices()
        self.comparison_municipalities.choices = municipality_choices()
        if not self.is_submitted():
            self.pilot_municipalities.data = [str(c) for c in FORUM_MUNICIPALITY_CODES]


class FeedbackForm(FlaskForm):
    target = SelectField("Afsnit eller felt", validators=[DataRequired("Vælg afsnit eller felt.")])
    kind = SelectField("Type", choices=_choices(list(FEEDBACK_KINDS.items())))
    text = TextAreaField(
        "Tilbagemelding", validators=[DataRequired("Skriv din tilbagemelding."), Length(max=4000)]
    )

    def __init__(self, targets: list[tuple[str, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.target.choices = _choices(targets)
