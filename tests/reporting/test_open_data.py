"""Public open data that protects people (SROI-RULES.md §4): stored numbered versions of a closed
year, corrections as new versions, no figure that tells about one person, also not by comparing
two downloads."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from banenafspraak import services as banen_services
from reporting import opendata
from reporting.figures import recompute_contract_figures, recompute_placement_figures
from reporting.models import OpenDataVersie
from reporting.suppression import SUPPRESSED_TEXT, Aantal, suppress_group
from reporting.tasks import publish_open_data
from tests.factories import make_contract

from .conftest import place

CLOSED = date(2026, 3, 1)  # the day 2025 is closed (default SROI_OPEN_DATA_PUBLICATION_DATE)
TARGET_GROUPS = {"zonder_uitkering", "jongere_zonder_startkwalificatie", "stagiair_mbo_hbo", "stagiair_vso_pro",
                 "bbl", "ww", "wia", "participatiewet", "banenafspraak"}


def _recompute():
    recompute_contract_figures(today=CLOSED)
    recompute_placement_figures()


@pytest.fixture
def year_2025(zoetermeer, leverancier_a):
    """Zoetermeer 2025: 6 Participatiewet, 5 WW, 2 banenafspraak placements; nobody with WIA."""
    banen_services.create_werkgever(naam="Gemeente Zoetermeer", gemeente=zoetermeer)
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, aanneemsom=Decimal("5000000.00"))
    for _ in range(6):
        place(contract, code="participatiewet", start=date(2025, 1, 1), end=date(2025, 6, 30))
    for _ in range(5):
        place(contract, code="ww", start=date(2025, 2, 1), end=date(2025, 7, 31))
    for _ in range(2):
        place(contract, code="banenafspraak", start=date(2025, 1, 1), end=date(2025, 12, 31), hours="25.5")
    _recompute()
    return contract


def _cells(content: bytes) -> dict:
    return {(r["indicator"], r["categorie"]): r for r in csv.DictReader(io.StringIO(content.decode()))}


def _download(client, name, **kwargs):
    response = client.get(reverse(f"reporting:{name}", kwargs={"gemeentecode": "GM0637", "jaar": 2025, **kwargs}))
    assert response.status_code == 200, response.content[:300]
    return response


def _target_group_or_derived(key):
    indicator, categorie = key
    return (indicator == "geplaatste_personen" and categorie) or indicator == "banenafspraak_via_social_return"


def test_two_downloads_and_a_correction_tell_nothing_about_one_person(client, team, year_2025):
    """Done means: download before and after one banenafspraak placement is approved and a correction
    is published; no cell that differs lets anyone deduce that person (or its target group)."""
    assert "GM0637/2025/versie-1" in publish_open_data.delay(today=CLOSED.isoformat()).get()["gepubliceerd"]
    before = _download(client, "open_data_csv").content  # no login
    assert _download(client, "open_data_csv").content == before  # byte-identical
    assert _download(client, "open_data_versie_csv", versie=1).content == before

    place(year_2025, code="banenafspraak", start=date(2025, 3, 1), end=date(2025, 12, 31), hours="25.5")
    _recompute()
    assert _download(client, "open_data_csv").content == before  # a stored version, not a recomputation

    call_command("publiceer_open_data", gemeente="GM0637", jaar=2025, door="beheerder", datum=CLOSED,
                 toelichting="Een te laat beoordeelde plaatsing is meegeteld.", stdout=io.StringIO())
    after = _download(client, "open_data_csv").content
    assert after != before
    assert _download(client, "open_data_versie_csv", versie=1).content == before  # version 1 never changes

    v1, v2 = _cells(before), _cells(after)
    assert set(v1) == set(v2)  # the same rows in both versions
    assert {c for (i, c) in v1 if i == "geplaatste_personen" and c} == TARGET_GROUPS  # every group has its row
    differing = {key for key in v1 if v1[key]["waarde"] != v2[key]["waarde"]}
    assert differing, "the correction changed the amounts"
    for key in differing:
        assert not _target_group_or_derived(key), f"{key} shows the change: {v1[key]['waarde']} -> {v2[key]['waarde']}"
        if v2[key]["eenheid"] == "personen":  # a count of people that moved by 1 does not show it
            assert v2[key]["waarde"] == "onderdrukt", key
    # the person's group and the jobs derived from it are suppressed in both versions
    for cells in (v1, v2):
        assert cells[("geplaatste_personen", "banenafspraak")]["waarde"] == "onderdrukt"
        assert cells[("banenafspraak_via_social_return", "")]["waarde"] == "onderdrukt"
        assert cells[("geplaatste_personen", "wia")]["waarde"] == "onderdrukt"  # 0 people: a row, suppressed
        assert cells[("geplaatste_personen", "participatiewet")]["waarde"] == "6"
    assert "< 5" not in after.decode() and "< 5" not in before.decode()


def test_a_public_target_group_that_changes_by_one_is_suppressed_together_with_another(client, team, zoetermeer,
                                                                                          leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, aanneemsom=Decimal("5000000.00"))
    for code, n in (("participatiewet", 7), ("ww", 6), ("wia", 5)):
        for _ in range(n):
            place(contract, code=code, start=date(2025, 1, 1), end=date(2025, 6, 30))
    _recompute()
    first = opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED)
    place(contract, code="wia", start=date(2025, 2, 1), end=date(2025, 6, 30))
    _recompute()
    second = opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED, door=team["beheerder"],
                                      toelichting="Correctie")
    v1, v2 = _cells(bytes(first.csv)), _cells(bytes(second.csv))
    assert v1[("geplaatste_personen", "wia")]["waarde"] == "5"
    changed = {key for key in v1 if _target_group_or_derived(key) and v1[key]["waarde"] != v2[key]["waarde"]}
    # WIA went 5 -> 6; it is suppressed, and so is another group, so nobody can tell which one moved.
    assert changed == {("geplaatste_personen", "wia"), ("geplaatste_personen", "ww")}
    assert all(v2[key]["waarde"] == "onderdrukt" for key in changed)
    # a third version keeps them suppressed (else comparing it with version 1 shows the change)
    place(contract, code="participatiewet", start=date(2025, 3, 1), end=date(2025, 6, 30))
    for _ in range(4):
        place(contract, code="ww", start=date(2025, 3, 1), end=date(2025, 6, 30))
    _recompute()
    third = opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED, toelichting="Nog een correctie")
    v3 = _cells(bytes(third.csv))
    assert v3[("geplaatste_personen", "wia")]["waarde"] == "onderdrukt"
    assert v3[("geplaatste_personen", "ww")]["waarde"] == "onderdrukt"


def test_secondary_suppression_over_the_total_says_onderdrukt_never_a_false_below_5():
    cells = [opendata.Cell("geplaatste_personen", "", "30", "personen")] + [
        opendata.Cell("geplaatste_personen", code, str(n), "personen")
        for code, n in (("participatiewet", 12), ("ww", 9), ("bbl", 6), ("wia", 3))
    ]
    result = {c.categorie: c for c in opendata.suppress_cells(cells)}
    assert result[""].waarde == "30"
    assert result["wia"].onderdrukt and result["bbl"].onderdrukt  # 6: else 30 - 12 - 9 - 6 gives WIA away
    assert (result["participatiewet"].waarde, result["ww"].waarde) == ("12", "9")
    content = opendata.render_csv([c.as_dict() for c in result.values()],
                                  {"gemeentecode": "GM0637", "gemeente": "Zoetermeer", "jaar": 2025, "versie": 1,
                                   "gepubliceerd_op": "2026-03-01T04:15:00+01:00", "peildatum": "2025-12-31"})
    rows = _cells(content)
    assert rows[("geplaatste_personen", "bbl")]["waarde"] == "onderdrukt"
    assert rows[("geplaatste_personen", "bbl")]["onderdrukt"] == "ja"
    assert "< 5" not in content.decode()
    # On the dashboard too a secondarily suppressed cell (here 5) is not labelled "< 5".
    five, one = suppress_group([5, 1])
    assert (five.weergave, one.weergave) == ("onderdrukt", SUPPRESSED_TEXT)
    assert Aantal(None, True, secundair=True).weergave == "onderdrukt"


def test_the_json_is_the_same_stored_version(client, year_2025, zoetermeer):
    version = opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED)
    response = _download(client, "open_data_json")
    assert response.content == bytes(version.json) == _download(client, "open_data_versie_json", versie=1).content
    assert response["ETag"] == f'"{version.json_sha256}"'
    data = json.loads(response.content)
    assert (data["licentie"], data["versie"], data["jaar"]) == ("CC0-1.0", 1, 2025)
    wia = next(c for c in data["cellen"] if c["indicator"] == "geplaatste_personen" and c["categorie"] == "wia")
    assert wia == {"indicator": "geplaatste_personen", "categorie": "wia", "waarde": None, "eenheid": "personen",
                   "onderdrukt": True, "weergave": "onderdrukt"}
    assert "gegevensversie" not in data and "verhalen" not in data and "WSP-" not in response.content.decode()


def test_a_year_not_yet_closed_is_not_published(client, year_2025, zoetermeer):
    with pytest.raises(ValidationError, match="verschijnt op 1 maart 2026"):
        opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=date(2026, 2, 28))
    assert {v.jaar for v in opendata.publish_due(today=date(2026, 2, 28))} == {2024}  # the last closed year
    assert not OpenDataVersie.objects.filter(jaar=2025).exists()
    response = client.get(reverse("reporting:open_data_csv", kwargs={"gemeentecode": "GM0637", "jaar": 2025}))
    assert response.status_code == 404
    assert "Open data Zoetermeer 2025: nog niet gepubliceerd" in response.content.decode()
    with pytest.raises(CommandError, match="nog niet afgesloten"):
        call_command("publiceer_open_data", gemeente="GM0637", jaar=2025, datum=date(2026, 2, 28))


def test_the_pages_of_a_year_not_closed_say_when_it_appears(client, zoetermeer, settings):
    settings.SROI_OPEN_DATA_PUBLICATION_DATE = "04-15"
    settings.SROI_TODAY = "2026-04-14"  # the portal's clock (sroi_portal.clock)
    for name, status in (("open_data_versies", 200), ("open_data_csv", 404), ("open_data_json", 404)):
        response = client.get(reverse(f"reporting:{name}", kwargs={"gemeentecode": "GM0637", "jaar": 2025}))
        assert response.status_code == status
        assert "De open data over 2025 verschijnt op 15 april 2026" in response.content.decode()
    settings.SROI_TODAY = "2026-04-15"  # closed, not yet published by the beat task
    response = client.get(reverse("reporting:open_data_csv", kwargs={"gemeentecode": "GM0637", "jaar": 2025}))
    assert response.status_code == 404
    assert "2025 is afgesloten; de open data over 2025 wordt binnenkort gepubliceerd" in response.content.decode()


def test_the_beat_task_publishes_version_1_once(year_2025):
    first = publish_open_data.delay(today=CLOSED.isoformat()).get()
    assert "GM0637/2025/versie-1" in first["gepubliceerd"]
    assert publish_open_data.delay(today=CLOSED.isoformat()).get() == {"gepubliceerd": []}  # safe to run twice
    assert OpenDataVersie.objects.filter(gemeente__code="GM0637", jaar=2025).count() == 1


def test_a_correction_needs_a_note_and_a_change_and_only_the_beheerder_makes_it(client, team, year_2025, zoetermeer):
    opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED)
    with pytest.raises(ValidationError, match="toelichting"):
        opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED, door=team["beheerder"])
    with pytest.raises(ValidationError, match="niet nodig"):
        opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED, toelichting="Niets veranderd")
    with pytest.raises(PermissionDenied):
        opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED, door=team["srteam"], toelichting="x")
    with pytest.raises(CommandError, match="beheerder"):
        call_command("publiceer_open_data", gemeente="GM0637", jaar=2025, door="srteam", toelichting="x",
                     datum=CLOSED)
    url = reverse("reporting:open_data_publiceren", kwargs={"gemeentecode": "GM0637", "jaar": 2025})
    client.force_login(team["srteam"])
    assert client.post(url, {"toelichting": "Poging"}).status_code == 403
    client.force_login(team["beheerder"])
    refused = client.post(url, {"toelichting": ""})
    assert refused.status_code == 400 and "toelichting nodig" in refused.content.decode()
    assert OpenDataVersie.objects.filter(gemeente=zoetermeer, jaar=2025).count() == 1  # nothing stored


def test_the_beheerder_publishes_a_correction_on_the_public_versions_page(client, team, year_2025, zoetermeer):
    opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED)
    place(year_2025, code="ww", start=date(2025, 1, 1), end=date(2025, 6, 30))
    _recompute()
    client.force_login(team["beheerder"])
    url = reverse("reporting:open_data_publiceren", kwargs={"gemeentecode": "GM0637", "jaar": 2025})
    response = client.post(url, {"toelichting": "Plaatsing WW alsnog goedgekeurd."}, follow=True)
    assert "Versie 2 van de open data over 2025 is gepubliceerd." in response.content.decode()
    client.logout()
    page = client.get(reverse("reporting:open_data_versies", kwargs={"gemeentecode": "GM0637", "jaar": 2025}))
    text = page.content.decode()
    assert page.status_code == 200 and "Plaatsing WW alsnog goedgekeurd." in text and "Eerste publicatie" in text
    assert "versie-1.csv" in text and "versie-2.json" in text and "Correctie publiceren" not in text  # no form for the public
    index = client.get(reverse("reporting:open_data")).content.decode()
    assert "versie 2" in index


def test_a_published_version_cannot_be_changed_or_deleted_any_way(client, django_user_model, year_2025, zoetermeer):
    version = opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED)
    original = bytes(version.csv)
    version.toelichting = "gewijzigd"
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        OpenDataVersie.objects.filter(pk=version.pk).update(csv=b"x")
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        OpenDataVersie.objects.all().delete()
    client.force_login(django_user_model.objects.create_superuser("opperbeheer", "opperbeheer@example.org", None))
    change = reverse("admin:reporting_opendataversie_change", args=[version.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.text  # a view page, no save button
    assert client.post(change, {"toelichting": "via admin"}).status_code == 403
    assert client.post(reverse("admin:reporting_opendataversie_delete", args=[version.pk]), {"post": "yes"}).status_code == 403
    assert bytes(OpenDataVersie.objects.get(pk=version.pk).csv) == original
    assert client.get(reverse("admin:reporting_opendataversie_add")).status_code == 403


def test_open_data_of_an_unknown_municipality_or_version_is_not_found(client, year_2025, zoetermeer):
    assert client.get("/rapportage/open-data/GM9999/2025.csv").status_code == 404
    opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=CLOSED)
    assert client.get("/rapportage/open-data/GM0637/2025/versie-2.csv").status_code == 404
    assert client.get("/rapportage/open-data/GM0637/2025/versie-1.csv").status_code == 200
