"""Identity providers and their role rules, from configuration.

The configuration is JSON (``FORMS_SERVICE_SSO_CONFIG`` names the file; tests pass a dict)::

    {"local_login": "all" | "admins" | "off",
     "providers": [{"name": ..., "type": "oidc" | "saml", "label": ..., "roles": [...], ...}]}

A mistake names its JSON path, so an operator can fix the file without reading code.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from forms_service.cases.roles import Role
from forms_service.seniorpension.municipalities import municipality_by_code

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class SsoConfigError(ValueError):
    """The single sign-on configuration is wrong; the message names the JSON path."""


class LocalLogin(StrEnum):
    """Who may still sign in with a local password."""

    ALL = "all"  # the embedded demo
    ADMINS = "admins"  # break-glass administrators only
    OFF = "off"


@dataclass(frozen=True, slots=True)
class RoleRule:
    """``claim`` carrying ``value`` gives ``role`` (and a municipality, fixed or from a claim)."""

    claim: str
    value: str
    role: Role
    municipality: int | None = None
    municipality_claim: str | None = None


@dataclass(frozen=True, slots=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = ("openid", "profile", "email")
    leeway_seconds: int = 60


@dataclass(frozen=True, slots=True)
class SamlSettings:
    idp_metadata: str  # the IdP's metadata XML
    sp_entity_id: str | None = None  # default: the metadata URL
    sp_cert_file: str | None = None
    sp_key_file: str | None = None
    accepted_time_diff: int = 60


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    label: str
    roles: tuple[RoleRule, ...]
    username_claim: str
    name_claim: str
    oidc: OidcSettings | None = None
    saml: SamlSettings | None = None

    @property
    def kind(self) -> str:
        return "oidc" if self.oidc is not None else "saml"


@dataclass(frozen=True, slots=True)
class SsoConfig:
    providers: tuple[Provider, ...] = ()
    local_login: LocalLogin = LocalLogin.ALL
    public_url: str | None = None  # the service's external base URL, when behind a proxy
    by_name: dict[str, Provider] = field(default_factory=dict, compare=False)

    def provider(self, name: str) -> Provider | None:
        return self.by_name.get(name)


def load_config(source: dict[str, Any] | str | Path | None) -> SsoConfig:
    """Read the configuration from a dict, or from a JSON file path; None: no providers."""
    if source is None:
        return SsoConfig()
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SsoConfigError(f"{path}: {exc}") from exc
        return parse_config(data, base=path.parent)
    return parse_config(source, base=Path.cwd())


def parse_config(data: Any, base: Path) -> SsoConfig:
    if not isinstance(data, dict):
        raise SsoConfigError("$: must be an object")
    try:
        local = LocalLogin(data.get("local_login", "all"))
    except ValueError:
        raise SsoConfigError("$.local_login: must be 'all', 'admins' or 'off'") from None
    providers = tuple(
        _provider(item, f"$.providers[{i}]", base)
        for i, item in enumerate(_list(data, "providers", "$", default=[]))
    )
    names = [p.name for p in providers]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise SsoConfigError(f"$.providers[{i}].name: '{name}' is used twice")
    public_url = data.get("public_url")
    if public_url is not None and not isinstance(public_url, str):
        raise SsoConfigError("$.public_url: must be a string")
    return SsoConfig(
        providers=providers,
        local_login=local,
        public_url=public_url.rstrip("/") if public_url else None,
        by_name={p.name: p for p in providers},
    )


def _provider(item: Any, path: str, base: Path) -> Provider:
    if not isinstance(item, dict):
        raise SsoConfigError(f"{path}: must be an object")
    name = _str(item, "name", path)
    if not _NAME.match(name):
        raise SsoConfigError(f"{path}.name: lower-case letters, digits and '-' only")
    kind = _str(item, "type", path)
    rules = tuple(
        _rule(rule, f"{path}.roles[{i}]") for i, rule in enumerate(_list(item, "roles", path))
    )
    common: dict[str, Any] = {
        "name": name,
        "label": item.get("label") or name,
        "roles": rules,
    }
    if kind == "oidc":
        return Provider(
            **common,
            username_claim=item.get("username_claim", "preferred_username"),
            name_claim=item.get("name_claim", "name"),
            oidc=OidcSettings(
                issuer=_str(item, "issuer", path).rstrip("/"),
                client_id=_str(item, "client_id", path),
                client_secret=_secret(item, path),
                scopes=tuple(item.get("scopes") or ("openid", "profile", "email")),
                leeway_seconds=int(item.get("leeway_seconds", 60)),
            ),
        )
    if kind == "saml":
        return Provider(
            **common,
            username_claim=item.get("username_attribute", "name_id"),
            name_claim=item.get("name_attribute", "displayName"),
            saml=SamlSettings(
                idp_metadata=_idp_metadata(item, path, base),
                sp_entity_id=item.get("sp_entity_id"),
                sp_cert_file=_file(item, "sp_cert_file", path, base),
                sp_key_file=_file(item, "sp_key_file", path, base),
                accepted_time_diff=int(item.get("accepted_time_diff", 60)),
            ),
        )
    raise SsoConfigError(f"{path}.type: must be 'oidc' or 'saml'")


def _rule(item: Any, path: str) -> RoleRule:
    if not isinstance(item, dict):
        raise SsoConfigError(f"{path}: must be an object")
    try:
        role = Role(_str(item, "role", path))
    except ValueError:
        raise SsoConfigError(f"{path}.role: one of {', '.join(Role)}") from None
    municipality = item.get("municipality")
    municipality_claim = item.get("municipality_claim")
    if role is Role.MUNICIPAL_CASEWORKER:
        if municipality is None and not municipality_claim:
            raise SsoConfigError(
                f"{path}: a municipal role needs municipality or municipality_claim"
            )
        if municipality is not None:
            try:
                municipality = municipality_by_code(int(municipality)).code
            except (KeyError, ValueError, TypeError):
                raise SsoConfigError(f"{path}.municipality: unknown municipality code") from None
    elif municipality is not None or municipality_claim:
        raise SsoConfigError(f"{path}: only municipal_caseworker has a municipality")
    return RoleRule(
        claim=_str(item, "claim", path),
        value=str(item.get("value", "")),
        role=role,
        municipality=municipality,
        municipality_claim=municipality_claim,
    )


def _str(item: dict[str, Any], key: str, path: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise SsoConfigError(f"{path}.{key}: a non-empty string is required")
    return value


def _list(item: dict[str, Any], key: str, path: str, default: Any = None) -> list[Any]:
    value = item.get(key, default)
    if not isinstance(value, list):
        raise SsoConfigError(f"{path}.{key}: must be a list")
    return value


def _secret(item: dict[str, Any], path: str) -> str:
    """The client secret, preferably from the environment variable the file names."""
    env = item.get("client_secret_env")
    if env:
        value = os.environ.get(env)
        if not value:
            raise SsoConfigError(f"{path}.client_secret_env: environment variable {env} is empty")
        return value
    return _str(item, "client_secret", path)


def _file(item: dict[str, Any], key: str, path: str, base: Path) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    file = base / value
    if not file.is_file():
        raise SsoConfigError(f"{path}.{key}: no file {file}")
    return str(file)


def _idp_metadata(item: dict[str, Any], path: str, base: Path) -> str:
    if isinstance(item.get("idp_metadata"), str):
        return str(item["idp_metadata"])
    file = _file(item, "idp_metadata_file", path, base)
    if file is None:
        raise SsoConfigError(f"{path}: idp_metadata_file (or idp_metadata) is required")
    return Path(file).read_text(encoding="utf-8")
