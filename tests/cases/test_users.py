"""Local accounts: hashed passwords, municipality binding, API tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.models import ApiToken, User
from forms_service.cases.roles import Role
from forms_service.cases.users import (
    UserError,
    create_api_token,
    create_user,
    user_for_token,
    verify_password,
)


def test_password_is_hashed_and_verified(db_session: Session) -> None:
    create_user(db_session, "Mette", role=Role.ANALYST, password="hemmelig-1234")
    db_session.commit()
    user = db_session.scalars(select(User)).one()
    assert "hemmelig" not in (user.password_hash or "")
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))  # type: ignore[union-attr]
    assert verify_password(db_session, "mette", "hemmelig-1234") is not None
    assert verify_password(db_session, "mette", "forkert-kode") is None
    assert verify_password(db_session, "ukendt", "hemmelig-1234") is None
    user.active = False
    assert verify_password(db_session, "mette", "hemmelig-1234") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": Role.MUNICIPAL_CASEWORKER}, "kommune"),
        ({"role": Role.MUNICIPAL_CASEWORKER, "municipality_code": 1}, "Ukendt kommunekode"),
        ({"role": Role.ANALYST, "municipality_code": 101}, "Kun kommunale"),
        ({"role": Role.ANALYST, "password": "kort"}, "mindst"),
    ],
)
def test_create_user_refuses(db_session: Session, kwargs: dict, message: str) -> None:
    kwargs = {"password": "lang-nok-kode"} | kwargs
    with pytest.raises(UserError, match=message):
        create_user(db_session, "x", **kwargs)


def test_duplicate_username_refused_case_insensitively(db_session: Session) -> None:
    create_user(db_session, "anna", role=Role.ADMIN, password="lang-nok-kode")
    with pytest.raises(UserError, match="findes allerede"):
        create_user(db_session, "ANNA", role=Role.ADMIN, password="lang-nok-kode")


def test_api_token_is_stored_hashed(db_session: Session) -> None:
    user = create_user(db_session, "robot", role=Role.SENIORPENSION_CASEWORKER, password="x" * 12)
    token = create_api_token(db_session, user, name="integration")
    db_session.commit()
    stored = db_session.scalars(select(ApiToken)).one()
    assert token not in stored.token_hash
    found = user_for_token(db_session, token)
    assert found is not None and found.id == user.id
    assert stored.last_used_at is not None
    assert user_for_token(db_session, token + "x") is None
    user.active = False
    assert user_for_token(db_session, token) is None
