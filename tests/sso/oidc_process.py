"""Start the real oidc-provider (tests/sso/oidc_provider) and drive its login page over HTTP."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "forms-service"
CLIENT_SECRET = "forms-service-test-secret"
OTHER_CLIENT_ID = "another-application"
OTHER_CLIENT_SECRET = "another-application-secret"
OTHER_REDIRECT = "http://localhost/another-application/callback"


@dataclass
class OidcProvider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        self.accounts_file.write_text(json.dumps(accounts), encoding="utf-8")


@contextmanager
def running_oidc_provider(
    folder: Path,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str],
    accounts: dict[str, dict[str, Any]],
    id_token_ttl: int = 3600,
) -> Iterator[OidcProvider]:
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            f"oidc-provider is not installed: run 'npm ci' in {PROVIDER_DIR} (scripts/test.sh does)"
        )
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": redirect_uris,
            "post_logout_redirect_uris": post_logout_redirect_uris,
        },
        {
            "client_id": OTHER_CLIENT_ID,
            "client_secret": OTHER_CLIENT_SECRET,
            "redirect_uris": [OTHER_REDIRECT],
        },
    ]
    clients_file = folder / "oidc-clients.json"
    clients_file.write_text(json.dumps(clients), encoding="utf-8")
    provider = OidcProvider(issuer="", accounts_file=folder / "oidc-accounts.json")
    provider.set_accounts(accounts)
    process = subprocess.Popen(
        ["node", str(PROVIDER_DIR / "provider.mjs")],
        cwd=PROVIDER_DIR,
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "OIDC_CLIENTS_FILE": str(clients_file),
            "OIDC_ACCOUNTS_FILE": str(provider.accounts_file),
            "OIDC_ID_TOKEN_TTL": str(id_token_ttl),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError(f"oidc-provider did not start: {line!r}")
        provider.issuer = line.split()[1]
        _wait_for(f"{provider.issuer}/.well-known/openid-configuration")
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.1)


def log_in_at_provider(authorize_url: str, login: str, stop_at: str) -> str:
    """Follow the provider's pages from ``authorize_url``, signing in on its own login form,
    until it redirects to a URL starting with ``stop_at``; that URL is returned."""
    browser = requests.Session()
    url, method, data = authorize_url, "GET", None
    for _ in range(12):
        response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            method, data = "GET", None
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        assert form is not None, response.text[:2000]
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', response.text))
        fields |= {"login": login, "password": "any-password"}
        url, method, data = urljoin(url, unescape(form.group(1))), "POST", fields
    raise AssertionError("the provider never sent the browser back")
