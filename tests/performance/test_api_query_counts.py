"""API v1 list endpoints run a fixed number of queries whatever the number of rows (issue #7).

Each list is fetched with one row and with thirty rows (``pageSize``); both must run the same number
of queries, and no more than the pinned number, so that an N+1 cannot come back unnoticed. The data
is the load generator's smoke-test size: contracts with obligations, registrations of every kind
(placements, bonuses, invoices) with per-year values, candidates and overlap flags.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sroi_portal import loaddata
from tests.factories import GemeenteFactory

# Pinned: token authentication (1) + count (1) + the page (1) + per-page grouped/prefetched queries.
# Registraties: +1 for the processing log's single INSERT when the page holds special-category rows
# (sroi_portal.processing_log; the one- and thirty-row pages are compared without that INSERT);
# +2 for the evidence (issue #12): the uploads with their kind, the kinds the page's bouwblokken need.
PINNED = {
    "/api/v1/contracten": 4,
    "/api/v1/registraties": 8,
    "/api/v1/bouwblokken": 3,
    "/api/v1/leveranciers": 3,
    "/api/v1/gemeenten": 3,
}


def client_for(user):
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _get(client, url, size):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"pageSize": size})
    assert response.status_code == 200, response.content[:500]
    log_inserts = [q for q in queries if q["sql"].startswith("INSERT") and "sroi_portal_verwerking" in q["sql"]]
    assert len(log_inserts) <= 1, f"{url}: {len(log_inserts)} processing-log inserts for one page"
    return response.json()["results"], len(queries) - len(log_inserts)


@pytest.fixture
def world(load_mini):
    # Thirty municipalities for the gemeenten list (the generator's smoke size has two).
    for n in range(30):
        GemeenteFactory(code=f"GM{8100 + n:04d}", naam=f"Testgemeente {n}")
    return loaddata.fixtures()["users"]


@pytest.mark.parametrize("url", sorted(PINNED))
def test_list_runs_the_same_queries_for_one_and_thirty_rows(world, url, django_assert_max_num_queries):
    # A functional administrator sees everything; an SR-team member and a supplier see their scope.
    for role in ("beheerder", "srteam", "leverancier"):
        client = client_for(world[role])
        _get(client, url, 1)  # warm-up: content types, translations
        one, queries_one = _get(client, url, 1)
        with django_assert_max_num_queries(PINNED[url]):
            many, queries_many = _get(client, url, 30)
        assert len(one) == 1
        if role == "beheerder":
            assert len(many) == 30
        elif url != "/api/v1/leveranciers":  # a supplier sees only its own organisation
            assert len(many) > 1, f"{url} as {role}: too few rows to show an N+1"
        assert queries_many == queries_one, f"{url} as {role}: {queries_one} queries for 1 row, {queries_many} for 30"
