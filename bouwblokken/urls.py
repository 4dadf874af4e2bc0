"""Pages of the bouwblokken app (server-rendered). Every view goes through sroi_portal.access."""

from django.urls import path

app_name = "bouwblokken"

urlpatterns: list = []
