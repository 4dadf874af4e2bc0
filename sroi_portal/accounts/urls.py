"""Account pages: log in with e-mail, log out, password reset, invitation links."""

from django.urls import path

urlpatterns: list = []
