"""The council's read-only pages, mounted at /raad/."""

from django.urls import path

from . import raad

app_name = "raad"

urlpatterns = [
    path("", raad.index, name="index"),
    path("<str:code>/", raad.gemeente, name="gemeente"),
]
