"""SR-team verification pages (queue, decide, bulk approve)."""

from django.urls import path

app_name = "controle"

urlpatterns: list = []
