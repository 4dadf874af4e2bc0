"""Pages of the banenafspraak app (server-rendered). Every view goes through banenafspraak.access."""

from django.urls import path

from . import views

app_name = "banenafspraak"

urlpatterns: list = [
    path("", views.overzicht, name="overzicht"),
    path("werkgevers/nieuw/", views.werkgever_nieuw, name="werkgever_nieuw"),
    path("werkgevers/<int:pk>/", views.werkgever, name="werkgever"),
    path("werkgevers/<int:pk>/onderdelen/nieuw/", views.onderdeel_nieuw, name="onderdeel_nieuw"),
    path("werkgevers/<int:pk>/doelen/nieuw/", views.doel_nieuw, name="doel_nieuw"),
    path("werkgevers/<int:pk>/tellingen/nieuw/", views.telling_nieuw, name="telling_nieuw"),
    path("werkgevers/<int:pk>/dienstverbanden/nieuw/", views.dienstverband_nieuw, name="dienstverband_nieuw"),
    path("raad/", views.raad, name="raad"),
    path("regio/", views.regio, name="regio"),
    path("regio/uwv-import/", views.uwv_import, name="uwv_import"),
    path("regio/uwv-sjabloon.csv", views.uwv_sjabloon, name="uwv_sjabloon"),
    path("regio/doelstellingen-import/", views.doelstellingen_import, name="doelstellingen_import"),
    path("regio/doelstellingen-sjabloon.csv", views.doelstellingen_sjabloon, name="doelstellingen_sjabloon"),
]
