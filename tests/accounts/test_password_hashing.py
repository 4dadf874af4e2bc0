"""Passwords are hashed with Argon2 (cheap in CPU per sign-in, memory-hard); an account whose
password was stored with PBKDF2 signs in as before and gets an Argon2 hash at that sign-in."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from sroi_portal.models import User

PASSWORD = "Lang-genoeg-wachtwoord-2026"
PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture
def production_hashers(settings):
    # The autouse fixture of this folder sets the fast MD5 hasher; these tests need the real list.
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    return settings


def test_the_production_settings_hash_with_argon2_first():
    from sroi_portal import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in project_settings.PASSWORD_HASHERS


@pytest.mark.django_db
def test_a_new_password_is_stored_as_argon2(production_hashers):
    user = User.objects.create_user(username="nieuw", email="nieuw@example.nl", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_a_pbkdf2_password_is_upgraded_to_argon2_at_the_next_sign_in(production_hashers, client, team):
    user = team["leverancier_a"]  # a supplier: no second step after the password
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")

    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302  # signed in with the old hash
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")
    client.post(reverse("logout"))
    again = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert again.status_code == 302  # and with the new one
