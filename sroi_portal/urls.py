from django.contrib import admin
from django.urls import include, path

from sroi_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("api/v1/", include("sroi_portal.api.urls")),
    path("beheer/verwerkingen/", include("sroi_portal.beheer_urls")),  # before the admin's catch-all
    path("beheer/", admin.site.urls),
    path("gezondheid", views.health, name="health"),
    path("account/", include("sroi_portal.accounts.urls")),
    path("controle/", include("bouwblokken.urls_verification")),
    path("contracten/", include("contracts.urls")),
    path("registraties/", include("bouwblokken.urls")),
    path("banenafspraak/", include("banenafspraak.urls")),
    path("rapportage/", include("reporting.urls")),
    path("raad/", include("sroi_portal.raad_urls")),
]

handler403 = "sroi_portal.views_errors.permission_denied"
handler404 = "sroi_portal.views_errors.not_found"
handler500 = "sroi_portal.views_errors.server_error"
