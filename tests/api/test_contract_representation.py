"""GET /api/v1/contracten builds each contract as a plain dict (contracts.api.serializers,
ContractSerializer.to_representation) instead of DRF's generic field-by-field path with three nested
serializers per contract. The field names, their order and the value formats are a contract with
outside clients: every contract of a generated data set must come out exactly as the generic path
over the declared fields gives it."""

import json

import pytest
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from contracts.api.serializers import (
    OBLIGATION_REASONS,
    ContractSerializer,
    RealisatieSerializer,
    VerplichtingSerializer,
)
from contracts.selectors import Realisatie, fulfilment
from sroi_portal import loaddata


class GenericContractSerializer(ContractSerializer):
    """ContractSerializer as it was: DRF's Serializer.to_representation over the declared fields, with
    the nested VerplichtingSerializer and RealisatieSerializer instantiated per contract."""

    def to_representation(self, contract):
        return serializers.Serializer.to_representation(self, contract)

    def get_verplichting(self, contract):
        return VerplichtingSerializer({
            "van_toepassing": contract.verplichting_van_toepassing,
            "percentage": contract.verplichting_percentage,
            "bedrag": contract.verplichting_bedrag,
            "reden": str(OBLIGATION_REASONS.get(contract.verplichting_reden, "")),
            "reden_code": contract.verplichting_reden,
        }).data

    def get_realisatie(self, contract):
        found = self.context.get("realisatie", {}).get(contract.pk, Realisatie())
        figures = fulfilment(contract, goedgekeurd=contract.goedgekeurd, in_behandeling=contract.in_behandeling,
                             gerealiseerd=found.gerealiseerd, afgerekend=found.afgerekend)
        return RealisatieSerializer({
            "peildatum": figures.peildatum, "gerealiseerd": figures.gerealiseerd,
            "goedgekeurd": figures.goedgekeurd, "in_behandeling": figures.in_behandeling,
            "percentage": figures.percentage, "verwacht": figures.verwacht, "status": figures.status,
            "prognose": figures.prognose, "per_jaar": found.per_jaar,
        }).data


@pytest.fixture
def world(db):
    loaddata.generate(scale=loaddata.SCALES["mini"], seed=11, figures=False)
    return loaddata.fixtures()["users"]


def test_the_contract_list_is_exactly_what_the_declared_fields_give(world):
    token, _ = Token.objects.get_or_create(user=world["beheerder"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/contracten", {"pageSize": 100})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) >= 50

    from contracts.api.views import ContractViewSet

    view = ContractViewSet()
    view.request = response.wsgi_request
    view.format_kwarg = None
    contracts = {c.pk: c for c in view.get_queryset().filter(pk__in=[r["id"] for r in results])}
    context = view._context_for(list(contracts.values()))
    context["request"] = response.wsgi_request
    kinds = set()
    for row in results:
        expected = GenericContractSerializer(contracts[row["id"]], context=context).data
        # Same keys in the same order, same JSON text (strings for money, ISO dates, null where null).
        assert list(row) == list(expected)
        assert json.dumps(row, sort_keys=False) == json.dumps(json.loads(json.dumps(expected, default=str)))
        kinds.add((row["realisatie"]["percentage"] is None, bool(row["realisatie"]["perJaar"]),
                   row["verplichting"]["vanToepassing"]))
    # The sample covers the shapes that differ: with and without a percentage, per-year rows, obligations.
    assert (False, True, True) in kinds and any(k[0] for k in kinds)
