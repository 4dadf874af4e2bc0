"""Access rules for the Django admin (/beheer/): only the functional administrator reaches it.

Every URL of every registered model (changelist, add, change, delete, history, simple-history's
version page, and the extra pages some admins have) plus the site's own URLs. The ``beheerder`` of
the test world has ``is_staff`` and every model permission but is no superuser; every other role
gets 403 (anonymous: the portal's login page). What the administrator may do per model is said
here explicitly (``NO_ADD``, ``NO_DELETE``): changing an admin's permissions breaks this matrix.

Special-category objects (registrations of a ``gevoelig`` bouwblok, banenafspraak person records)
are 404 even for the administrator and a superuser: tests/trust/test_admin_privacy.py.
"""

from datetime import date
from decimal import Decimal

from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from tests.access.rules import Rule

BEHEERDER = frozenset({"beheerder"})
NOBODY = frozenset()

#: Models the administrator cannot add in the admin (the portal's workflows make them).
NO_ADD = {
    "contracts.contract", "contracts.ontheffing", "contracts.afrekening", "bouwblokken.registratie",
    "sroi_portal.verwerking", "reporting.herinnering", "reporting.raadsrapportage", "reporting.contractcijfers",
    "reporting.uitgesteldetaak", "reporting.herberekening", "reporting.opendataversie",
    "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
}
#: Models of which the admin deletes nothing: registrations and decisions, the processing log,
#: published open data, and the closed contract of the world's settlement.
NO_DELETE = {
    "bouwblokken.registratie", "contracts.ontheffing", "contracts.afrekening", "sroi_portal.verwerking",
    "reporting.opendataversie",
}


def _objects(w) -> dict:
    """One object per registered model (created once per test world, only for the admin rules)."""
    if w.admin_objects:
        return w.admin_objects
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token, TokenProxy

    from banenafspraak.models import Arbeidsmarktregio, Telparameters, UwvTrendrapportage, Werkgever
    from contracts.models import Afrekening, Beleid, Ontheffing
    from reporting.models import (
        ContractCijfers, Herberekening, Herinnering, OpenDataVersie, Raadsrapportage, Teambudget, UitgesteldeTaak,
        Verhaal, Vervolg,
    )
    from sroi_portal.models import Verwerking
    from tests.factories import make_contract

    now = timezone.now()
    period = {"gunningsdatum": date(2024, 2, 1), "startdatum": date(2024, 4, 1), "einddatum": date(2026, 12, 31)}
    exempted = make_contract(gemeente=w.zoetermeer, leverancier=w.leverancier_b, kenmerk="MATRIX-ONT", **period)
    settled = make_contract(gemeente=w.zoetermeer, leverancier=w.leverancier_b, kenmerk="MATRIX-AFR", **period)
    Token.objects.create(user=w.users["leverancier_a"])
    agent = {"user_agent": "matrix", "http_accept": "*/*", "path_info": "/account/inloggen/", "username": "matrix",
             "ip_address": "127.0.0.1"}
    objects = {
        "auth.group": Group.objects.create(name="Matrix"),
        "authtoken.tokenproxy": TokenProxy.objects.get(user=w.users["leverancier_a"]),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=w.users["leverancier_a"], name="matrix", confirmed=False),
        "otp_static.staticdevice": StaticDevice.objects.create(user=w.users["leverancier_a"], name="matrix"),
        "axes.accessattempt": AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **agent),
        "axes.accesslog": AccessLog.objects.create(**agent),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**agent),
        "sroi_portal.user": w.users["leverancier_a"],
        "sroi_portal.verwerking": Verwerking.objects.create(
            actor_label="matrix", activiteit="registratie-inzien", doel="d", grondslag="g", object_type="registratie",
            object_id=str(w.registratie_a.pk), betrokkene="WSP-A-001"),
        "contracts.regio": w.zoetermeer.regio,
        "contracts.gemeente": w.zoetermeer,
        "contracts.beleid": Beleid.objects.filter(gemeente=w.zoetermeer).first(),
        "contracts.leverancier": w.leverancier_a,
        "contracts.contract": w.contract_a,
        "contracts.ontheffing": Ontheffing.objects.create(
            contract=exempted, soort="gedeeltelijk", bedrag=Decimal("1000.00"),
            besluitdatum=date(2024, 6, 1), besloten_door="Wethouder", reden="Matrix"),
        "contracts.afrekening": Afrekening.objects.create(
            contract=settled, datum=date(2027, 1, 15), verplichting=Decimal("100"), gerealiseerd=Decimal("100"),
            tekort=Decimal("0"), sanctie_factor=Decimal("1"), sanctie=Decimal("0"), besluit="Matrix"),
        "bouwblokken.catalogus": w.contract_a.catalogus,
        "bouwblokken.bouwblok": w.registratie_a.bouwblok,
        "bouwblokken.registratie": w.registratie_a,
        "banenafspraak.telparameters": Telparameters.objects.first() or Telparameters.objects.create(
            geldig_vanaf=date(2015, 1, 1)),
        "banenafspraak.werkgever": Werkgever.objects.create(naam="Matrix werkgever", gemeente=w.zoetermeer),
        "banenafspraak.arbeidsmarktregio": Arbeidsmarktregio.objects.create(naam="Matrix arbeidsmarktregio"),
        "banenafspraak.uwvtrendrapportage": UwvTrendrapportage.objects.create(bron="matrix"),
        "reporting.teambudget": Teambudget.objects.create(gemeente=w.zoetermeer, jaar=2025, bedrag=Decimal("1000.00")),
        "reporting.verhaal": Verhaal.objects.create(gemeente=w.zoetermeer, jaar=2025, titel="Matrix", tekst="Tekst",
                                                    toestemming=True, toestemming_op=date(2025, 1, 1)),
        "reporting.vervolg": Vervolg.objects.create(registratie=w.registratie_a),
        "reporting.herinnering": Herinnering.objects.create(
            soort=Herinnering._meta.get_field("soort").choices[0][0], ontvanger="matrix@matrix.example",
            aanleiding="matrix", onderwerp="Matrix"),
        "reporting.raadsrapportage": Raadsrapportage.objects.create(gemeente=w.zoetermeer, jaar=2025),
        "reporting.contractcijfers": ContractCijfers.objects.create(
            contract=w.contract_a, gemeente=w.zoetermeer, aanneemsom=Decimal("1"), verplichting=Decimal("1"),
            goedgekeurd=Decimal("0"), in_behandeling=Decimal("0"), verwacht=Decimal("0"), status="achter",
            berekend_op=now, gegevensversie="matrix")
        if not ContractCijfers.objects.filter(contract=w.contract_a).exists()
        else ContractCijfers.objects.get(contract=w.contract_a),
        "reporting.uitgesteldetaak": UitgesteldeTaak.objects.create(
            soort=UitgesteldeTaak._meta.get_field("soort").choices[0][0], doel="matrix", sleutel="matrix"),
        "reporting.herberekening": Herberekening.objects.create(taak_id="matrix", gestart_op=now, laatst_gestart_op=now),
        "reporting.opendataversie": OpenDataVersie.objects.create(
            gemeente=w.zoetermeer, jaar=2024, versie=1, gepubliceerd_op=now, cellen=[], csv=b"", csv_sha256="0" * 64,
            json=b"{}", json_sha256="0" * 64),
    }
    w.admin_objects = objects
    return objects


