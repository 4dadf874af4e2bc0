"""Privacy by design: no BSN field anywhere, evidence in private storage that no URL serves, and no
secret in the repository."""

import importlib
import inspect
import re
import subprocess
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import serializers

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ("sroi_portal", "contracts", "bouwblokken", "banenafspraak", "reporting")

BSN = re.compile(r"bsn|burger\s*service\s*nummer|burgerservicenummer|sofi-?nummer|citizen.?service.?number", re.I)
# A help text may warn *against* entering a BSN ("Nooit een BSN.", "geen BSN"): that is the guard.
WARNING_AGAINST_BSN = re.compile(r"\b(nooit een|geen|never a|no)\s+bsn\b", re.I)


def mentions_bsn(text) -> bool:
    text = str(text or "")
    return bool(BSN.search(WARNING_AGAINST_BSN.sub("", text)))


def project_models():
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in PROJECT_APPS
            or m.__module__.split(".")[0] in PROJECT_APPS]


def test_no_model_field_holds_a_bsn():
    found = []
    models = project_models()
    assert len(models) > 10  # the scan really sees the domain (incl. history tables)
    for model in models:
        for field in model._meta.get_fields():
            texts = [field.name, getattr(field, "column", ""), getattr(field, "verbose_name", "")]
            if any(BSN.search(str(text)) for text in texts) or mentions_bsn(getattr(field, "help_text", "")):
                found.append(f"{model._meta.label}.{field.name}")
    assert found == []


def project_modules(suffix):
    for app in PROJECT_APPS:
        try:
            yield importlib.import_module(f"{app}.{suffix}")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.{suffix}" and not f"{app}.{suffix}".startswith(error.name):
                raise


def classes_in(module, base):
    return [obj for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, base) and obj.__module__ == module.__name__]


def test_no_form_field_asks_for_a_bsn():
    found, seen = [], 0
    for module in project_modules("forms"):
        for form_class in classes_in(module, forms.BaseForm):
            for name, field in form_class.base_fields.items():
                seen += 1
                if BSN.search(name) or BSN.search(str(field.label or "")) or mentions_bsn(field.help_text):
                    found.append(f"{form_class.__qualname__}.{name}")
    assert seen > 10
    assert found == []


def test_no_serializer_field_carries_a_bsn():
    found, seen = [], 0
    for module in list(project_modules("api.serializers")):
        for serializer_class in classes_in(module, serializers.BaseSerializer):
            names = dict(getattr(serializer_class, "_declared_fields", {}))
            meta_fields = getattr(getattr(serializer_class, "Meta", None), "fields", None)
            if isinstance(meta_fields, (list, tuple)):
                names.update({name: None for name in meta_fields if name not in names})
            for name, field in names.items():
                seen += 1
                label = getattr(field, "label", "") if field else ""
                help_text = getattr(field, "help_text", "") if field else ""
                if BSN.search(name) or BSN.search(str(label or "")) or mentions_bsn(help_text):
                    found.append(f"{serializer_class.__qualname__}.{name}")
    assert seen > 20
    assert found == []


def walk_schema(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name in value:
                    yield "property", f"{path}.{name}", name
            if key in ("name", "title"):
                yield key, path, value
            if key == "description":
                yield "description", path, value
            yield from walk_schema(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_schema(value, f"{path}[{i}]")


@pytest.mark.django_db
def test_openapi_schema_has_no_bsn(client):
    schema = client.get("/api/v1/openapi.json").json()
    items = list(walk_schema(schema))
    assert sum(1 for kind, _, _ in items if kind == "property") > 50
    found = [path for kind, path, text in items
             if (kind == "description" and mentions_bsn(text)) or (kind != "description" and BSN.search(str(text)))]
    assert found == []


def test_evidence_storage_is_not_public():
    location = Path(default_storage.location).resolve()
    static_dirs = [Path(settings.STATIC_ROOT).resolve(), *(Path(d).resolve() for d in settings.STATICFILES_DIRS)]
    for static in static_dirs:
        assert not location.is_relative_to(static), f"private storage {location} is under {static}"
        assert not static.is_relative_to(location)
    # And it is not the project directory itself, where a misconfigured web server might look.
    assert location != ROOT.resolve()


def url_patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_url_pattern_serves_files_from_disk():
    from django.views import static

    offenders = [route for route, callback in url_patterns(get_resolver())
                 if callback in (static.serve, static.directory_index) or getattr(callback, "__module__", "") == "django.views.static"]
    assert offenders == []


@pytest.mark.django_db
def test_stored_evidence_cannot_be_fetched_by_its_path(client, tmp_path, settings):
    name = default_storage.save("bewijs/999/proef-privacy", ContentFile(b"%PDF-1.4 vertrouwelijk"))
    try:
        for url in (f"/{name}", f"/media/{name}", f"/static/{name}", f"/private/{name}", f"/var/private/{name}"):
            response = client.get(url)
            assert response.status_code in (302, 404), url
            assert b"vertrouwelijk" not in b"".join(getattr(response, "streaming_content", [response.content]))
    finally:
        default_storage.delete(name)


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    re.compile(r"xox[baprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"(?i)\b[a-z_]*(password|passwd|wachtwoord|secret|api_?key|token)[a-z_]*[\"']?\s*[:=]\s*[\"']([^\"'\s]{6,})[\"']"),
    re.compile(r"(?i)(postgres(ql)?|redis|amqp|smtp)://[^:/\s]+:([^@\s]{3,})@"),
]


def allowed_secret(value: str) -> bool:
    from contracts.demo import DEMO_PASSWORD
    from tests.factories import DEMO_PASSWORD as TEST_PASSWORD

    placeholders = {"pass", "password", "wachtwoord", "secret", "***", "<password>", "${POSTGRES_PASSWORD}"}
    return value in {DEMO_PASSWORD, TEST_PASSWORD} | placeholders or any(
        marker in value.lower() for marker in ("insecure", "not-for-production", "example", "changeme", "test", "dummy")
    )


def test_no_secret_in_tracked_files():
    result = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    files = [name for name in result.stdout.decode().split("\0") if name]
    assert len(files) > 50
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        for pattern in SECRET_PATTERNS:
            for match in pattern.finditer(text):
                value = match.group(match.lastindex) if match.lastindex and pattern.groups >= 2 else match.group(0)
                if pattern.groups >= 2 and allowed_secret(value):
                    continue
                if pattern.groups >= 2 and name.startswith("tests/"):
                    continue  # made-up passwords and tokens of test fixtures; keys are still caught
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {match.group(0)[:60]}")
    assert found == []
