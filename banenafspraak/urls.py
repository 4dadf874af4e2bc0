"""Pages of the banenafspraak app (server-rendered). Every view goes through sroi_portal.access."""

from django.urls import path

app_name = "banenafspraak"

urlpatterns: list = []
