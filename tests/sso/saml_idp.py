"""A real SAML 2.0 identity provider for the tests: pysaml2's own IdP server, in process.

It reads the AuthnRequest the service sent (HTTP-Redirect binding), and answers it with a
response for the browser to POST back, signed or not, valid or already expired.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

IDP_ENTITY_ID = "https://idp.kommune.test/saml"
SSO_URL = "https://idp.kommune.test/saml/sso"
SLO_URL = "https://idp.kommune.test/saml/slo"


def write_key_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """A fresh RSA key and self-signed certificate (PEM files)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class SamlIdentityProvider:
    def __init__(self, folder: Path) -> None:
        self.key_file, self.cert_file = write_key_pair(folder, "idp")
        self.sp_metadata: str | None = None

    def _config(self, lifetime: dict[str, int] | None = None) -> IdPConfig:
        data: dict[str, Any] = {
            "entityid": IDP_ENTITY_ID,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(SLO_URL, BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": lifetime or {"minutes": 15},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "xmlsec_binary": shutil.which("xmlsec1"),
        }
        if self.sp_metadata:
            data["metadata"] = {"inline": [self.sp_metadata]}
        config = IdPConfig()
        config.load(data)
        return config

    def metadata(self) -> str:
        return str(entity_descriptor(self._config()))

    def trust(self, sp_metadata: str) -> None:
        """Register the service provider from the metadata it publishes."""
        self.sp_metadata = sp_metadata

    def answer(
        self,
        redirect_url: str,
        *,
        name_id: str,
        attributes: dict[str, list[str]],
        sign_assertion: bool = True,
        sign_response: bool = False,
        lifetime: dict[str, int] | None = None,
        audience: str | None = None,
    ) -> tuple[str, str]:
        """(ACS URL, base64 SAMLResponse) answering the AuthnRequest in ``redirect_url``."""
        assert redirect_url.startswith(SSO_URL), redirect_url
        server = Server(config=self._config(lifetime))
        query = parse_qs(urlsplit(redirect_url).query)
        request = server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        acs = server.config.metadata.assertion_consumer_service(
            message.issuer.text, binding=BINDING_HTTP_POST
        )[0]["location"]
        response = server.create_authn_response(
            identity=attributes,
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=audience or message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
                "authn_auth": IDP_ENTITY_ID,
            },
            sign_assertion=sign_assertion,
            sign_response=sign_response,
        )
        return acs, base64.b64encode(str(response).encode()).decode()

    def read_logout_request(self, redirect_url: str) -> Any:
        """The LogoutRequest the service sent to this IdP's single logout service."""
        assert redirect_url.startswith(SLO_URL), redirect_url
        server = Server(config=self._config())
        query = parse_qs(urlsplit(redirect_url).query)
        return server.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT).message
