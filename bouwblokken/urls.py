"""Pages of the bouwblokken app (server-rendered), mounted at /registraties/: the supplier's overview,
registering, evidence and submitting. Every view goes through sroi_portal.access."""

from django.urls import path

from . import views

app_name = "bouwblokken"

urlpatterns = [
    path("", views.overzicht, name="overzicht"),
    path("contract/<int:pk>/", views.contract_detail, name="contract"),
    path("contract/<int:pk>/nieuw/", views.kies_bouwblok, name="kies_bouwblok"),
    path("contract/<int:pk>/nieuw/<slug:code>/", views.nieuw, name="nieuw"),
    path("contract/<int:pk>/jaar/<int:jaar>/indienen/", views.jaar_indienen, name="jaar_indienen"),
    path("<int:pk>/", views.registratie_detail, name="registratie"),
    path("<int:pk>/wijzigen/", views.wijzigen, name="wijzigen"),
    path("<int:pk>/indienen/", views.indienen, name="indienen"),
    path("<int:pk>/bewijs/", views.bewijs_toevoegen, name="bewijs_toevoegen"),
    path("bewijs/<int:pk>/", views.bewijs_download, name="bewijs"),
]
