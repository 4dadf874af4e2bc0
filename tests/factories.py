"""factory_boy factories for the domain. The seeded region and catalogues come from the migrations."""

from datetime import date
from decimal import Decimal

import itertools

import factory
from django.contrib.auth import get_user_model

from bouwblokken.seed import REGIO_CODE
from contracts import services as contract_services
from contracts.models import Beleid, Gemeente, Leverancier, Regio

_kenmerken = itertools.count(1)

DEMO_PASSWORD = "Testwachtwoord-2026!"


def regio():
    return Regio.objects.get(code=REGIO_CODE)


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    naam = factory.Sequence(lambda n: f"Gemeente {n}")
    regio = factory.LazyFunction(regio)


class BeleidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beleid

    gemeente = factory.SubFactory(GemeenteFactory)
    geldig_vanaf = date(2015, 1, 1)


class LeverancierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leverancier
        django_get_or_create = ["kvk_nummer"]

    kvk_nummer = factory.Sequence(lambda n: f"{60000000 + n:08d}")
    naam = factory.Sequence(lambda n: f"Bouwbedrijf {n} B.V.")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nl")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def gemeenten(self, create, extracted, **kwargs):
        if create and extracted:
            self.gemeenten.set(extracted)
        if create:
            self.save()


def gemeente_with_policy(code="GM0637", naam="Zoetermeer", **policy) -> Gemeente:
    gemeente = GemeenteFactory(code=code, naam=naam)
    if not gemeente.beleid.exists():
        BeleidFactory(gemeente=gemeente, **policy)
    return gemeente


def make_contract(*, gemeente=None, leverancier=None, user=None, **overrides):
    """A contract through the real service, so its obligation is computed as in production."""
    values = {
        "gemeente": gemeente or gemeente_with_policy(),
        "leverancier": leverancier or LeverancierFactory(),
        "kenmerk": f"ZM-{next(_kenmerken):05d}",
        "omschrijving": "Onderhoud openbare ruimte",
        "categorie": "werken",
        "procedure": "europees",
        "gunningsdatum": date(2024, 2, 1),
        "startdatum": date(2024, 4, 1),
        "einddatum": date(2026, 3, 31),
        "aanneemsom": Decimal("1000000.00"),
        "loonsom": Decimal("400000.00"),
    }
    values.update(overrides)
    return contract_services.create_contract(user=user, **values)