def _pk(label):
    return lambda w: {"object_id": str(_objects(w)[label].pk)}


def _version(label):
    def kwargs(w):
        obj = _objects(w)[label]
        if not obj.history.exists():  # seeded with bulk_create: give it a version
            obj.save()
        version = obj.history.order_by("-history_id").first()
        return (str(obj.pk), str(version.history_id))
    return kwargs


def _model_rules(model, model_admin) -> dict:
    label = model._meta.label_lower
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    add_read = NOBODY if label in NO_ADD else BEHEERDER
    delete_read = NOBODY if label in NO_DELETE else BEHEERDER
    rules = {
        f"{prefix}_changelist": Rule(read=BEHEERDER, methods=("get", "post"), write=BEHEERDER,
                                     data=lambda w: {"action": "delete_selected", "_selected_action": ["1"]}),
        f"{prefix}_add": Rule(read=add_read, methods=("get", "post"), write=add_read),
        f"{prefix}_change": Rule(kwargs=_pk(label), read=BEHEERDER, methods=("get", "post"), write=BEHEERDER),
        f"{prefix}_delete": Rule(kwargs=_pk(label), read=delete_read, methods=("get", "post"), write=delete_read,
                                 data=lambda w: {"post": "yes"}),
        f"{prefix}_history": Rule(kwargs=_pk(label), read=BEHEERDER),
    }
    if isinstance(model_admin, SimpleHistoryAdmin):  # simple-history: one version of the object
        rules[f"{prefix}_simple_history"] = Rule(kwargs=_version(label), read=BEHEERDER, methods=("get", "post"),
                                                 write=NOBODY if label == "bouwblokken.registratie" else BEHEERDER)
    return rules


def _entries() -> dict:
    site = admin.site
    entries = {
        "admin:index": Rule(read=BEHEERDER),
        "admin:login": Rule(read=BEHEERDER, ok_status=302, note="the portal's login page is the only one"),
        "admin:logout": Rule(read=BEHEERDER, ok_status=405, methods=("get", "post"), write=BEHEERDER,
                             note="Django's admin logout is POST only"),
        "admin:password_change": Rule(read=BEHEERDER),
        "admin:password_change_done": Rule(read=BEHEERDER),
        "admin:jsi18n": Rule(read=BEHEERDER),
        "admin:autocomplete": Rule(read=NOBODY, note="no admin has autocomplete_fields: refused for everyone"),
        "admin:view_on_site": Rule(
            kwargs=lambda w: {"content_type_id": _content_type(w.registratie_a), "object_id": str(w.registratie_a.pk)},
            read=NOBODY, note="no model has get_absolute_url: 404 for the administrator too"),
        "admin:app_list": Rule(kwargs=lambda w: {"app_label": "bouwblokken"}, read=BEHEERDER),
        "admin:auth_user_password_change": Rule(kwargs=lambda w: {"id": str(w.users["leverancier_a"].pk)},
                                                read=BEHEERDER),
        "admin:otp_totp_totpdevice_config": Rule(
            kwargs=lambda w: {"pk": _objects(w)["otp_totp.totpdevice"].pk}, read=NOBODY,
            note="OTP_ADMIN_HIDE_SENSITIVE_DATA: the secret is never shown"),
        "admin:otp_totp_totpdevice_qrcode": Rule(
            kwargs=lambda w: {"pk": _objects(w)["otp_totp.totpdevice"].pk}, read=NOBODY,
            note="OTP_ADMIN_HIDE_SENSITIVE_DATA: the QR code is never shown"),
    }
    for model, model_admin in site._registry.items():
        entries.update(_model_rules(model, model_admin))
    return entries


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


ENTRIES = _entries()
