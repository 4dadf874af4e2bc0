"""API v1: /api/v1/... without trailing slashes (a trailing slash is a 404, not a redirect).

Each app registers its own resources in ``<app>/api/urls.py`` through ``register(router)``.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from banenafspraak.api import urls as banenafspraak_api
from bouwblokken.api import urls as bouwblokken_api
from contracts.api import urls as contracts_api
from reporting.api import urls as reporting_api

router = SimpleRouter(trailing_slash=False)
for module in (contracts_api, bouwblokken_api, banenafspraak_api, reporting_api):
    module.register(router)

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("", include(router.urls)),
]
