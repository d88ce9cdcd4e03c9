"""Sign-in cost: a SAML and an OpenID Connect sign-in against a local password login.

Runs the app in process (Flask test client, SQLite in a temporary folder), pysaml2's IdP in
process and the real oidc-provider (node, tests/sso/oidc_provider) on loopback. Timed:

- baseline: ``POST /login`` with a local password (scrypt hash check, session start)
- SAML: ``POST /sso/saml/<name>/acs`` with a signed response (xmlsec1 verification, replay
  store, account update, session start); the IdP's work is outside the timing
- OIDC: ``GET /sso/oidc/<name>/callback`` (code exchange over HTTP, ID-token signature and
  claims, account update, session start); the provider's login page is outside the timing
- the SAML service-provider set-up alone (``sp_config`` + ``Saml2Client``, done per request)

    .venv/bin/python benchmarks/bench_sso.py [-n 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from saml2.client import Saml2Client  # noqa: E402

from forms_service.app import create_app  # noqa: E402
from forms_service.cases import db as cases_db  # noqa: E402
from forms_service.cases.roles import Role  # noqa: E402
from forms_service.cases.users import create_user  # noqa: E402
from forms_service.sso import saml  # noqa: E402
from tests.sso.conftest import OIDC_NAME, SAML_NAME, sso_settings  # noqa: E402
from tests.sso.oidc_process import log_in_at_provider, running_oidc_provider  # noqa: E402
from tests.sso.saml_idp import SamlIdentityProvider  # noqa: E402

PASSWORD = "benchmark-adgang-1"
HERE = "http://localhost"


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=30)
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        engine = cases_db.make_engine(url)
        cases_db.upgrade(engine)
        with cases_db.make_session_factory(engine)() as session:
            create_user(
                session,
                "kbh",
                role=Role.MUNICIPAL_CASEWORKER,
                password=PASSWORD,
                municipality_code=101,
            )
            session.commit()
        engine.dispose()
        idp = SamlIdentityProvider(folder)
        accounts = {"rikke": {"name": "Rikke", "groups": ["ringsted-sagsbehandlere"]}}
        with running_oidc_provider(
            folder, [f"{HERE}/sso/oidc/{OIDC_NAME}/callback"], [f"{HERE}/login"], accounts
        ) as provider:
            app = create_app(
                {
                    "DATABASE_URL": url,
                    "TESTING": True,
                    "WTF_CSRF_ENABLED": False,
                    "SECRET_KEY": "bench",
                    "INSTANCE_PATH": str(folder / "instance"),
                    "SSO": sso_settings(provider, idp),
                }
            )
            idp.trust(
                app.test_client().get(f"/sso/saml/{SAML_NAME}/metadata").get_data(as_text=True)
            )

            password, samlx, oidcx, setup = [], [], [], []
            for _ in range(n):
                client = app.test_client()
                started = time.perf_counter()
                response = client.post("/login", data={"username": "kbh", "password": PASSWORD})
                password.append(time.perf_counter() - started)
                assert response.status_code == 302

                client = app.test_client()
                location = client.get(f"/sso/{SAML_NAME}/login").headers["Location"]
                acs, answer = idp.answer(
                    location, name_id="rikke-1", attributes={"groups": ["ringsted-sagsbehandlere"]}
                )
                started = time.perf_counter()
                response = client.post(acs.removeprefix(HERE), data={"SAMLResponse": answer})
                samlx.append(time.perf_counter() - started)
                assert response.status_code == 303

                client = app.test_client()
                location = client.get(f"/sso/{OIDC_NAME}/login").headers["Location"]
                back = log_in_at_provider(location, "rikke", HERE + "/")
                started = time.perf_counter()
                response = client.get(back.removeprefix(HERE))
                oidcx.append(time.perf_counter() - started)
                assert response.status_code == 302

                provider_config = app.extensions["forms_service.sso"].provider(SAML_NAME)
                endpoints = saml.Endpoints(f"{HERE}/m", f"{HERE}/a", f"{HERE}/s")
                started = time.perf_counter()
                Saml2Client(saml.sp_config(provider_config.saml, endpoints))
                setup.append(time.perf_counter() - started)
            app.extensions["forms_service.engine"].dispose()

    base = statistics.median(password)
    print(f"sign-ins: {n} each (median)")
    print(f"baseline: local password login      {_ms(password)}")
    print(
        f"SAML ACS (signed assertion)         {_ms(samlx)}  ({statistics.median(samlx) / base:.2f}x baseline)"
    )
    print(
        f"OIDC callback (code exchange + JWT) {_ms(oidcx)}  ({statistics.median(oidcx) / base:.2f}x baseline)"
    )
    print(
        f"SAML SP set-up per request          {_ms(setup)}  ({statistics.median(setup) / base:.2f}x baseline)"
    )


if __name__ == "__main__":
    main()
