"""Every URL of the portal refuses whoever may not see it (issue #3, access).

The runner walks the whole URL resolver (the Django admin included; not static/media serving),
collects every named pattern and fails when a name has no ``Rule`` in any
``tests/access/matrix_*.py`` module, when a pattern has no name, or when a rule names a URL that
does not exist. Then, per rule and per role of the test world (``tests/access/world.py``):

- GET (when "get" is in ``methods``): a role in ``read`` gets ``ok_status``; anonymous is sent to
  the login page (pages) or gets 401/403 (API, under /api/), unless the rule is ``public``, in which
  case anonymous gets ``ok_status`` too; any other signed-in role gets 403 or 404.
- every other method in ``methods`` (post, patch, put, delete): a role not in ``write`` gets 403 or
  404 (anonymous: the login redirect, or 401/403 on the API) and the database is unchanged
  afterwards. Roles in ``write`` are not exercised here; their flows have their own tests.
"""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.rules import ROLES, Rule
from tests.access.world import world  # noqa: F401  (fixture)

SKIPPED_NAMESPACES = set()
SKIPPED_VIEWS = {"django.views.static.serve", "django.contrib.staticfiles.views.serve"}
# The admin's unnamed patterns: its catch-all and each model's "<id>/" redirect to the change page.
# Both go through the same gate (PortalAdminSite.admin_view); tests/trust/test_admin_privacy.py tries them.
SKIPPED_UNNAMED = {"django.contrib.admin.sites.AdminSite.catch_all_view", "django.views.generic.base.RedirectView"}
SNAPSHOT_APPS = {"sroi_portal", "contracts", "bouwblokken", "banenafspraak", "reporting", "authtoken"}
WRITE_METHODS = ("post", "put", "patch", "delete")


def _view_path(pattern: URLPattern) -> str:
    callback = pattern.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return f"{view.__module__}.{getattr(view, '__qualname__', view.__class__.__name__)}"


def collect_patterns(resolver=None, namespace=None, prefix=""):
    """(name or None, route) for every URL pattern below ``resolver``, namespaced like ``reverse`` wants."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or pattern.app_name in SKIPPED_NAMESPACES:
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from collect_patterns(pattern, inner, route)
        else:
            if _view_path(pattern) in SKIPPED_VIEWS:
                continue
            if pattern.name is None:
                if namespace == "admin" and _view_path(pattern) in SKIPPED_UNNAMED:
                    continue
                yield None, route
            else:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def load_rules() -> tuple[dict[str, Rule], list[str]]:
    """All ``ENTRIES`` of ``tests/access/matrix_*.py``, and the names defined in more than one module."""
    rules, duplicates = {}, []
    for path in sorted(Path(__file__).parent.glob("matrix_*.py")):
        module = importlib.import_module(f"tests.access.{path.stem}")
        for name, rule in module.ENTRIES.items():
            if name in rules:
                duplicates.append(f"{name} ({path.name})")
            rules[name] = rule
    return rules, duplicates


PATTERNS = list(collect_patterns())
URL_NAMES = sorted({name for name, _route in PATTERNS if name})
RULES, DUPLICATES = load_rules()


def test_every_url_pattern_has_a_name_and_an_access_rule():
    unnamed = sorted(route for name, route in PATTERNS if name is None)
    missing = [name for name in URL_NAMES if name not in RULES]
    problems = []
    if unnamed:
        problems.append("URL patterns without a name (give each a name and an access rule): " + ", ".join(unnamed))
    if missing:
        problems.append(
            "URLs without an access rule (add a Rule to tests/access/matrix_<app>.py): " + ", ".join(missing)
        )
    if DUPLICATES:
        problems.append("URL names with a rule in more than one matrix module: " + ", ".join(DUPLICATES))
    assert not problems, "\n".join(problems)


def test_every_access_rule_names_an_existing_url():
    stale = sorted(set(RULES) - set(URL_NAMES))
    assert not stale, "Access rules for URLs that do not exist (remove or rename them): " + ", ".join(stale)


def test_the_runner_sees_the_portal():
    """Guards the walker itself: it must find pages, account URLs, the API and the Django admin."""
    assert "home" in URL_NAMES and "login" in URL_NAMES
    assert any(name.startswith("api:") for name in URL_NAMES)
    assert any(name.startswith("bouwblokken:") for name in URL_NAMES)
    assert "admin:index" in URL_NAMES and "admin:bouwblokken_registratie_change" in URL_NAMES


# --- per URL ------------------------------------------------------------------------------------

def _snapshot():
    """Every row of the portal's own tables (and their history), to prove a refused write changed nothing."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            state[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return state


def _login_url():
    return resolve_url(settings.LOGIN_URL)


def _request(client, method, url, data, *, api):
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")
    if method == "post":
        return client.post(url, data=data)
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def _refusal_problem(response, *, role, api) -> str | None:
    status = response.status_code
    if role == "anonymous":
        if api:
            return None if status in (401, 403) else f"expected 401/403, got {status}"
        location = response.headers.get("Location", "")
        if status == 302 and location.startswith(_login_url()):
            return None
        return f"expected a redirect to the login page, got {status} {location}".strip()
    return None if status in (403, 404) else f"expected 403/404, got {status}"


def _check_url(client, world, name):  # noqa: F811 (world is the fixture value)
    rule = RULES[name]
    kwargs = rule.kwargs(world)
    url = reverse(name, args=kwargs) if isinstance(kwargs, (list, tuple)) else reverse(name, kwargs=kwargs)
    if rule.query:
        url = f"{url}?{rule.query}"
    api = url.startswith("/api/")
    problems = []

    def sign_in(role):
        client.logout()
        user = world.users[role]
        if user is not None:
            client.force_login(user)

    if "get" in rule.methods:
        for role in ROLES:
            sign_in(role)
            response = _request(client, "get", url, None, api=api)
            allowed = role in rule.read or (role == "anonymous" and rule.public)
            if allowed:
                if response.status_code != rule.ok_status:
                    problems.append(f"GET as {role}: expected {rule.ok_status}, got {response.status_code}")
            elif problem := _refusal_problem(response, role=role, api=api):
                problems.append(f"GET as {role}: {problem}")

    for method in (m for m in rule.methods if m in WRITE_METHODS):
        for role in ROLES:
            if role in rule.write:
                continue
            sign_in(role)
            before = _snapshot()
            response = _request(client, method, url, rule.data(world), api=api)
            if problem := _refusal_problem(response, role=role, api=api):
                problems.append(f"{method.upper()} as {role}: {problem}")
            changed = [label for label, rows in _snapshot().items() if rows != before.get(label)]
            if changed:
                problems.append(f"{method.upper()} as {role} changed the database: {', '.join(changed)}")
    return url, problems


@pytest.mark.parametrize("name", [name for name in URL_NAMES if name in RULES])
def test_access(name, client, world):  # noqa: F811
    url, problems = _check_url(client, world, name)
    assert not problems, f"{name} ({url}):\n  " + "\n  ".join(problems)
