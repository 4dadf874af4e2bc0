"""The portal answers in Dutch whatever language the browser asks for, until a translation is complete
(settings.LANGUAGES holds only the languages listed in SROI_LANGUAGES; default only Dutch).

A browser set to English used to get ``lang="en"`` on Dutch pages, Django's own texts in English
("This field is required.", "Old password", DRF's "Authentication credentials were not provided.")
and numbers such as "247,583", which a Dutch reader takes for a decimal."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from banenafspraak import demo

FOREIGN = ["en-US,en;q=0.9", "de", "fr", "fr-FR,fr;q=0.9,en;q=0.8"]
REQUIRED = "Dit veld is vereist."  # Django's "This field is required." in its Dutch catalogue (DRF's wording)


def html_lang(response) -> str:
    return re.search(r"<html[^>]*\blang=\"([^\"]*)\"", response.content.decode()).group(1)


def assert_dutch(response):
    assert html_lang(response) == "nl"
    assert response["Content-Language"] == "nl"


@pytest.mark.parametrize("accept", FOREIGN)
def test_the_login_page_and_its_errors_are_dutch(client, db, accept):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    assert page.status_code == 200
    assert_dutch(page)
    refused = client.post(reverse("login"), {}, HTTP_ACCEPT_LANGUAGE=accept)
    assert_dutch(refused)
    text = refused.content.decode()
    assert REQUIRED in text
    assert "This field is required" not in text


@pytest.mark.parametrize("accept", FOREIGN)
def test_a_supplier_page_is_dutch(client, team, accept):
    client.force_login(team["leverancier_a"])
    overview = client.get(reverse("bouwblokken:overzicht"), HTTP_ACCEPT_LANGUAGE=accept)
    assert overview.status_code == 200
    assert_dutch(overview)
    # Django's own form (labels and errors come from Django's catalogue).
    form = client.get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE=accept)
    assert_dutch(form)
    assert "Oud wachtwoord" in form.content.decode() and "Old password" not in form.content.decode()
    refused = client.post(reverse("password_change"), {}, HTTP_ACCEPT_LANGUAGE=accept)
    assert REQUIRED in refused.content.decode()


@pytest.mark.parametrize("accept", FOREIGN)
def test_a_staff_page_shows_dutch_numbers(client, team, accept):
    demo.seed_region()  # the UWV table: regional totals in the hundred thousands
    client.force_login(team["srteam"])
    page = client.get(reverse("banenafspraak:regio"), HTTP_ACCEPT_LANGUAGE=accept)
    assert page.status_code == 200
    assert_dutch(page)
    text = page.content.decode()
    assert "247.583" in text
    assert "247,583" not in text


@pytest.mark.parametrize("accept", FOREIGN)
def test_an_api_problem_is_dutch(client, db, accept):
    response = client.get("/api/v1/contracten", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == "nl"
    body = response.json()
    assert body["title"] == "Niet aangemeld"
    assert body["detail"] == "Authenticatiegegevens zijn niet opgegeven."


def test_a_language_cookie_does_not_switch_either(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = client.post(reverse("login"), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert_dutch(refused)
    assert REQUIRED in refused.content.decode()


def test_only_dutch_is_offered_by_default():
    assert [code for code, _name in settings.LANGUAGES] == ["nl"]
    assert settings.LANGUAGE_CODE == "nl"


def _load_settings(**env):
    return subprocess.run(
        [sys.executable, "-c", "import sroi_portal.settings as s; print([c for c, n in s.LANGUAGES])"],
        cwd=Path(settings.BASE_DIR), capture_output=True, text=True, timeout=60,
        env={**os.environ, "SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "", **env},
    )


def test_a_language_without_a_catalogue_cannot_be_switched_on():
    """Listing English while locale/en holds no catalogue is refused at start-up, with the reason."""
    assert not (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo").exists()
    result = _load_settings(SROI_LANGUAGES="nl,en")
    assert result.returncode != 0
    assert "SROI_LANGUAGES lists 'en'" in result.stderr
    assert _load_settings(SROI_LANGUAGES="nl").stdout.strip() == "['nl']"
