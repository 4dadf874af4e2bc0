"""The back office keeps the privacy rules (issue #11, item 5).

The Django admin (/beheer/) shows no special-category data to anybody, the functional administrator
and a superuser included: registrations of a ``gevoelig`` bouwblok (and bonuses on them), their
follow-ups and banenafspraak person records are not in a list, a filter, a raw-id pop-up, a change,
delete or history page (no admin has autocomplete fields; an autocomplete would use the same
filtered queryset) (Django's or simple-history's); it deletes no registration or decision, one
by one, in bulk or as a side effect of deleting something else; a restore of an old version of a
registration is refused; every change or history page of a registration with a candidate is in
the processing log; a bouwblok's ``gevoelig`` cannot be switched off in place, in the admin or in a
shell. Only the functional administrator (or a superuser) gets in at all.

Built on the access matrix's world and the processing-log tests' special-category records.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from banenafspraak.models import Dienstverband
from bouwblokken.models import Bouwblok, Catalogus, Registratie
from contracts.models import Contract
from reporting.models import Vervolg
from sroi_portal.models import Verwerking
from tests.access.world import world  # noqa: F401  (fixture)
from tests.trust.test_processing_log import REF_EMPLOYEE, REF_SUBMITTED, WIA, build_sensitive

pytestmark = pytest.mark.django_db


@pytest.fixture
def sensitive(world):  # noqa: F811
    special = build_sensitive(world)
    special.vervolg = Vervolg.objects.create(registratie=special.submitted)
    return special


def _superuser():
    return get_user_model().objects.create(username="root", email="root@matrix.example", is_staff=True,
                                           is_superuser=True)


@pytest.fixture(params=["beheerder", "superuser"])
def admin_client(request, world):  # noqa: F811
    client = Client()
    client.force_login(world.users["beheerder"] if request.param == "beheerder" else _superuser())
    return client


def _admin(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _special_registrations(s):
    return [s.submitted, s.rejected, s.concept, s.bonus]


# --- nothing special-category is shown -----------------------------------------------------------

def test_special_category_registrations_are_not_in_the_list_or_a_filter(admin_client, world, sensitive):  # noqa: F811
    response = admin_client.get(_admin(Registratie, "changelist"))
    assert response.status_code == 200
    shown = {r.pk for r in response.context["cl"].result_list}
    assert world.registratie_a.pk in shown
    assert not shown & {r.pk for r in _special_registrations(sensitive)}
    assert WIA not in response.text and REF_SUBMITTED not in response.text

    filtered = admin_client.get(_admin(Registratie, "changelist"), {"bouwblok__code": "wia"})
    assert list(filtered.context["cl"].result_list) == [] and WIA not in filtered.text
    popup = admin_client.get(_admin(Registratie, "changelist"), {"_to_field": "id", "_popup": "1"})
    assert not {r.pk for r in popup.context["cl"].result_list} & {r.pk for r in _special_registrations(sensitive)}


def test_special_category_pages_are_404_by_url(admin_client, sensitive):
    for registratie in _special_registrations(sensitive):
        version = registratie.history.order_by("-history_id").first().history_id
        for url in (_admin(Registratie, "change", registratie.pk), _admin(Registratie, "delete", registratie.pk),
                    _admin(Registratie, "history", registratie.pk),
                    _admin(Registratie, "simple_history", registratie.pk, version),
                    f"/beheer/bouwblokken/registratie/{registratie.pk}/"):
            response = admin_client.get(url, follow=True)
            assert response.status_code == 404, (url, response.status_code)
            assert WIA not in response.text and REF_SUBMITTED not in response.text


def test_follow_ups_of_special_category_placements_are_hidden(admin_client, sensitive):
    listing = admin_client.get(_admin(Vervolg, "changelist"))
    assert sensitive.vervolg not in listing.context["cl"].result_list
    for view in ("change", "history", "delete"):
        assert admin_client.get(_admin(Vervolg, view, sensitive.vervolg.pk)).status_code == 404
    add = admin_client.post(_admin(Vervolg, "add"), {"registratie": sensitive.concept.pk})
    assert add.status_code == 200 and "registratie" in add.context["adminform"].form.errors
    assert not Vervolg.objects.filter(registratie=sensitive.concept).exists()


def test_banenafspraak_person_records_are_not_in_the_admin(admin_client, sensitive):
    for url in ("/beheer/banenafspraak/dienstverband/", f"/beheer/banenafspraak/dienstverband/{sensitive.dv.pk}/change/",
                f"/beheer/banenafspraak/dienstverband/{sensitive.dv.pk}/history/"):
        assert admin_client.get(url).status_code == 404, url
    index = admin_client.get(reverse("admin:index"))
    assert index.status_code == 200 and "dienstverband" not in index.text.lower()


# --- no deletes of registrations or decisions --------------------------------------------------------

def test_a_registration_is_not_deleted_one_by_one_or_in_bulk(admin_client, world):  # noqa: F811
    registratie = world.registratie_a
    assert admin_client.get(_admin(Registratie, "delete", registratie.pk)).status_code == 403
    assert admin_client.post(_admin(Registratie, "delete", registratie.pk), {"post": "yes"}).status_code == 403
    listing = admin_client.get(_admin(Registratie, "changelist"))
    action_form = listing.context["action_form"]  # None: no actions at all
    assert action_form is None or "delete_selected" not in dict(action_form.fields["action"].choices)
    admin_client.post(_admin(Registratie, "changelist"),
                      {"action": "delete_selected", "_selected_action": [registratie.pk], "post": "yes"})
    assert Registratie.objects.filter(pk=registratie.pk).exists()


def test_decisions_are_not_deleted(admin_client, world):  # noqa: F811
    from tests.access.matrix_admin import _objects

    objects = _objects(world)
    for label in ("contracts.ontheffing", "contracts.afrekening"):
        obj = objects[label]
        assert admin_client.post(_admin(type(obj), "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("what", ["contract", "regio", "werkgever", "catalogus"])
def test_deleting_what_holds_personal_data_is_refused_and_names_none_of_it(admin_client, world, sensitive, what):  # noqa: F811
    obj = {"contract": world.contract_a, "regio": world.zoetermeer.regio, "werkgever": sensitive.werkgever,
           "catalogus": world.contract_a.catalogus}[what]
    url = _admin(type(obj), "delete", obj.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "persoonsgegevens" in page.text  # "you may not delete ... registraties, kandidaten, besluiten ..."
    for secret in (WIA, REF_SUBMITTED, REF_EMPLOYEE, "WSP-A-001", "A.B."):
        assert secret not in page.text, secret
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Registratie.objects.filter(pk=sensitive.submitted.pk).exists()
    assert Dienstverband.objects.filter(pk=sensitive.dv.pk).exists()


def test_an_old_version_of_a_registration_is_not_restored(admin_client, world):  # noqa: F811
    registratie = world.registratie_a
    versions = registratie.history.count()
    first = registratie.history.order_by("history_id").first()
    response = admin_client.post(_admin(Registratie, "simple_history", registratie.pk, first.history_id), {})
    assert response.status_code == 403
    assert registratie.history.count() == versions  # a restore would have saved a new version


# --- the processing log ---------------------------------------------------------------------------

def test_every_view_of_a_registration_with_a_candidate_is_logged(client, world):  # noqa: F811
    client.force_login(world.users["beheerder"])
    registratie = world.registratie_a
    assert client.get(_admin(Registratie, "changelist")).status_code == 200
    assert not Verwerking.objects.exists()  # the list shows no candidate

    for url in (_admin(Registratie, "change", registratie.pk), _admin(Registratie, "history", registratie.pk),
                _admin(Registratie, "simple_history", registratie.pk,
                       registratie.history.order_by("-history_id").first().history_id)):
        before = Verwerking.objects.count()
        response = client.get(url)
        assert response.status_code == 200
        row = Verwerking.objects.order_by("-pk").first()
        assert Verwerking.objects.count() == before + 1, url
        assert (row.activiteit, row.object_type, row.object_id, row.betrokkene, row.actor) == (
            "beheer-inzien", "registratie", str(registratie.pk), "WSP-A-001", world.users["beheerder"])
        assert row.pad == url and row.trace_id == response["X-Request-ID"]


# --- gevoelig stays on ----------------------------------------------------------------------------

def _wia_bouwblok(world):  # noqa: F811
    return Bouwblok.objects.get(catalogus=world.contract_a.catalogus, code="wia")


def test_gevoelig_cannot_be_switched_off_in_a_shell_or_command(world):  # noqa: F811
    blok = _wia_bouwblok(world)
    blok.gevoelig = False
    with pytest.raises(ValidationError) as refused:
        blok.save()
    assert "nieuwe catalogusversie" in str(refused.value)
    with pytest.raises(ValidationError):
        blok.full_clean()
    assert Bouwblok.objects.get(pk=blok.pk).gevoelig is True

    # A new catalogue version carries such a change; switching it on is always allowed.
    old = world.contract_a.catalogus
    new = Catalogus.objects.create(regio=old.regio, naam="Nieuwe versie", geldig_vanaf="2030-01-01")
    nieuw = Bouwblok.objects.create(catalogus=new, code="wia", naam="WIA", soort="plaatsing",
                                    waarderingswijze="per_jaar", waarde="1000", gevoelig=False)
    nieuw.gevoelig = True
    nieuw.save()
    assert Bouwblok.objects.get(pk=nieuw.pk).gevoelig is True


def test_gevoelig_is_read_only_in_the_admin(admin_client, world):  # noqa: F811
    blok = _wia_bouwblok(world)
    page = admin_client.get(_admin(Bouwblok, "change", blok.pk))
    assert page.status_code == 200 and "gevoelig" not in page.context["adminform"].form.fields
    data = {name: value for name, value in page.context["adminform"].form.initial.items()
            if name in page.context["adminform"].form.fields and value is not None}
    admin_client.post(_admin(Bouwblok, "change", blok.pk), {**data, "hoort_bij": "[]"})
    assert Bouwblok.objects.get(pk=blok.pk).gevoelig is True

    used = world.contract_a.catalogus
    inline = admin_client.get(_admin(Catalogus, "change", used.pk))
    formset = inline.context["inline_admin_formsets"][0].formset
    assert "gevoelig" not in formset.forms[0].fields  # the version is in use: fixed for every bouwblok


# --- who gets in -----------------------------------------------------------------------------------

def test_staff_access_without_the_administrator_role_is_refused(world):  # noqa: F811
    inkoop = world.users["inkoop_x"]
    inkoop.is_staff = True
    inkoop.save(update_fields=["is_staff"])
    inkoop.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(inkoop)
    for url in (reverse("admin:index"), _admin(Registratie, "changelist"), _admin(Contract, "changelist"),
                f"/beheer/contracts/contract/{world.contract_a.pk}/", "/beheer/bestaat-niet/", reverse("admin:login")):
        assert client.get(url).status_code == 403, url


def test_an_administrator_without_admin_access_is_refused(world):  # noqa: F811
    beheerder = world.users["beheerder"]
    beheerder.is_staff = False
    beheerder.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(beheerder)
    assert client.get(reverse("admin:index")).status_code == 403


def test_anonymous_visitors_go_to_the_portal_login(client):
    for url in (reverse("admin:index"), reverse("admin:login") + "?next=/beheer/contracts/", "/beheer/bestaat-niet/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
