"""Error pages (403, 404, 500, a form refused by the CSRF check): Dutch, in the portal's style, with a
way back; under /api/ problem+json. The suite runs with DEBUG off, as production does.

Some tests use this module as the URLconf (``pytest.mark.urls(__name__)``): the portal's URLs and
handlers plus views that fail on purpose."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject

from sroi_portal import views_errors
from sroi_portal.urls import handler403, handler404, handler500  # noqa: F401
from sroi_portal.urls import urlpatterns as portal_urlpatterns


def _boom(request):
    raise RuntimeError("kapot")


def _forbidden_with_reason(request):
    raise PermissionDenied("Alleen de functioneel beheerder publiceert open data.")


urlpatterns = [
    path("test/kapot/", _boom),
    path("test/verboden/", _forbidden_with_reason),
    path("api/v1/test-kapot", _boom),
    path("api/v1/test-verboden", _forbidden_with_reason),
    *portal_urlpatterns,
]

ENGLISH = "en-US,en;q=0.9"


def html_lang(html: str) -> str:
    return re.search(r'<html[^>]*\blang="([^"]*)"', html).group(1)


def links(html: str) -> dict:
    """Link text -> href of the page's main content."""
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    return {re.sub(r"<[^>]+>", "", text).strip(): href for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', main, re.DOTALL)}


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.DOTALL).group(1).strip()


def assert_portal_page(response, status, title):
    assert response.status_code == status
    html = response.content.decode()
    assert html_lang(html) == "nl"
    assert h1(html) == title
    assert links(html)["Naar de startpagina"] == "/"
    assert "css/portal.css" in html  # the portal's own style
    return html


def test_the_suite_runs_with_debug_off():
    assert settings.DEBUG is False


# --- 404 ---------------------------------------------------------------------------------------


def test_404_is_a_dutch_portal_page_with_the_way_back(client, team):
    client.force_login(team["leverancier_a"])
    response = client.get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE=ENGLISH, HTTP_REFERER="http://testserver/registraties/")
    html = assert_portal_page(response, 404, "Pagina niet gevonden")
    assert "Deze pagina bestaat niet of u heeft er geen toegang toe." in html
    assert links(html)["Terug naar de vorige pagina"] == "http://testserver/registraties/"
    assert 'class="main-nav"' in html  # the menu is there: the user is still in the portal


def test_404_offers_no_way_back_to_another_site(client, db):
    response = client.get("/bestaat-niet/", HTTP_REFERER="https://elders.example/pagina")
    html = assert_portal_page(response, 404, "Pagina niet gevonden")
    assert "Terug naar de vorige pagina" not in html and "elders.example" not in html


def test_404_under_the_api_stays_problem_json(client, db):
    response = client.get("/api/v1/bestaat-niet", HTTP_ACCEPT_LANGUAGE=ENGLISH)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Deze URL bestaat niet."


# --- 403 ---------------------------------------------------------------------------------------


def test_403_is_a_dutch_portal_page(client, team):
    client.force_login(team["leverancier_a"])
    response = client.get(reverse("contracts:list"), HTTP_ACCEPT_LANGUAGE=ENGLISH)
    html = assert_portal_page(response, 403, "Geen toegang")
    assert "U heeft geen toegang tot deze pagina." in html
    assert "Forbidden" not in html


@pytest.mark.urls(__name__)
def test_403_shows_the_reason_and_offers_to_log_in(client, db):
    response = client.get("/test/verboden/")
    html = assert_portal_page(response, 403, "Geen toegang")
    assert "Alleen de functioneel beheerder publiceert open data." in html
    assert links(html)["Inloggen"] == "/account/inloggen/?next=%2Ftest%2Fverboden%2F"


@pytest.mark.urls(__name__)
def test_403_under_the_api_is_problem_json(client, team):
    response = client.get("/api/v1/test-verboden")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Geen toegang"
    assert response.json()["detail"] == "Alleen de functioneel beheerder publiceert open data."
    # The API's own views still answer their 403 themselves.
    client.force_login(team["leverancier_a"])
    refused = client.post("/api/v1/leveranciers", {"naam": "Nieuw B.V.", "kvkNummer": "11223344"},
                          content_type="application/json")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == "U mag geen leveranciers registreren."


# --- CSRF --------------------------------------------------------------------------------------


def test_a_form_refused_by_the_csrf_check_gets_a_dutch_page_and_nothing_happens(team):
    assert settings.CSRF_FAILURE_VIEW == "sroi_portal.views_errors.csrf_failure"
    client = Client(enforce_csrf_checks=True)
    client.force_login(team["srteam"])
    response = client.post(reverse("logout"), HTTP_ACCEPT_LANGUAGE=ENGLISH, HTTP_REFERER="http://testserver/contracten/")
    html = assert_portal_page(response, 403, "Formulier niet verstuurd")
    assert "Er is niets opgeslagen." in html
    assert links(html)["Terug naar de vorige pagina"] == "http://testserver/contracten/"
    assert "CSRF verification failed" not in html
    # The refused logout did not happen.
    assert client.get(reverse("home")).status_code == 200


def test_the_csrf_page_under_the_api_is_problem_json(rf):
    response = views_errors.csrf_failure(rf.post("/api/v1/contracten"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


# --- 500 ---------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_500_is_a_dutch_page_with_the_way_back(team):
    client = Client(raise_request_exception=False)
    client.force_login(team["srteam"])
    response = client.get("/test/kapot/", HTTP_ACCEPT_LANGUAGE=ENGLISH)
    html = assert_portal_page(response, 500, "Er ging iets mis")
    assert "Probeer het over een paar minuten opnieuw." in html
    assert "Server Error" not in html


@pytest.mark.urls(__name__)
def test_500_under_the_api_stays_problem_json(db):
    response = Client(raise_request_exception=False).get("/api/v1/test-kapot")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Er ging iets mis aan onze kant."


def _unusable(what):
    def fail():
        raise AssertionError(f"the 500 page read the {what}")
    return SimpleLazyObject(fail)


def test_500_renders_without_the_database_the_session_or_the_user(django_db_blocker):
    """The database may be what failed: the page reads nothing from it, nor from the request."""
    request = RequestFactory().get("/contracten/")
    request.user = _unusable("user")
    request.session = _unusable("session")
    with django_db_blocker.block():
        response = views_errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert html_lang(html) == "nl" and h1(html) == "Er ging iets mis"
    assert links(html)["Naar de startpagina"] == "/"


def test_500_still_answers_in_dutch_when_its_template_fails(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'css/portal.css'")

    monkeypatch.setattr(views_errors.loader, "render_to_string", broken)
    response = views_errors.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert html_lang(html) == "nl" and h1(html) == "Er ging iets mis"
    assert links(html)["Naar de startpagina"] == "/"
