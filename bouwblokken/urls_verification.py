"""SR-team verification pages (queue, decide, bulk approve)."""

from django.urls import path

from . import views_verification as views

app_name = "controle"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("goedkeuren", views.bulk_approve, name="bulk_approve"),
    path("<int:pk>/", views.registratie_detail, name="registratie"),
    path("<int:pk>/beoordeling", views.decide, name="decide"),
]
