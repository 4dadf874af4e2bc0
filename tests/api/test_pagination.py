"""Paging parameters are strict: a client that sends a wrong page or page size is told so (400
naming the parameter, in Dutch) instead of silently getting page 1 or the default size."""

import pytest

from .test_contract_flow import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/gemeenten"


@pytest.fixture
def client(team):
    return client_for(team["srteam"])


def _problem(response, name):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    params = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert name in params, params
    return params[name]


@pytest.mark.parametrize("value", ["abc", "", "0", "-1", "1.5", "²", "last"])
def test_a_page_that_is_not_a_whole_number_from_one_is_refused(client, value):
    assert _problem(client.get(URL, {"page": value}), "page") == "Geef een paginanummer van 1 of hoger."


@pytest.mark.parametrize("value", ["abc", "", "0", "501", "1e2"])
def test_a_page_size_outside_one_to_five_hundred_is_refused(client, value):
    assert _problem(client.get(URL, {"pageSize": value}), "pageSize") == "Geef een paginagrootte van 1 tot en met 500."


@pytest.mark.parametrize("name", ["page", "pageSize"])
def test_a_paging_parameter_given_twice_is_refused(client, name):
    response = client.get(f"{URL}?{name}=1&{name}=2")
    assert _problem(response, name) == "Geef deze parameter één keer op."


def test_good_paging_works_and_a_page_beyond_the_last_is_not_found(client):
    first = client.get(URL, {"pageSize": 1})
    assert first.status_code == 200
    body = first.json()
    assert body["count"] >= 2 and len(body["results"]) == 1
    second = client.get(URL, {"pageSize": 1, "page": 2})
    assert second.status_code == 200
    assert second.json()["results"][0]["code"] != body["results"][0]["code"]
    assert client.get(URL, {"pageSize": 1, "page": body["count"] + 1}).status_code == 404
