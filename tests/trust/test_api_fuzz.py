"""A short schemathesis run in the suite: every API v1 operation gets a few generated requests
(valid and invalid) through the WSGI app; no 5xx, status codes, content types and bodies as the
OpenAPI schema documents them, and schema-invalid input is rejected. The long run against a dev
server is ``scripts/fuzz-api.sh`` (see docs/security.md)."""

import json
from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance, negative_data_rejection, not_a_server_error, response_schema_conformance,
    status_code_conformance,
)

from bouwblokken import services
from sroi_portal.models import Role
from tests.factories import UserFactory, make_contract

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


def load_schema():
    """The schema as /api/v1/openapi.json serves it, generated without a request (collection time)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from sroi_portal.wsgi import application

    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = application
    return loaded


@pytest.fixture
def wsgi_calls(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis' WSGI host
    # Like Django's test client: keep the test's transaction (a real request would close a
    # connection that is not in autocommit mode).
    request_started.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)


@pytest.fixture
def token(zoetermeer, leverancier_a):
    supplier = UserFactory(username="fuzz-leverancier", role=Role.LEVERANCIER, leverancier=leverancier_a, password=None)
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    registratie = services.register(
        contract=contract, bouwblok_code="ww", kandidaat={"referentie": "WSP-F", "initialen": "F.", "geboortejaar": 1990},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal(36),
    )
    services.submit(registratie=registratie)
    return Token.objects.create(user=supplier).key


schema = load_schema()


@schema.parametrize()
@hypothesis_settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case, token, wsgi_calls):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
