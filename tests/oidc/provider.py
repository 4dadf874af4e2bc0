"""A real OpenID Connect provider for the tests: the npm package ``oidc-provider`` (tests/oidc/provider/,
installed with ``npm ci`` from the committed package-lock.json when node_modules is missing), run by
node on 127.0.0.1 on a free port with the accounts of ``ACCOUNTS``.

- ``start_provider()`` / ``RunningProvider.stop()``; the fixture ``oidc_provider`` (tests/oidc/fixtures.py)
  runs one for the whole test session.
- ``portal_settings(provider, monkeypatch, **env)``: the portal's ``SROI_OIDC_PROVIDERS`` for this
  provider, built by the settings module's own functions from environment variables, as an operator
  would set them.
- ``sign_in_with_client(client, provider, key, login)``: the whole code flow without a browser: the
  portal's start URL (Django test client), the provider's login form (``requests``), back to the
  portal's callback (test client). Returns the callback's response.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

PROVIDER_DIR = Path(__file__).parent / "provider"
PORTAL_HOST = "127.0.0.1"  # the test client's host: a loopback redirect URI the provider accepts

KVK_A = "12345678"  # tests/conftest.py leverancier_a
KVK_B = "87654321"  # tests/conftest.py leverancier_b
LOA = "urn:etoegang:core:assurance-class:loa{}"
STAFF_SRTEAM_EMAIL = "sanne.srteam@gemeente.test"
STAFF_INKOOP_EMAIL = "ingrid.inkoop@gemeente.test"


def _eh(pseudonym, kvk, loa):
    return {
        "claims": {
            "urn:etoegang:1.9:EntityConcernedID:KvKnr": kvk,
            "urn:etoegang:core:ActingSubjectID": pseudonym,
            "urn:etoegang:core:LevelOfAssurance": LOA.format(loa),
        },
        "acr": LOA.format(loa),
    }


ACCOUNTS = {
    # eHerkenning: the acting person's pseudonym, the company they act for, the level of assurance.
    "jan": _eh("PSEUDO-JAN", KVK_A, 3),
    "jan-voor-b": _eh("PSEUDO-JAN", KVK_B, 3),  # the same person, now acting for another company
    "piet-eh2": _eh("PSEUDO-PIET", KVK_A, 2),
    "kees-eh4": _eh("PSEUDO-KEES", KVK_A, 4),
    # The municipality's identity provider: e-mail, and whether the login used a second factor.
    "sanne": {"claims": {"email": STAFF_SRTEAM_EMAIL, "email_verified": True}, "acr": "mfa", "amr": ["pwd", "otp"]},
    "ingrid": {"claims": {"email": STAFF_INKOOP_EMAIL, "email_verified": True}, "acr": "pwd", "amr": ["pwd"]},
    "onbekend": {"claims": {"email": "niemand@gemeente.test"}, "acr": "pwd", "amr": ["pwd"]},
}


def ensure_installed() -> None:
    """``npm ci`` in tests/oidc/provider when oidc-provider is not installed yet (a fresh clone)."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the OpenID Connect provider of the tests (bash scripts/system-deps.sh)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=600)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen
    discovery: dict = field(default_factory=dict)
    workdir: str = ""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_provider(accounts=None, *, timeout=30) -> RunningProvider:
    ensure_installed()
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed for the OpenID Connect provider of the tests")
    workdir = tempfile.mkdtemp(prefix="sroi-oidc-")
    accounts_file = Path(workdir) / "accounts.json"
    accounts_file.write_text(json.dumps({"accounts": accounts or ACCOUNTS}))
    port = _free_port()
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_ACCOUNTS_FILE": str(accounts_file), "NODE_ENV": "test"}
    process = subprocess.Popen(
        [node, str(PROVIDER_DIR / "server.mjs")], cwd=PROVIDER_DIR, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if line.startswith("OIDC-PROVIDER READY"):
            break
    else:
        process.kill()
        raise RuntimeError("the OpenID Connect provider did not start:\n" + "".join(seen))
    if process.poll() is not None:
        raise RuntimeError("the OpenID Connect provider stopped:\n" + "".join(seen))
    # Keep reading its output, so a full pipe never blocks it.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    return RunningProvider(issuer=issuer, process=process, discovery=discovery, workdir=workdir)


def provider_env(provider: RunningProvider, prefix: str, client: str) -> dict:
    """The environment variables an operator sets for this provider (prefix OIDC_ or SROI_STAFF_OIDC_)."""
    d = provider.discovery
    return {
        f"{prefix}RP_CLIENT_ID": f"sroi-{client}",
        f"{prefix}RP_CLIENT_SECRET": f"{client}-geheim",
        f"{prefix}OP_ISSUER": d["issuer"],
        f"{prefix}OP_AUTHORIZATION_ENDPOINT": d["authorization_endpoint"],
        f"{prefix}OP_TOKEN_ENDPOINT": d["token_endpoint"],
        f"{prefix}OP_JWKS_ENDPOINT": d["jwks_uri"],
        f"{prefix}OP_LOGOUT_ENDPOINT": d["end_session_endpoint"],
    }


def portal_settings(provider: RunningProvider, monkeypatch, *, staff_userinfo=True, **extra_env) -> dict:
    """``SROI_OIDC_PROVIDERS`` for both clients of ``provider``, from environment variables through
    the settings module's own functions. ``extra_env`` adds or overrides variables."""
    from sroi_portal import settings as portal_settings_module  # noqa: PLC0415

    env = {**provider_env(provider, "OIDC_", "eherkenning"), **provider_env(provider, "SROI_STAFF_OIDC_", "medewerkers")}
    if staff_userinfo:
        env["SROI_STAFF_OIDC_OP_USER_ENDPOINT"] = provider.discovery["userinfo_endpoint"]
    env.update(extra_env)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    providers = {
        "eherkenning": portal_settings_module._eherkenning_provider(),
        "medewerkers": portal_settings_module._staff_provider(),
    }
    return {key: conf for key, conf in providers.items() if conf}


def log_in_at_provider(authorize_url: str, login: str, *, session: requests.Session | None = None) -> str:
    """Follow the provider from its authorization URL through the login form as ``login``; returns the
    URL the provider sends the browser back to (the portal's callback with code and state)."""
    session = session or requests.Session()
    issuer = "{0.scheme}://{0.netloc}".format(urlsplit(authorize_url))
    url, method, data = authorize_url, "get", None
    for _ in range(10):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            location = urljoin(url, response.headers["Location"])
            if not location.startswith(issuer):
                return location
            url, method, data = location, "get", None
            continue
        if response.status_code == 200 and "/interaction/" in url and 'name="login"' in response.text:
            url, method, data = url.rstrip("/") + "/login", "post", {"login": login}
            continue
        raise AssertionError(f"unexpected answer of the provider at {url}: {response.status_code} {response.text[:300]}")
    raise AssertionError("the provider kept redirecting")


def sign_in_with_client(client, key: str, login: str, *, next_url: str = ""):
    """The code flow for provider ``key`` as ``login``, with the Django test ``client`` (host 127.0.0.1).
    Returns the response of the portal's callback."""
    from django.urls import reverse  # noqa: PLC0415

    start = reverse(f"oidc_{key}_init") + (f"?next={next_url}" if next_url else "")
    response = client.get(start, HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 302, response.status_code
    callback = log_in_at_provider(response["Location"], login)
    parts = urlsplit(callback)
    assert parts.hostname == PORTAL_HOST, callback
    return client.get(f"{parts.path}?{parts.query}", HTTP_HOST=PORTAL_HOST)
