"""The app reads its providers from FORMS_SERVICE_SSO_CONFIG and refuses a broken file."""

from __future__ import annotations

import json

import pytest

from forms_service.sso.config import SsoConfigError


def _config(tmp_path, providers):  # type: ignore[no-untyped-def]
    path = tmp_path / "sso.json"
    path.write_text(json.dumps({"local_login": "admins", "providers": providers}), encoding="utf-8")
    return path


def test_providers_and_local_login_from_the_environment(
    db_url, db_engine, users, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    provider = {
        "name": "entra",
        "type": "oidc",
        "label": "Køge Kommune",
        "issuer": "https://login.invalid/t/v2.0",
        "client_id": "c",
        "client_secret_env": "FORMS_SERVICE_TEST_ENTRA_SECRET",
        "roles": [],
    }
    monkeypatch.setenv("FORMS_SERVICE_SSO_CONFIG", str(_config(tmp_path, [provider])))
    monkeypatch.setenv("FORMS_SERVICE_TEST_ENTRA_SECRET", "hemmelig")
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path / "i"),
        }
    )
    try:
        page = app.test_client().get("/login").get_data(as_text=True)
        assert "Køge Kommune" in page and 'href="/sso/entra/login' in page
        assert app.extensions["forms_service.sso"].local_login.value == "admins"
        monkeypatch.setenv("FORMS_SERVICE_LOCAL_LOGIN", "off")
        off = create_app(
            {
                "DATABASE_URL": db_url,
                "TESTING": True,
                "SECRET_KEY": "x",
                "INSTANCE_PATH": str(tmp_path / "i"),
            }
        )
        assert off.extensions["forms_service.sso"].local_login.value == "off"
        off.extensions["forms_service.engine"].dispose()
    finally:
        app.extensions["forms_service.engine"].dispose()


def test_a_broken_file_stops_the_app_with_the_json_path(
    db_url, db_engine, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    monkeypatch.setenv(
        "FORMS_SERVICE_SSO_CONFIG",
        str(_config(tmp_path, [{"name": "entra", "type": "oidc", "roles": []}])),
    )
    with pytest.raises(SsoConfigError, match=r"\$\.providers\[0\]\.issuer"):
        create_app(
            {
                "DATABASE_URL": db_url,
                "TESTING": True,
                "SECRET_KEY": "x",
                "INSTANCE_PATH": str(tmp_path / "i"),
            }
        )


def test_unknown_provider_is_404(make_sso_app) -> None:  # type: ignore[no-untyped-def]
    client = make_sso_app({"providers": []}).test_client()
    assert client.get("/sso/nobody/login").status_code == 404
    assert client.get("/sso/saml/nobody/metadata").status_code == 404
