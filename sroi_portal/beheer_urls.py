"""The functional administrator's own pages (besides the Django admin), mounted at /beheer/verwerkingen/."""

from django.urls import path

from . import views_beheer

app_name = "beheer"

urlpatterns = [
    path("", views_beheer.verwerkingen, name="verwerkingen"),
    path("verwerkingen.csv", views_beheer.verwerkingen_csv, name="verwerkingen_csv"),
]
