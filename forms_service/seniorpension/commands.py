"""``forms-service pension-age``: the pension-age dates for a birth date, as JSON."""

from __future__ import annotations

import datetime as dt
import json

import click

from forms_service.seniorpension.deadlines import parse_iso_date
from forms_service.seniorpension.pension_age import pension_dates


class _IsoDate(click.ParamType):
    name = "ÅÅÅÅ-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_iso_date(str(value).strip())
        except ValueError:
            self.fail(
                f"'{value}' er ikke en dato; brug ÅÅÅÅ-MM-DD (not a date; expected YYYY-MM-DD)",
                param,
                ctx,
            )


@click.command("pension-age")
@click.argument("birth_date", type=_IsoDate())
def pension_age(birth_date: dt.date) -> None:
    """Folkepensionsalder og tidligste seniorpensions- og ansøgningsdato for en fødselsdato."""
    click.echo(json.dumps(pension_dates(birth_date).as_json(), ensure_ascii=False))
