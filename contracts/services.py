"""Write workflows for contracts: award, value changes, exemption, settlement.

Every function is atomic and takes keyword-only arguments; on bad input it raises a
``ValidationError`` keyed by field name with a Dutch message, and nothing is stored.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sroi_portal import clock
from sroi_portal.errors import StateConflict
from sroi_portal.validation import calculation_error, citizen_service_number_errors, refuse_citizen_service_numbers

from . import calculation
from .models import Afrekening, Contract, ContractWijziging, Gemeente, Leverancier, Ontheffing, WijzigingSoort

# Above this an amount is a typing error, not a contract (the API refuses it too).
MAX_CONTRACT_AMOUNT = Decimal("10000000000.00")

CONTRACT_FIELDS = (
    "gemeente", "leverancier", "kenmerk", "omschrijving", "categorie", "procedure", "gunningsdatum",
    "startdatum", "einddatum", "aanneemsom", "loonsom", "extra_percentage", "sebo_keurmerk",
)


# --- Closed means closed (rules §2 "Progress, status and settlement") ---------------------------


#: The contracts that are closed: settled, an ``Afrekening`` recorded (a filter for many at once).
CLOSED = Q(afrekening__isnull=False)


def is_closed(contract) -> bool:
    """Is ``contract`` settled (an ``Afrekening`` recorded)? Asked of the database, not of a cached relation."""
    return bool(getattr(contract, "pk", None)) and Contract.objects.filter(CLOSED, pk=contract.pk).exists()


def closed_message() -> str:
    return _(
        "Dit contract is afgerekend en daarmee gesloten: registraties toevoegen, wijzigen, indienen of "
        "beoordelen, waardewijzigingen en ontheffingen zijn niet meer mogelijk. Alleen de afrekening zelf kan "
        "nog worden gecorrigeerd, met een reden."
    )


def ensure_open(contract, *, lock: bool = True) -> None:
    """The one guard of a settled contract: every write on a contract or its registrations calls it.

    Raises ``StateConflict`` (Dutch message; the API answers 409, the pages show it) when the contract
    is settled. With ``lock`` (inside a transaction) the contract row is locked first, so a settlement
    being recorded at the same moment (``settle_contract`` locks the same row) is waited for and seen.
    """
    if lock and getattr(contract, "pk", None):
        list(Contract.objects.select_for_update().filter(pk=contract.pk).values_list("pk", flat=True))
    if is_closed(contract):
        raise StateConflict(closed_message())


def supplier_change_message() -> str:
    return _(
        "De leverancier van dit contract kan niet meer worden gewijzigd: er zijn al registraties op het "
        "contract vastgelegd, met gegevens van kandidaten die de nieuwe leverancier niet mag zien. Leg het "
        "contract zo nodig opnieuw vast voor de nieuwe leverancier."
    )


def ensure_supplier_may_change(*, contract, leverancier) -> None:
    """The one rule for changing a contract's supplier: refused once the contract has registrations
    (they hold the old supplier's placements, some of them health-related). ``ValidationError`` on
    ``leverancier``."""
    new_id = getattr(leverancier, "pk", leverancier)
    if contract.pk and new_id != contract.leverancier_id and contract.registraties.exists():
        raise ValidationError({"leverancier": supplier_change_message()})


def versions_in_force(*, gemeente: Gemeente, gunningsdatum):
    """The policy and catalogue versions in force at the award date; a clear error when none is."""
    from bouwblokken.models import Catalogus

    beleid = gemeente.beleid_op(gunningsdatum)
    catalogus = (
        Catalogus.objects.filter(regio_id=gemeente.regio_id, geldig_vanaf__lte=gunningsdatum)
        .order_by("-geldig_vanaf")
        .first()
    )
    return _both_in_force(gemeente, beleid, catalogus)


def _both_in_force(gemeente, beleid, catalogus):
    """(beleid, catalogus), or a Dutch ``ValidationError`` on ``gunningsdatum`` naming what is missing."""
    errors = {}
    if beleid is None:
        errors["gunningsdatum"] = _("Voor %(gemeente)s is op deze gunningsdatum geen social-returnbeleid vastgelegd.") % {
            "gemeente": gemeente.naam
        }
    if catalogus is None:
        errors.setdefault(
            "gunningsdatum", _("Voor deze regio is op deze gunningsdatum geen bouwblokkencatalogus vastgelegd.")
        )
    if errors:
        raise ValidationError(errors)
    return beleid, catalogus


def _validate_contract_values(values: dict):
    errors = {}
    today = clock.today()
    if values["gunningsdatum"] > today:
        errors["gunningsdatum"] = _("De gunningsdatum mag niet in de toekomst liggen.")
    if values["einddatum"] < values["startdatum"]:
        errors["einddatum"] = _("De einddatum ligt vóór de startdatum.")
    if values["aanneemsom"] < 0:
        errors["aanneemsom"] = _("Het bedrag mag niet negatief zijn.")
    elif values["aanneemsom"] > MAX_CONTRACT_AMOUNT:
        errors["aanneemsom"] = _("Een aanneemsom boven € 10 miljard is niet aannemelijk; controleer het bedrag.")
    if values["loonsom"] < 0:
        errors["loonsom"] = _("Het bedrag mag niet negatief zijn.")
    elif values["loonsom"] > values["aanneemsom"]:
        errors["loonsom"] = _("De loonsom mag niet hoger zijn dan de aanneemsom.")
    extra = values.get("extra_percentage") or Decimal(0)
    if extra < 0 or extra > 100:
        errors["extra_percentage"] = _("Het extra percentage ligt tussen 0 en 100.")
    errors.update(citizen_service_number_errors(Contract, omschrijving=values.get("omschrijving")))
    if errors:
        raise ValidationError(errors)


def preview_obligation(*, gemeente: Gemeente, gunningsdatum, categorie, procedure, aanneemsom, loonsom,
                       extra_percentage=Decimal(0), sebo_keurmerk=False) -> calculation.Obligation:
    """The obligation a contract with these values would get (shown before saving)."""
    beleid, _catalogus = versions_in_force(gemeente=gemeente, gunningsdatum=gunningsdatum)
    try:
        return calculation.compute_obligation(
            policy=beleid.as_params(), categorie=categorie, procedure=procedure, aanneemsom=aanneemsom,
            loonsom=loonsom, extra_percentage=extra_percentage or Decimal(0), sebo_keurmerk=sebo_keurmerk,
        )
    except calculation.CalculationError as error:
        raise calculation_error(error) from error


def _apply_obligation(contract: Contract):
    exemption = getattr(contract, "ontheffing", None) if contract.pk else None
    try:
        obligation = calculation.compute_obligation(
            policy=contract.beleid.as_params(),
            categorie=contract.categorie,
            procedure=contract.procedure,
            aanneemsom=contract.actuele_aanneemsom,
            loonsom=contract.actuele_loonsom,
            extra_percentage=contract.extra_percentage,
            sebo_keurmerk=contract.sebo_keurmerk,
            exemption=exemption.as_params() if exemption else None,
        )
    except calculation.CalculationError as error:
        raise calculation_error(error) from error
    contract.verplichting_van_toepassing = obligation.van_toepassing
    contract.verplichting_percentage = obligation.percentage
    contract.verplichting_bedrag = obligation.bedrag
    contract.verplichting_reden = obligation.reden
    contract.verplichting_status = obligation.status or ""
    return obligation


def _apply_changes(contract: Contract):
    """Current aanneemsom, loonsom and end date after the recorded value changes."""
    if contract.pk:
        totals = contract.wijzigingen.aggregate(bedrag=Sum("bedrag"), loonsom=Sum("loonsom_bedrag"))
        last_extension = (
            contract.wijzigingen.filter(soort=WijzigingSoort.VERLENGING).order_by("-datum", "-id").first()
        )
    else:
        totals, last_extension = {}, None
    contract.actuele_aanneemsom = contract.aanneemsom + (totals.get("bedrag") or 0)
    contract.actuele_loonsom = contract.loonsom + (totals.get("loonsom") or 0)
    contract.actuele_einddatum = last_extension.nieuwe_einddatum if last_extension else contract.einddatum


@transaction.atomic
def create_contract(*, user=None, **values) -> Contract:
    """Record an awarded contract and compute its obligation with the versions in force at award."""
    unknown = set(values) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    values.setdefault("extra_percentage", Decimal(0))
    values.setdefault("sebo_keurmerk", False)
    _validate_contract_values(values)
    beleid, catalogus = versions_in_force(gemeente=values["gemeente"], gunningsdatum=values["gunningsdatum"])
    if Contract.objects.filter(gemeente=values["gemeente"], kenmerk=values["kenmerk"]).exists():
        raise ValidationError({"kenmerk": _("Deze gemeente heeft al een contract met dit kenmerk.")})
    contract = Contract(beleid=beleid, catalogus=catalogus, aangemaakt_door=user, **values)
    _apply_changes(contract)
    _apply_obligation(contract)
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def update_contract(*, contract: Contract, user=None, **values) -> Contract:
    """Correct the contract data; the obligation and the registrations' values follow."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    unknown = set(values) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    if values:
        ensure_open(contract)
    if "leverancier" in values:
        ensure_supplier_may_change(contract=contract, leverancier=values["leverancier"])
    for name, value in values.items():
        setattr(contract, name, value)
    _validate_contract_values({name: getattr(contract, name) for name in CONTRACT_FIELDS})
    if {"gemeente", "gunningsdatum"} & set(values):
        contract.beleid, catalogus = versions_in_force(gemeente=contract.gemeente, gunningsdatum=contract.gunningsdatum)
        if catalogus.pk != contract.catalogus_id:
            if contract.registraties.exists():
                raise ValidationError(
                    {"gunningsdatum": _("Met deze gunningsdatum geldt een andere catalogus, maar er zijn al registraties.")}
                )
            contract.catalogus = catalogus
    if "kenmerk" in values and Contract.objects.filter(gemeente=contract.gemeente, kenmerk=contract.kenmerk).exclude(
        pk=contract.pk
    ).exists():
        raise ValidationError({"kenmerk": _("Deze gemeente heeft al een contract met dit kenmerk.")})
    _apply_changes(contract)
    _apply_obligation(contract)
    contract.full_clean()
    contract.save()
    if {"startdatum", "einddatum"} & set(values):
        _revalue_registrations(contract)
    return contract


def _revalue_registrations(contract):
    from bouwblokken.services import revalue_contract_registrations

    revalue_contract_registrations(contract=contract)


@transaction.atomic
def record_value_change(*, contract: Contract, soort, datum, bedrag=Decimal(0), loonsom_bedrag=Decimal(0),
                        nieuwe_einddatum=None, toelichting="", user=None) -> ContractWijziging:
    """Meerwerk, minderwerk, an option taken up or an extension; the obligation is recomputed."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    ensure_open(contract)
    errors = {}
    if soort not in WijzigingSoort.values:
        errors["soort"] = _("Onbekende soort wijziging.")
    if soort == WijzigingSoort.MEERWERK and bedrag <= 0:
        errors["bedrag"] = _("Meerwerk verhoogt de aanneemsom: vul een positief bedrag in.")
    if soort == WijzigingSoort.MINDERWERK and bedrag >= 0:
        errors["bedrag"] = _("Minderwerk verlaagt de aanneemsom: vul een negatief bedrag in.")
    if soort == WijzigingSoort.VERLENGING:
        if nieuwe_einddatum is None:
            errors["nieuwe_einddatum"] = _("Vul de nieuwe einddatum in.")
        elif nieuwe_einddatum < contract.startdatum:
            errors["nieuwe_einddatum"] = _("De einddatum ligt vóór de startdatum.")
    errors.update(citizen_service_number_errors(ContractWijziging, toelichting=toelichting))
    if errors:
        raise ValidationError(errors)
    change = ContractWijziging.objects.create(
        contract=contract, soort=soort, datum=datum, bedrag=bedrag, loonsom_bedrag=loonsom_bedrag,
        nieuwe_einddatum=nieuwe_einddatum, toelichting=toelichting, geregistreerd_door=user,
    )
    end_before = contract.actuele_einddatum
    _apply_changes(contract)
    if contract.actuele_aanneemsom < 0:
        raise ValidationError({"bedrag": _("De aanneemsom kan niet negatief worden.")})
    if not (0 <= contract.actuele_loonsom <= contract.actuele_aanneemsom):
        raise ValidationError({"loonsom_bedrag": _("De loonsom mag niet hoger zijn dan de aanneemsom.")})
    _apply_obligation(contract)
    contract.save()
    if contract.actuele_einddatum != end_before:
        _revalue_registrations(contract)
    return change


@transaction.atomic
def record_exemption(*, contract: Contract, soort, besluitdatum, besloten_door, reden, bedrag=None,
                     user=None) -> Ontheffing:
    """Ontheffing by the gemeentesecretaris: full (obligation 0) or partial (a lower amount)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    ensure_open(contract)
    errors = {}
    if not (besloten_door or "").strip():
        errors["besloten_door"] = _("Vul in wie het besluit nam (de gemeentesecretaris).")
    if not (reden or "").strip():
        errors["reden"] = _("Vul de reden van de ontheffing in.")
    if besluitdatum and besluitdatum > clock.today():
        errors["besluitdatum"] = _("De besluitdatum mag niet in de toekomst liggen.")
    if soort == "gedeeltelijk" and (bedrag is None or bedrag < 0):
        errors["bedrag"] = _("Vul de verlaagde verplichting in.")
    if soort == "volledig":
        bedrag = None
    errors.update(citizen_service_number_errors(Ontheffing, besloten_door=besloten_door, reden=reden))
    if errors:
        raise ValidationError(errors)
    ontheffing, _created = Ontheffing.objects.update_or_create(
        contract=contract,
        defaults={"soort": soort, "bedrag": bedrag, "besluitdatum": besluitdatum, "besloten_door": besloten_door,
                  "reden": reden, "geregistreerd_door": user},
    )
    contract.ontheffing = ontheffing
    _apply_obligation(contract)
    contract.save()
    return ontheffing


@transaction.atomic
def settle_contract(*, contract: Contract, besluit: str, datum=None, correctie_reden: str = "", user=None) -> Afrekening:
    """Record the settlement: shortfall = max(obligation − realised, 0), sanction = factor × shortfall.

    A recorded settlement can be corrected only with a reason (the history keeps every version). A
    contract is settled at or after its (current) end date, not before: ``datum`` (default today) may
    not lie before ``actuele_einddatum``.
    """
    from .selectors import realisation_totals

    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not (besluit or "").strip():
        raise ValidationError({"besluit": _("Vul het besluit van de afrekening in.")})
    existing = Afrekening.objects.filter(contract=contract).first()
    if existing and not (correctie_reden or "").strip():
        raise ValidationError({"correctie_reden": _("Een vastgestelde afrekening wijzigt u alleen met een reden.")})
    refuse_citizen_service_numbers(Afrekening, besluit=besluit, correctie_reden=correctie_reden)
    datum = datum or clock.today()
    if datum < contract.actuele_einddatum:
        raise ValidationError({"datum": _(
            "Het contract loopt nog tot %(datum)s; afrekenen kan vanaf de einddatum."
        ) % {"datum": contract.actuele_einddatum.strftime("%d-%m-%Y")}})
    realised = realisation_totals(contract_ids=[contract.pk]).get(contract.pk, {}).get("goedgekeurd", Decimal("0.00"))
    settlement = calculation.settle(
        obligation_amount=contract.verplichting_bedrag, realised=realised, sanctie_factor=contract.beleid.sanctie_factor
    )
    afrekening = existing or Afrekening(contract=contract)
    afrekening.datum = datum
    afrekening.verplichting = settlement.verplichting
    afrekening.gerealiseerd = settlement.gerealiseerd
    afrekening.tekort = settlement.tekort
    afrekening.sanctie_factor = settlement.sanctie_factor
    afrekening.sanctie = settlement.sanctie
    afrekening.besluit = besluit
    afrekening.correctie_reden = correctie_reden or ""
    afrekening.vastgesteld_door = user
    afrekening.save()
    return afrekening


def get_or_create_leverancier(*, kvk_nummer: str, naam: str = "") -> Leverancier:
    leverancier = Leverancier.objects.filter(kvk_nummer=kvk_nummer).first()
    if leverancier:
        return leverancier
    leverancier = Leverancier(kvk_nummer=kvk_nummer, naam=naam)
    leverancier.full_clean()
    leverancier.save()
    return leverancier


# --- Award with a (possibly new) supplier, bulk import, intake ------------------------------------
# Added for the staff pages (issue #3): the single-contract path and the bulk import share the same
# validation and obligation code (``_validate_contract_values``, ``_apply_changes``,
# ``_apply_obligation``), so an imported contract gets exactly the obligation ``create_contract`` gives.


class VersionIndex:
    """Policy and catalogue versions of some municipalities, loaded once (two queries) for many contracts.

    ``in_force(gemeente, gunningsdatum)`` answers like :func:`versions_in_force`, without queries.
    """

    def __init__(self, gemeenten):
        from bouwblokken.models import Catalogus
        from .models import Beleid

        gemeenten = list(gemeenten)
        self._beleid = {}
        for beleid in Beleid.objects.filter(gemeente__in=[g.pk for g in gemeenten]).order_by("-geldig_vanaf"):
            # The policy's parameters are computed once, not once per contract (these instances are
            # only read while the index lives).
            params = beleid.as_params()
            beleid.as_params = lambda params=params: params
            self._beleid.setdefault(beleid.gemeente_id, []).append(beleid)
        self._catalogi = {}
        for catalogus in Catalogus.objects.filter(regio_id__in={g.regio_id for g in gemeenten}).order_by("-geldig_vanaf"):
            self._catalogi.setdefault(catalogus.regio_id, []).append(catalogus)

    @staticmethod
    def _first(versions, peildatum):
        return next((version for version in versions if version.geldig_vanaf <= peildatum), None)

    def in_force(self, gemeente, gunningsdatum):
        return _both_in_force(
            gemeente,
            self._first(self._beleid.get(gemeente.pk, []), gunningsdatum),
            self._first(self._catalogi.get(gemeente.regio_id, []), gunningsdatum),
        )


def build_contract(*, versions: VersionIndex, user=None, **values) -> Contract:
    """An unsaved contract with its obligation computed exactly as :func:`create_contract` does.

    Validates the values (Dutch ``ValidationError`` keyed by field name) but does not check the
    uniqueness of the kenmerk: a bulk caller checks all kenmerken at once.
    """
    unknown = set(values) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    values.setdefault("extra_percentage", Decimal(0))
    values.setdefault("sebo_keurmerk", False)
    _validate_contract_values(values)
    beleid, catalogus = versions.in_force(values["gemeente"], values["gunningsdatum"])
    contract = Contract(beleid=beleid, catalogus=catalogus, aangemaakt_door=user, **values)
    _apply_changes(contract)
    _apply_obligation(contract)
    return contract


@transaction.atomic
def create_contracts_in_bulk(*, contracts: list[Contract], new_suppliers: list[Leverancier] = (), user=None,
                             batch_size: int = 1000) -> list[Contract]:
    """Store contracts made by :func:`build_contract` (and the new suppliers they name), all or nothing.

    Every contract and supplier gets its history record (audit trail), as with single creation.
    The database constraints (unique kenmerk per municipality, amounts) are the last guard.
    """
    from simple_history.utils import bulk_create_with_history

    history_user = user if getattr(user, "is_authenticated", False) else None
    if new_suppliers:
        created = bulk_create_with_history(list(new_suppliers), Leverancier, batch_size=batch_size,
                                           default_user=history_user)
        by_kvk = {supplier.kvk_nummer: supplier for supplier in created}
        for contract in contracts:
            if contract.leverancier_id is None:
                contract.leverancier = by_kvk[contract.leverancier.kvk_nummer]
    created = bulk_create_with_history(contracts, Contract, batch_size=batch_size, default_user=history_user)
    # bulk_create sends no post_save: tell the listeners (the stored figures) what was stored.
    from .signals import contracts_created

    contracts_created.send(sender=Contract, contract_ids=[c.pk for c in created if c.pk],
                           gemeente_ids={c.gemeente_id for c in created})
    return created


@transaction.atomic
def create_contract_with_supplier(*, user=None, leverancier_kvk: str, leverancier_naam: str = "", **values) -> Contract:
    """Record an awarded contract for a known supplier (by KvK number) or a new one (KvK number and name).

    The supplier is created in the same transaction: when the contract is refused, no supplier stays behind.
    """
    leverancier = Leverancier.objects.filter(kvk_nummer=leverancier_kvk).first()
    if leverancier is None:
        if not (leverancier_naam or "").strip():
            raise ValidationError({
                "leverancier_naam": _("Dit KvK-nummer is nog niet bekend: vul de naam van de leverancier in.")
            })
        try:
            leverancier = get_or_create_leverancier(kvk_nummer=leverancier_kvk, naam=leverancier_naam.strip())
        except ValidationError as error:
            mapping = {"kvk_nummer": "leverancier_kvk", "naam": "leverancier_naam"}
            raise ValidationError(
                {mapping.get(field, field): messages for field, messages in error.message_dict.items()}
            ) from error
    return create_contract(user=user, leverancier=leverancier, **values)


@transaction.atomic
def log_contact(*, contract: Contract, datum, soort: str, notitie: str = "", user=None):
    """Record contact between the SR-team and the supplier; the first contact sets ``contact_opgenomen_op``."""
    from datetime import datetime, time

    from .models import ContactMoment, ContactSoort

    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = {}
    if soort not in ContactSoort.values:
        errors["soort"] = _("Kies hoe er contact was.")
    if datum is None:
        errors["datum"] = _("Vul de datum van het contact in.")
    elif datum > clock.today():
        errors["datum"] = _("De datum van het contact mag niet in de toekomst liggen.")
    errors.update(citizen_service_number_errors(ContactMoment, notitie=notitie))
    if errors:
        raise ValidationError(errors)
    moment = ContactMoment.objects.create(contract=contract, datum=datum, soort=soort, notitie=notitie or "", door=user)
    if datum == clock.today():
        when = timezone.now()
    else:
        when = timezone.make_aware(datetime.combine(datum, time(9, 0)))
    if contract.contact_opgenomen_op is None or when < contract.contact_opgenomen_op:
        contract.contact_opgenomen_op = when
        contract.save(update_fields=["contact_opgenomen_op"])
    return moment


PDF_MAGIC = b"%PDF-"


@transaction.atomic
def attach_plan(*, contract: Contract, upload, omschrijving: str = "", user=None):
    """Store the agreed plan of approach: a PDF (checked by content, not by name) in private storage."""
    from django.conf import settings

    from .models import PlanVanAanpak

    max_bytes = getattr(settings, "SROI_PLAN_MAX_BYTES", 10 * 1024 * 1024)
    refuse_citizen_service_numbers(PlanVanAanpak, omschrijving=omschrijving)
    if upload is None:
        raise ValidationError({"bestand": _("Kies een PDF-bestand.")})
    if upload.size == 0:
        raise ValidationError({"bestand": _("Het bestand is leeg.")})
    if upload.size > max_bytes:
        raise ValidationError({"bestand": _("Het bestand is groter dan %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.lstrip(b"\r\n\t ").startswith(PDF_MAGIC):
        raise ValidationError({"bestand": _("Dit is geen PDF-bestand. Lever het plan van aanpak aan als PDF.")})
    naam = (getattr(upload, "name", "") or "plan-van-aanpak.pdf").replace("\\", "/").rsplit("/", 1)[-1][:255]
    plan = PlanVanAanpak(contract=contract, oorspronkelijke_naam=naam, grootte=upload.size,
                         omschrijving=(omschrijving or "")[:200], geupload_door=user)
    plan.bestand.save("plan.pdf", upload, save=False)
    plan.save()
    return plan
