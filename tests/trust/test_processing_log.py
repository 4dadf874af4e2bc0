"""The processing log (Logboek dataverwerkingen, issue #6 item 4): every place that shows
special-category data writes who saw which record, when and why; nobody else sees the data, and no
log row claims they did.

Built on the access matrix's world (``tests/access/world.py``, one user per role) plus special-category
records: a WIA placement of supplier A (submitted, with evidence), a rejected and a concept WIA
placement, and banenafspraak person records in Zoetermeer and in Utrecht (another region). The
matrix in ``tests/access`` asserts status codes for ordinary registrations; here every such page and
endpoint is exercised with the special-category records for every role, and the content and the log
are checked too.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banenafspraak import services as banen_services
from bouwblokken import services
from bouwblokken.privacy import export_candidate
from sroi_portal import processing_log
from sroi_portal.models import Verwerking
from tests.access.rules import ROLES
from tests.access.world import TINY_PDF, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

REF_SUBMITTED, REF_REJECTED, REF_CONCEPT = "WSP-S-001", "WSP-S-002", "WSP-S-003"
REF_EMPLOYEE, REF_EMPLOYEE_OTHER = "P-S-ZM-1", "P-S-UT-1"
WIA = "Werkzoekende met WIA-uitkering"


@dataclass
class Sensitive:
    submitted: object
    bewijs: object
    rejected: object
    concept: object
    bonus: object
    werkgever: object
    dv: object
    dv_other: object


def _wia(w, referentie, start):
    return services.register(
        contract=w.contract_a, bouwblok_code="wia", user=w.users["leverancier_a"],
        kandidaat={"referentie": referentie, "initialen": "S.", "geboortejaar": 1975},
        startdatum=start, einddatum=start + timedelta(days=300), uren_per_week=Decimal("24"),
    )


def build_sensitive(w) -> Sensitive:
    submitted = _wia(w, REF_SUBMITTED, date(2024, 5, 1))
    bewijs = services.add_evidence(
        registratie=submitted, user=w.users["leverancier_a"], soort="doelgroepverklaring",
        bestand=SimpleUploadedFile("indicatie.pdf", TINY_PDF, content_type="application/pdf"),
    )
    submitted = services.submit(registratie=submitted, user=w.users["leverancier_a"])
    rejected = services.submit(registratie=_wia(w, REF_REJECTED, date(2024, 6, 1)), user=w.users["leverancier_a"])
    rejected = services.decide(registratie=rejected, besluit="afgekeurd", toelichting="Indicatie ontbreekt",
                               user=w.users["srteam_x"])
    concept = _wia(w, REF_CONCEPT, date(2024, 7, 1))
    # A bonus is not special-category itself, but its pages name the WIA placement it belongs to.
    bonus = services.submit(registratie=services.register(
        contract=w.contract_a, bouwblok_code="bonus_opleiding", user=w.users["leverancier_a"],
        hoofdregistratie=submitted, startdatum=date(2024, 6, 1), bedrag=Decimal("1500.00"),
    ), user=w.users["leverancier_a"])
    werkgever = banen_services.create_werkgever(naam="Gemeente Zoetermeer (werkgever)", gemeente=w.zoetermeer)
    other = banen_services.create_werkgever(naam="Gemeente Utrecht (werkgever)", gemeente=w.utrecht)

    def person(employer, referentie):
        return banen_services.record_dienstverband(
            werkgever=employer, referentie=referentie, initialen="D.", geboortejaar=1988, soort="dienstverband",
            startdatum=date(2024, 1, 1), uren_per_week=Decimal("25.5"),
        )

    return Sensitive(submitted=submitted, bewijs=bewijs, rejected=rejected, concept=concept, bonus=bonus,
                     werkgever=werkgever,
                     dv=person(werkgever, REF_EMPLOYEE), dv_other=person(other, REF_EMPLOYEE_OTHER))


@pytest.fixture
def sensitive(world):  # noqa: F811
    return build_sensitive(world)


# --- every place that shows special-category data -------------------------------------------------

@dataclass
class Place:
    name: str
    call: object  # (client, world, sensitive) -> response
    allowed: dict  # role -> (activity, records(sensitive) -> list of (object_type, object, betrokkene))
    secrets: tuple  # texts no one outside ``allowed`` may get
    ok_status: int = 200


def reg(r):
    return ("registratie", r, r.kandidaat.referentie)


def dv(d):
    return ("dienstverband", d, d.referentie)


def _get(name, **kwargs):
    return lambda c, w, s: c.get(reverse(name, kwargs={k: v(w, s) for k, v in kwargs.items()}))


PLACES = [
    Place("bouwblokken:registratie", _get("bouwblokken:registratie", pk=lambda w, s: s.submitted.pk),
          {"leverancier_a": ("registratie-inzien", lambda s: [reg(s.submitted)]),
           "srteam_x": ("registratie-controleren", lambda s: [reg(s.submitted)])},
          (REF_SUBMITTED, WIA)),
    Place("bouwblokken:registratie (bonus bij een WIA-plaatsing)",
          _get("bouwblokken:registratie", pk=lambda w, s: s.bonus.pk),
          {"leverancier_a": ("registratie-inzien", lambda s: [reg(s.bonus)]),
           "srteam_x": ("registratie-controleren", lambda s: [reg(s.bonus)])},
          (REF_SUBMITTED, WIA)),
    Place("controle:registratie (bonus bij een WIA-plaatsing)",
          _get("controle:registratie", pk=lambda w, s: s.bonus.pk),
          {"srteam_x": ("registratie-controleren", lambda s: [reg(s.bonus)])},
          (REF_SUBMITTED, WIA)),
    Place("bouwblokken:contract", _get("bouwblokken:contract", pk=lambda w, s: w.contract_a.pk),
          {"leverancier_a": ("registratie-lijst", lambda s: [reg(s.submitted), reg(s.rejected), reg(s.concept)])},
          # (the bonus row shows its candidate, but not the kind of placement: an ordinary row)
          (REF_REJECTED, REF_CONCEPT, WIA)),
    Place("bouwblokken:overzicht", _get("bouwblokken:overzicht"),
          {"leverancier_a": ("registratie-lijst", lambda s: [reg(s.rejected)])},
          (f"Afgekeurd: {WIA}",)),
    Place("bouwblokken:wijzigen", _get("bouwblokken:wijzigen", pk=lambda w, s: s.rejected.pk),
          {"leverancier_a": ("registratie-inzien", lambda s: [reg(s.rejected)])},
          (REF_REJECTED, WIA)),
    Place("bouwblokken:indienen", _get("bouwblokken:indienen", pk=lambda w, s: s.rejected.pk),
          {"leverancier_a": ("registratie-inzien", lambda s: [reg(s.rejected)])},
          (REF_REJECTED, WIA)),
    Place("bouwblokken:jaar_indienen",
          lambda c, w, s: c.get(reverse("bouwblokken:jaar_indienen", kwargs={"pk": w.contract_a.pk, "jaar": 2024})),
          {"leverancier_a": ("registratie-lijst", lambda s: [reg(s.concept)])},
          (REF_CONCEPT, WIA)),
    Place("bouwblokken:bewijs_toevoegen", _get("bouwblokken:bewijs_toevoegen", pk=lambda w, s: s.submitted.pk),
          {"leverancier_a": ("registratie-inzien", lambda s: [reg(s.submitted)])},
          (REF_SUBMITTED, WIA)),
    Place("bouwblokken:bewijs", _get("bouwblokken:bewijs", pk=lambda w, s: s.bewijs.pk),
          {"leverancier_a": ("bewijsstuk-downloaden", lambda s: [("bewijsstuk", s.bewijs, REF_SUBMITTED)]),
           "srteam_x": ("bewijsstuk-downloaden", lambda s: [("bewijsstuk", s.bewijs, REF_SUBMITTED)])},
          ("%PDF",)),
    Place("controle:queue", _get("controle:queue"),
          {"srteam_x": ("controle-lijst", lambda s: [reg(s.submitted)])},
          (REF_SUBMITTED,)),  # the bouwblok filter lists the catalogue's names: not personal data
    Place("controle:registratie", _get("controle:registratie", pk=lambda w, s: s.submitted.pk),
          {"srteam_x": ("registratie-controleren", lambda s: [reg(s.submitted)])},
          (REF_SUBMITTED, WIA)),
    Place("controle:bulk_approve (bevestigen)",
          lambda c, w, s: c.post(reverse("controle:bulk_approve"), {"registraties": [str(s.submitted.pk)]}),
          {"srteam_x": ("controle-lijst", lambda s: [reg(s.submitted)])},
          (REF_SUBMITTED, WIA)),
    Place("controle:decide (fout in de invoer)",
          lambda c, w, s: c.post(reverse("controle:decide", kwargs={"pk": s.submitted.pk}),
                                 {"besluit": "afgekeurd", "toelichting": "", "versie": str(s.submitted.versie)}),
          {"srteam_x": ("registratie-controleren", lambda s: [reg(s.submitted)])},
          (REF_SUBMITTED, WIA), ok_status=400),
    Place("api:registratie-list", lambda c, w, s: c.get("/api/v1/registraties"),
          {role: ("api-registraties", lambda s: [reg(s.submitted), reg(s.rejected), reg(s.concept)])
           for role in ("leverancier_a", "srteam_x")},
          (REF_REJECTED, REF_CONCEPT, '"wia"')),  # the bonus (with its candidate) is an ordinary row
    Place("api:registratie-detail", lambda c, w, s: c.get(f"/api/v1/registraties/{s.submitted.pk}"),
          {role: ("api-registraties", lambda s: [reg(s.submitted)]) for role in ("leverancier_a", "srteam_x")},
          (REF_SUBMITTED, '"wia"')),
    Place("banenafspraak:werkgever", _get("banenafspraak:werkgever", pk=lambda w, s: s.werkgever.pk),
          {role: ("dienstverband-inzien", lambda s: [dv(s.dv)]) for role in ("srteam_x", "beheerder")},
          (REF_EMPLOYEE,)),
    Place("api:banenafspraakdienstverband-list", lambda c, w, s: c.get("/api/v1/banenafspraakdienstverbanden"),
          {"srteam_x": ("api-dienstverbanden", lambda s: [dv(s.dv)]),
           "srteam_other": ("api-dienstverbanden", lambda s: [dv(s.dv_other)]),
           "beheerder": ("api-dienstverbanden", lambda s: [dv(s.dv), dv(s.dv_other)])},
          (REF_EMPLOYEE, REF_EMPLOYEE_OTHER)),
    Place("api:banenafspraakdienstverband-detail",
          lambda c, w, s: c.get(f"/api/v1/banenafspraakdienstverbanden/{s.dv.pk}"),
          {role: ("api-dienstverbanden", lambda s: [dv(s.dv)]) for role in ("srteam_x", "beheerder")},
          (REF_EMPLOYEE,)),
]


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


def _sign_in(client, w, role):
    client.logout()
    if w.users[role] is not None:
        client.force_login(w.users[role])


@pytest.mark.parametrize("place", PLACES, ids=[p.name for p in PLACES])
def test_each_role_sees_special_category_data_only_where_allowed_and_each_view_is_logged(
        place, client, world, sensitive):  # noqa: F811
    problems = []
    for role in ROLES:
        _sign_in(client, world, role)
        before = set(Verwerking.objects.values_list("pk", flat=True))
        response = place.call(client, world, sensitive)
        new = list(Verwerking.objects.exclude(pk__in=before))
        text = _content(response)
        if role in place.allowed:
            activity, records = place.allowed[role]
            definition = processing_log.ACTIVITEITEN[activity]
            if response.status_code != place.ok_status:
                problems.append(f"{role}: expected {place.ok_status}, got {response.status_code}")
                continue
            expected = {(kind, str(obj.pk), ref) for kind, obj, ref in records(sensitive)}
            got = {(v.object_type, v.object_id, v.betrokkene) for v in new}
            if got != expected or len(new) != len(expected):
                problems.append(f"{role}: logged {sorted(got)} ({len(new)} rows), expected {sorted(expected)}")
            user = world.users[role]
            for v in new:
                if (v.actor_id, v.actor_label, v.activiteit, v.doel, v.grondslag) != (
                        user.pk, user.email, activity, str(definition.doel), str(definition.grondslag)):
                    problems.append(f"{role}: row says {v.actor_label}/{v.activiteit}/{v.doel}")
                if v.actor_rol != user.role or v.trace_id != response["X-Request-ID"] or not v.pad.startswith("/"):
                    problems.append(f"{role}: row has role {v.actor_rol}, trace {v.trace_id}, path {v.pad}")
        else:
            if new:
                problems.append(f"{role}: got {response.status_code} and yet {len(new)} log rows claim it saw data")
            if response.status_code == 200:
                leaked = [secret for secret in place.secrets if secret in text]
                if leaked:
                    problems.append(f"{role}: 200 with special-category data in it: {leaked}")
            elif role == "anonymous":
                if response.status_code not in (302, 401, 403):
                    problems.append(f"anonymous: expected login redirect/401/403, got {response.status_code}")
            elif response.status_code not in (403, 404):
                problems.append(f"{role}: expected 200 without the data, 403 or 404; got {response.status_code}")
    assert not problems, f"{place.name}:\n  " + "\n  ".join(problems)


def test_refused_writes_on_special_category_records_log_nothing_and_change_nothing(client, world, sensitive):  # noqa: F811
    """The beheerder may not decide (or approve in bulk) a special-category registration either."""
    _sign_in(client, world, "beheerder")
    url = reverse("controle:decide", kwargs={"pk": sensitive.submitted.pk})
    assert client.post(url, {"besluit": "goedgekeurd", "versie": str(sensitive.submitted.versie)}).status_code == 404
    response = client.post(reverse("controle:bulk_approve"), {
        "registraties": [str(sensitive.submitted.pk)], "bevestig": "1",
        f"versie_{sensitive.submitted.pk}": str(sensitive.submitted.versie)})
    assert response.status_code == 403
    api = client.post(f"/api/v1/registraties/{sensitive.submitted.pk}/beoordeling", {"besluit": "goedgekeurd"},
                      content_type="application/json")
    assert api.status_code == 404
    sensitive.submitted.refresh_from_db()
    assert sensitive.submitted.status == "ingediend"
    assert not Verwerking.objects.exists()


def test_the_beheerder_cannot_create_a_special_category_registration_through_the_api(client, world, sensitive):  # noqa: F811
    _sign_in(client, world, "beheerder")
    response = client.post("/api/v1/registraties", {
        "contract": world.contract_a.pk, "bouwblok": "wia", "startdatum": "2024-08-01", "urenPerWeek": "20",
        "kandidaat": {"referentie": "WSP-S-009", "initialen": "Z.", "geboortejaar": 1970},
    }, content_type="application/json")
    assert response.status_code == 403
    assert "bijzonder persoonsgegeven" in response.json()["detail"]
    assert not world.contract_a.registraties.filter(kandidaat__referentie="WSP-S-009").exists()


def test_the_beheerder_cannot_register_a_special_category_placement_on_the_supplier_pages(client, world):  # noqa: F811
    _sign_in(client, world, "beheerder")
    url = reverse("bouwblokken:nieuw", kwargs={"pk": world.contract_a.pk, "code": "wia"})
    assert client.get(url).status_code == 403
    response = client.post(url, {"actie": "opslaan", "referentie": "WSP-S-011", "initialen": "Z.",
                                 "geboortejaar": "1970", "startdatum": "2024-08-01", "uren_per_week": "20"})
    assert response.status_code == 403
    assert not world.contract_a.registraties.filter(kandidaat__referentie="WSP-S-011").exists()
    _sign_in(client, world, "leverancier_a")
    assert client.get(url).status_code == 200


def test_writes_that_return_the_record_are_logged_once(client, world, sensitive):  # noqa: F811
    _sign_in(client, world, "leverancier_a")
    response = client.post("/api/v1/registraties", {
        "contract": world.contract_a.pk, "bouwblok": "wia", "startdatum": "2024-08-01", "urenPerWeek": "20",
        "kandidaat": {"referentie": "WSP-S-010", "initialen": "Z.", "geboortejaar": 1970},
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    (row,) = Verwerking.objects.all()
    assert (row.activiteit, row.object_id, row.betrokkene) == ("api-registraties", str(response.json()["id"]), "WSP-S-010")


# --- one insert per list ----------------------------------------------------------------------------

def _log_inserts(queries):
    return [q["sql"] for q in queries if q["sql"].startswith("INSERT") and "sroi_portal_verwerking" in q["sql"]]


def test_a_list_of_n_special_category_rows_writes_n_rows_in_one_query(client, world, sensitive):  # noqa: F811
    for n in range(6):
        _wia(world, f"WSP-N-{n}", date(2024, 8, 1))
    _sign_in(client, world, "leverancier_a")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("bouwblokken:contract", kwargs={"pk": world.contract_a.pk}))
    assert response.status_code == 200
    assert len(_log_inserts(queries)) == 1
    assert Verwerking.objects.count() == 9  # 3 of the fixture + 6; the two ordinary registrations are not logged
    assert not Verwerking.objects.filter(object_id__in=[str(world.registratie_a.pk),
                                                        str(world.registratie_a_ingediend.pk)]).exists()


def test_log_views_runs_no_query_when_nothing_is_special_category(world, django_assert_num_queries):  # noqa: F811
    ordinary = type(world.registratie_a).objects.select_related("bouwblok", "kandidaat").get(pk=world.registratie_a.pk)
    with django_assert_num_queries(0):
        assert processing_log.log_views(world.users["leverancier_a"], "registratie-inzien", [ordinary]) == 0


def test_the_request_id_is_returned_and_a_sensible_incoming_one_is_reused(client, world, sensitive):  # noqa: F811
    _sign_in(client, world, "leverancier_a")
    url = reverse("bouwblokken:registratie", kwargs={"pk": sensitive.submitted.pk})
    response = client.get(url, HTTP_X_REQUEST_ID="keten-1234-abcd")
    assert response["X-Request-ID"] == "keten-1234-abcd"
    assert Verwerking.objects.get().trace_id == "keten-1234-abcd"
    bad = client.get(url, HTTP_X_REQUEST_ID="<script>")
    assert bad["X-Request-ID"] != "<script>" and len(bad["X-Request-ID"]) == 32
    assert client.get(reverse("home"))["X-Request-ID"]


# --- the AVG export and the log ---------------------------------------------------------------------

def test_the_avg_export_lists_who_saw_the_data_and_is_logged_itself(client, world, sensitive, capsys):  # noqa: F811
    import json

    _sign_in(client, world, "srteam_x")
    client.get(reverse("controle:registratie", kwargs={"pk": sensitive.submitted.pk}))
    _sign_in(client, world, "leverancier_a")
    client.get(reverse("bouwblokken:registratie", kwargs={"pk": sensitive.submitted.pk}))
    client.get(reverse("bouwblokken:bewijs", kwargs={"pk": sensitive.bewijs.pk}))
    client.get(reverse("bouwblokken:registratie", kwargs={"pk": sensitive.concept.pk}))  # another candidate

    call_command("avg_export", REF_SUBMITTED)
    data = json.loads(capsys.readouterr().out)
    seen = [(v["door"], v["activiteit"], v["gegeven"]) for v in data["verwerkingen"]]
    assert seen == [
        ("srteam_x@matrix.example", "registratie-controleren", f"registratie {sensitive.submitted.pk}"),
        ("leverancier_a@matrix.example", "registratie-inzien", f"registratie {sensitive.submitted.pk}"),
        ("leverancier_a@matrix.example", "bewijsstuk-downloaden", f"bewijsstuk {sensitive.bewijs.pk}"),
    ]
    assert all(v["doel"] and v["grondslag"] for v in data["verwerkingen"])
    export_row = Verwerking.objects.get(activiteit="avg-export")
    assert (export_row.object_id, export_row.betrokkene, export_row.actor_id) == (
        str(sensitive.submitted.pk), REF_SUBMITTED, None)
    assert export_row.actor_label.startswith("manage.py avg_export (")
    # The next export shows the previous one.
    assert export_candidate(referentie=REF_SUBMITTED)["verwerkingen"][-1]["activiteit"] == "avg-export"


def test_a_deleted_user_is_still_named_in_the_log(client, world, sensitive):  # noqa: F811
    _sign_in(client, world, "srteam_x")
    client.get(reverse("controle:registratie", kwargs={"pk": sensitive.submitted.pk}))
    client.logout()
    world.users["srteam_x"].delete()
    row = Verwerking.objects.get()
    assert (row.actor_id, row.actor_label, row.actor_rol) == (None, "srteam_x@matrix.example", "sr_team")


# --- retention ----------------------------------------------------------------------------------------

def _row(**extra):
    values = {"actor_label": "test", "activiteit": "registratie-inzien", "doel": "d", "grondslag": "g",
              "object_type": "registratie", "object_id": "1", "betrokkene": "WSP-R"}
    return Verwerking.objects.create(**{**values, **extra})


def test_the_purge_removes_only_rows_past_the_retention_period(world, settings):  # noqa: F811
    from bouwblokken.tasks import retention_run

    settings.SROI_PROCESSING_LOG_RETENTION_DAYS = 30
    old = _row(tijdstip=timezone.now() - timedelta(days=31))
    recent = _row(tijdstip=timezone.now() - timedelta(days=29))
    assert retention_run.apply(kwargs={"dry_run": True}).get()["verwerkingen"] == 0
    assert Verwerking.objects.count() == 2
    assert retention_run.apply().get()["verwerkingen"] == 1
    assert list(Verwerking.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Verwerking.objects.filter(pk=old.pk).exists()
    call_command("purge_verwerkingen")
    assert Verwerking.objects.filter(pk=recent.pk).exists()


def test_the_default_retention_is_seven_years():
    from django.conf import settings

    assert settings.SROI_PROCESSING_LOG_RETENTION_DAYS == 2557


# --- the admin is read-only -------------------------------------------------------------------------

def test_the_log_cannot_be_changed_or_deleted_in_the_admin(client, django_user_model, world):  # noqa: F811
    row = _row()
    admin = django_user_model.objects.create_superuser("opperbeheer", "opperbeheer@matrix.example", None)
    client.force_login(admin)
    assert client.get(reverse("admin:sroi_portal_verwerking_changelist")).status_code == 200
    page = client.get(reverse("admin:sroi_portal_verwerking_change", args=[row.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text  # a view page, no save button
    assert client.post(reverse("admin:sroi_portal_verwerking_change", args=[row.pk]),
                       {"actor_label": "iemand anders"}).status_code == 403
    assert client.post(reverse("admin:sroi_portal_verwerking_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:sroi_portal_verwerking_add")).status_code == 403
    changelist = client.post(reverse("admin:sroi_portal_verwerking_changelist"),
                             {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert changelist.status_code in (200, 302, 403)
    row.refresh_from_db()
    assert row.actor_label == "test"


# --- the beheerder's page ---------------------------------------------------------------------------

def test_the_log_page_filters_paginates_and_downloads(client, world, sensitive, django_assert_max_num_queries):  # noqa: F811
    _sign_in(client, world, "leverancier_a")
    client.get(reverse("bouwblokken:contract", kwargs={"pk": world.contract_a.pk}))  # 3 rows
    _sign_in(client, world, "srteam_x")
    client.get(reverse("controle:registratie", kwargs={"pk": sensitive.submitted.pk}))  # 1 row
    _row(tijdstip=timezone.now() - timedelta(days=400), betrokkene=REF_SUBMITTED, actor_label="oud@matrix.example")

    _sign_in(client, world, "beheerder")
    url = reverse("beheer:verwerkingen")
    page = client.get(url, {"betrokkene": REF_SUBMITTED})
    assert page.status_code == 200
    assert "3 verwerkingen" in page.text and "registratie-controleren" in page.text
    assert REF_REJECTED not in page.text
    assert "1 verwerking" in client.get(url, {"betrokkene": REF_SUBMITTED, "gebruiker": "srteam_x"}).text
    assert "3 verwerkingen" in client.get(url, {"activiteit": "registratie-lijst"}).text
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert "4 verwerkingen" in client.get(url, {"van": today, "tot": today}).text  # not the old row
    wrong = client.get(url, {"van": today, "tot": "01-01-2020"})
    assert wrong.status_code == 400 and "De einddatum ligt voor de begindatum." in wrong.text
    assert "Vul een datum in als dd-mm-jjjj." in client.get(url, {"van": "gisteren"}).text

    csv_response = client.get(reverse("beheer:verwerkingen_csv"), {"betrokkene": REF_SUBMITTED})
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Tijdstip,Gebruiker,Rol,Activiteit")
    assert len(lines) == 4 and all(REF_SUBMITTED in line for line in lines[1:])

    # A fixed number of queries however many rows: session, user, count, page.
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(60):
        _row(object_id=str(n))
    with django_assert_max_num_queries(len(few)):
        many = client.get(url)
    assert "Volgende pagina" in many.text


def test_a_csv_cell_cannot_be_a_formula(client, world):  # noqa: F811
    _row(actor_label="=HYPERLINK(\"http://example.com\")")
    _sign_in(client, world, "beheerder")
    body = b"".join(client.get(reverse("beheer:verwerkingen_csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


# --- PostgreSQL: the trigger keeps the log append-only -----------------------------------------------

@pytest.mark.postgres
def test_postgresql_refuses_to_change_or_delete_a_log_row_except_by_the_purge(world, settings):  # noqa: F811
    from django.db import DatabaseError, transaction

    from tests.trust.pg import require_postgres

    require_postgres()
    settings.SROI_PROCESSING_LOG_RETENTION_DAYS = 30
    recent = _row(actor=world.users["srteam_x"], actor_label="srteam_x@matrix.example")
    old = _row(tijdstip=timezone.now() - timedelta(days=31))

    for attempt in (
        lambda: Verwerking.objects.filter(pk=recent.pk).update(betrokkene="WSP-ANDERS"),
        lambda: Verwerking.objects.filter(pk=recent.pk).update(actor=None, actor_label="niemand"),
        lambda: Verwerking.objects.filter(pk=recent.pk).delete(),
        lambda: Verwerking.objects.filter(pk=old.pk).delete(),  # old, but not through the purge
    ):
        with pytest.raises(DatabaseError, match="logboek dataverwerkingen"), transaction.atomic():
            attempt()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE sroi_portal_verwerking SET tijdstip = now() - interval '10 years' WHERE id = %s",
                       [recent.pk])
    assert Verwerking.objects.filter(pk=old.pk).exists()

    # The purge deletes the old row only; the setting does not outlive its transaction.
    assert processing_log.purge() == 1
    assert list(Verwerking.objects.values_list("pk", flat=True)) == [recent.pk]
    with pytest.raises(DatabaseError), transaction.atomic():
        Verwerking.objects.filter(pk=recent.pk).delete()

    # Deleting the user only clears the link; the copied label stays.
    world.users["srteam_x"].delete()
    recent.refresh_from_db()
    assert (recent.actor_id, recent.actor_label, recent.betrokkene) == (None, "srteam_x@matrix.example", "WSP-R")


def test_only_the_beheerders_menu_leads_to_the_log(client, world):  # noqa: F811
    link = f'href="{reverse("beheer:verwerkingen")}"'
    for role in ROLES:
        _sign_in(client, world, role)
        home = client.get(reverse("home"), follow=True).text
        assert (link in home) == (role == "beheerder"), role
