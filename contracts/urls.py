"""Pages of the contracts app (server-rendered). Every view goes through sroi_portal.access."""

from django.urls import path

app_name = "contracts"

urlpatterns: list = []
