"""Schemathesis against /api/v1/openapi.json with a bearer token per role: generated requests
for every operation (bounded examples), all of schemathesis' checks; no server error and no
response that contradicts the published schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig

from forms_service.cases.models import User
from forms_service.cases.users import create_api_token
from tests.conftest import TEST_USERS

MAX_EXAMPLES = 8
# A schema cannot say everything a valid request needs (a CPR number with a real birth date, a
# form version that exists): such requests are answered 422 with the reason, which counts as
# accepting well-formed data. Every other check runs as schemathesis ships it.
# NUL bytes are refused on purpose (400; no database stores them in text), so they are not
# generated as schema-valid data.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-x00": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
            }
        },
    }
)


@pytest.fixture
def tokens(app, users: dict[str, User]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    session = app.extensions["forms_service.sessions"]()
    try:
        made = {
            name: create_api_token(session, session.get(User, user.id), name="schemathesis")
            for name, user in users.items()
        }
        session.commit()
        return made
    finally:
        session.close()


@pytest.mark.parametrize("username", sorted(TEST_USERS))
def test_the_api_keeps_its_schema_for_every_role(  # type: ignore[no-untyped-def]
    app, tokens, case_factory, username: str
) -> None:
    case_factory(101)
    case_factory(329)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    headers = {"Authorization": f"Bearer {tokens[username]}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            case.validate_response(response, headers=headers)

        try:
            run()
        except BaseExceptionGroup as group:  # schemathesis' failures: collect, report all
            failures.append(f"{operation.label}: {group}"[:3000])
    assert failures == [], "\n\n".join(failures)
