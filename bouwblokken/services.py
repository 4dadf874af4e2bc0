"""Write workflows for registrations: register, correct, submit, decide; valuation and overlap flags.

Every function is atomic with keyword-only arguments. Bad input raises a ``ValidationError``
keyed by field name (Dutch message) and stores nothing; an action the current state does not
allow raises ``StateConflict``.
"""

import re
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.services import ensure_open
from sroi_portal import clock
from sroi_portal.errors import StateConflict
from sroi_portal.periods import months
from sroi_portal.validation import calculation_error, looks_like_citizen_service_number, refuse_citizen_service_numbers

from . import calculation
from .models import (
    Beoordeling, Besluit, Bouwblok, Kandidaat, Registratie, RegistratieJaar, Signaal, SignaalSoort, Soort, Status,
    Waarderingswijze,
)
from .selectors import evidence_kinds_for, missing_evidence
from .selectors import names as evidence_names

REGISTRATION_FIELDS = (
    "startdatum", "einddatum", "uren_per_week", "bedrag", "dagen", "loonkostensubsidie_tot", "omschrijving",
)


def _kandidaat(*, regio, data: dict) -> Kandidaat:
    errors = {}
    referentie = (data.get("referentie") or "").strip()
    initialen = (data.get("initialen") or "").strip()
    geboortejaar = data.get("geboortejaar")
    if not referentie:
        errors["kandidaat.referentie"] = _("Vul de referentie van de kandidaat in (bijvoorbeeld het WSP-kandidaatnummer).")
    elif looks_like_citizen_service_number(referentie):
        errors["kandidaat.referentie"] = _(
            "Dit lijkt een burgerservicenummer. Gebruik een pseudoniem, zoals het kandidaatnummer van het WSP."
        )
    if not initialen:
        errors["kandidaat.initialen"] = _("Vul de initialen van de kandidaat in.")
    elif looks_like_citizen_service_number(initialen):
        errors["kandidaat.initialen"] = _("Het veld ‘Initialen’ bevat een nummer dat op een BSN lijkt. Verwijder het.")
    this_year = clock.today().year
    if geboortejaar is None:
        errors["kandidaat.geboortejaar"] = _("Vul het geboortejaar van de kandidaat in.")
    elif not (this_year - 100 <= int(geboortejaar) <= this_year - 12):
        errors["kandidaat.geboortejaar"] = _("Het geboortejaar is niet aannemelijk.")
    if errors:
        raise ValidationError(errors)
    # A candidate is the reference *with* its initials and year of birth, as this supplier typed them.
    # The same reference with other data (another supplier's candidate, or a typing error) is a
    # candidate record of its own: the supplier is told nothing about the other one, and the SR-team
    # gets a flag (``refresh_overlap_signals``, SignaalSoort.ANDERE_GEGEVENS). Nothing is merged.
    kandidaat, _created = Kandidaat.objects.get_or_create(
        regio=regio, referentie=referentie, initialen=initialen, geboortejaar=int(geboortejaar)
    )
    return kandidaat


def _bonus_checks(*, bouwblok: Bouwblok, hoofdregistratie: Registratie | None, contract) -> None:
    if hoofdregistratie is None:
        raise ValidationError({"hoofdregistratie": _("Een bonus hoort bij een plaatsing: kies de plaatsing.")})
    if hoofdregistratie.contract_id != contract.pk or not hoofdregistratie.bouwblok.is_plaatsing:
        raise ValidationError({"hoofdregistratie": _("Kies een plaatsing op hetzelfde contract.")})
    if hoofdregistratie.status == Status.AFGEKEURD:
        raise ValidationError({"hoofdregistratie": _("De plaatsing is afgekeurd; corrigeer die eerst.")})
    if bouwblok.hoort_bij and hoofdregistratie.bouwblok.code not in bouwblok.hoort_bij:
        raise ValidationError(
            {"hoofdregistratie": _("Deze bonus is niet mogelijk bij een plaatsing van het soort ‘%(soort)s’.")
             % {"soort": hoofdregistratie.bouwblok.naam}}
        )
    if not bouwblok.combineerbaar_met_banenafspraak and hoofdregistratie.bouwblok.code == "banenafspraak":
        raise ValidationError({"hoofdregistratie": _("Deze bonus is niet te combineren met de banenafspraak.")})
    if bouwblok.min_leeftijd and not calculation.is_55_plus(
        geboortejaar=hoofdregistratie.kandidaat.geboortejaar,
        startdatum=hoofdregistratie.startdatum,
        min_age=bouwblok.min_leeftijd,
    ):
        raise ValidationError(
            {"hoofdregistratie": _("De kandidaat was bij de start van de plaatsing jonger dan %(leeftijd)s jaar.")
             % {"leeftijd": bouwblok.min_leeftijd}}
        )
    if bouwblok.min_maanden_hoofdregistratie:
        end = hoofdregistratie.einddatum
        duration = months(hoofdregistratie.startdatum, end) if end else 0
        if duration < bouwblok.min_maanden_hoofdregistratie:
            raise ValidationError(
                {"hoofdregistratie": _("De stage moet minstens %(maanden)s maanden hebben geduurd.")
                 % {"maanden": bouwblok.min_maanden_hoofdregistratie}}
            )


def _valuation_inputs(registratie: Registratie):
    """The bouwblok parameters and input to value a registration with.

    A recurring bonus (55+) is valued like the placement it belongs to: same hours, same months and
    the same counting window.
    """
    params = registratie.bouwblok.as_params()
    data = registratie.as_input()
    parent = registratie.hoofdregistratie
    if parent is not None and registratie.bouwblok.waarderingswijze == Waarderingswijze.PER_JAAR:
        params = replace(params, max_maanden=parent.bouwblok.max_maanden, min_uren_per_week=parent.bouwblok.min_uren_per_week)
        data = parent.as_input()
    return params, data


def _value(registratie: Registratie) -> calculation.Valuation:
    params, data = _valuation_inputs(registratie)
    contract = registratie.contract
    try:
        return calculation.value_registration(
            bouwblok=params,
            registratie=data,
            contract_start=contract.startdatum,
            contract_end=contract.actuele_einddatum,
            max_months_before_start=settings.SROI_MAX_MONTHS_BEFORE_CONTRACT_START,
        )
    except calculation.ValuationError as error:
        raise calculation_error(error) from error


def _store_valuation(registratie: Registratie, valuation: calculation.Valuation) -> None:
    registratie.waarde = valuation.waarde
    registratie.geteld_van = valuation.geteld_van
    registratie.geteld_tot = valuation.geteld_tot
    registratie.save()
    RegistratieJaar.objects.filter(registratie=registratie).delete()
    RegistratieJaar.objects.bulk_create(
        RegistratieJaar(registratie=registratie, jaar=jaar, waarde=waarde)
        for jaar, waarde in sorted(valuation.per_jaar.items())
    )


def _copy_from_parent(registratie: Registratie) -> None:
    parent = registratie.hoofdregistratie
    if parent is not None and registratie.bouwblok.waarderingswijze == Waarderingswijze.PER_JAAR:
        registratie.startdatum = parent.startdatum
        registratie.einddatum = parent.einddatum
        registratie.uren_per_week = parent.uren_per_week
        registratie.loonkostensubsidie_tot = parent.loonkostensubsidie_tot


def _field_values(registratie: Registratie) -> dict:
    return {name: getattr(registratie, name) for name in REGISTRATION_FIELDS}


def _required_fields(bouwblok: Bouwblok, values: dict) -> None:
    errors = {}
    method = bouwblok.waarderingswijze
    if bouwblok.is_plaatsing and values.get("uren_per_week") in (None, ""):
        errors["uren_per_week"] = _("Vul het aantal uren per week in.")
    if method in (Waarderingswijze.KOSTEN, Waarderingswijze.FACTUUR, Waarderingswijze.AFGESPROKEN) and values.get("bedrag") is None:
        errors["bedrag"] = _("Vul het bedrag in.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register(*, contract, bouwblok_code: str, user=None, kandidaat: dict | None = None,
             hoofdregistratie: Registratie | None = None, **values) -> Registratie:
    """Register how a bouwblok was filled on a contract (status concept) and value it."""
    unknown = set(values) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    refuse_citizen_service_numbers(Registratie, omschrijving=values.get("omschrijving"))
    ensure_open(contract)
    bouwblok = contract.catalogus.bouwblokken.filter(code=bouwblok_code).first()
    if bouwblok is None:
        raise ValidationError({"bouwblok": _("Deze bouwblok bestaat niet in de catalogus van dit contract.")})
    registratie = Registratie(contract=contract, bouwblok=bouwblok, aangemaakt_door=user, **values)
    if bouwblok.is_bonus:
        _bonus_checks(bouwblok=bouwblok, hoofdregistratie=hoofdregistratie, contract=contract)
        registratie.hoofdregistratie = hoofdregistratie
        registratie.kandidaat = hoofdregistratie.kandidaat
        if kandidaat and kandidaat.get("referentie") and kandidaat["referentie"].strip() != hoofdregistratie.kandidaat.referentie:
            raise ValidationError({"kandidaat.referentie": _("De bonus hoort bij de kandidaat van de gekozen plaatsing.")})
        _copy_from_parent(registratie)
    elif bouwblok.is_plaatsing:
        if not kandidaat:
            raise ValidationError({"kandidaat": _("Vul de gegevens van de kandidaat in.")})
        registratie.kandidaat = _kandidaat(regio=contract.gemeente.regio, data=kandidaat)
    _required_fields(bouwblok, _field_values(registratie))
    valuation = _value(registratie)
    _store_valuation(registratie, valuation)
    if registratie.kandidaat_id:
        refresh_overlap_signals(kandidaat=registratie.kandidaat)
    return registratie


def _lock(registratie: Registratie) -> Registratie:
    return (
        Registratie.objects.select_for_update(of=("self",))
        .select_related("contract", "bouwblok__catalogus", "hoofdregistratie__bouwblok")
        .get(pk=registratie.pk)
    )


@transaction.atomic
def update_registration(*, registratie: Registratie, user=None, kandidaat: dict | None = None,
                        versie: int | None = None, **values) -> Registratie:
    """Correct a concept or rejected registration; a rejected one goes back to concept."""
    unknown = set(values) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    refuse_citizen_service_numbers(Registratie, omschrijving=values.get("omschrijving"))
    ensure_open(registratie.contract)
    registratie = _lock(registratie)
    if versie is not None and versie != registratie.versie:
        raise StateConflict(_("Deze registratie is intussen gewijzigd. Laad de pagina opnieuw."))
    if not registratie.is_editable_by_supplier:
        raise StateConflict(_("Een ingediende of goedgekeurde registratie kan niet meer worden gewijzigd."))
    for name, value in values.items():
        setattr(registratie, name, value)
    if kandidaat and registratie.bouwblok.is_plaatsing:
        registratie.kandidaat = _kandidaat(regio=registratie.contract.gemeente.regio, data=kandidaat)
    _copy_from_parent(registratie)
    _required_fields(registratie.bouwblok, _field_values(registratie))
    if registratie.status == Status.AFGEKEURD:
        registratie.status = Status.CONCEPT
    registratie.versie += 1
    _store_valuation(registratie, _value(registratie))
    for bonus in registratie.bonussen.select_related("bouwblok__catalogus"):
        bonus.hoofdregistratie = registratie
        _copy_from_parent(bonus)
        _store_valuation(bonus, _value(bonus))
    if registratie.kandidaat_id:
        refresh_overlap_signals(kandidaat=registratie.kandidaat)
    return registratie


@transaction.atomic
def submit(*, registratie: Registratie, user=None) -> Registratie:
    """Submit a concept (or corrected) registration to the SR-team; who submits is remembered (four eyes)."""
    ensure_open(registratie.contract)
    registratie = _lock(registratie)
    if registratie.status not in (Status.CONCEPT, Status.AFGEKEURD):
        raise StateConflict(_("Alleen een concept kan worden ingediend; deze registratie is al %(status)s.")
                            % {"status": registratie.get_status_display().lower()})
    registratie.status = Status.INGEDIEND
    registratie.ingediend_op = timezone.now()
    registratie.ingediend_door = _user_or_none(user)
    registratie.versie += 1
    registratie.save()
    return registratie


@transaction.atomic
def submit_year(*, contract, jaar: int, user=None) -> int:
    """Submit every concept registration of a contract that counts in ``jaar``; returns how many."""
    ensure_open(contract)
    ids = list(
        Registratie.objects.filter(contract=contract, status=Status.CONCEPT, jaren__jaar=jaar)
        .values_list("pk", flat=True).distinct()
    )
    now = timezone.now()
    for registratie in Registratie.objects.select_for_update().filter(pk__in=ids):
        registratie.status = Status.INGEDIEND
        registratie.ingediend_op = now
        registratie.ingediend_door = _user_or_none(user)
        registratie.versie += 1
        registratie.save(update_fields=["status", "ingediend_op", "ingediend_door", "versie", "gewijzigd_op"])
    return len(ids)


class FourEyesViolation(PermissionDenied):
    """``user`` entered or submitted the registration it tries to decide (rules §2 "Four eyes")."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _user_or_none(user):
    return user if getattr(user, "pk", None) else None


def four_eyes_refusal(*, user, registratie: Registratie) -> str | None:
    """Why ``user`` may not decide ``registratie`` under the four-eyes rule, or None when it may.

    Whoever entered (created) the registration, or submitted it (now or in any earlier version), never
    decides it: SR-team member and functional administrator alike. The one place of that rule; the
    decision pages use it to hide the decision form, :func:`decide` to refuse.
    """
    if not getattr(user, "pk", None):
        return None
    if registratie.aangemaakt_door_id == user.pk:
        return _("U heeft deze registratie zelf ingevoerd. Een ander lid van het SR-team beoordeelt haar (vier ogen).")
    if registratie.ingediend_door_id == user.pk or registratie.history.filter(ingediend_door_id=user.pk).exists():
        return _("U heeft deze registratie zelf ingediend. Een ander lid van het SR-team beoordeelt haar (vier ogen).")
    return None


#: The status a decision leaves the registration in. "Meer informatie" is no rejection: the
#: registration goes back to concept, the supplier supplements it and submits it again.
DECISION_STATUS = {
    Besluit.GOEDGEKEURD: Status.GOEDGEKEURD,
    Besluit.AFGEKEURD: Status.AFGEKEURD,
    Besluit.MEER_INFORMATIE: Status.CONCEPT,
}


#: The code of the ``ValidationError`` of an approval refused for want of evidence.
MISSING_EVIDENCE = "bewijs_ontbreekt"


def missing_evidence_refusal(missing) -> str:
    """The Dutch message of an approval refused for want of evidence (also for the bulk's list)."""
    return _(
        "Bij deze registratie ontbreekt vereist bewijs: %(soorten)s. Keur haar pas goed als dat bewijs er is, "
        "of leg vast waarom u zonder dit bewijs goedkeurt."
    ) % {"soorten": evidence_names(missing)}


@transaction.atomic
def decide(*, registratie: Registratie, besluit: str, toelichting: str = "", user=None,
           versie: int | None = None, reden_zonder_bewijs: str = "") -> Registratie:
    """Approve, reject or ask for more information on a submitted registration.

    A rejection and a question need a text the supplier will read. The row is locked, so of two
    SR-team members deciding at once one wins and the other is told. Refused (nothing stored): a
    settled contract (``StateConflict``, :func:`contracts.services.ensure_open`) and a decider who
    entered or submitted the registration (``FourEyesViolation``, :func:`four_eyes_refusal`).

    Evidence before approval (SROI-RULES.md §3 step 6): an approval of a registration that lacks a
    kind of evidence its bouwblok needs (:func:`bouwblokken.selectors.missing_evidence`) is refused
    (``ValidationError`` keyed ``reden_zonder_bewijs``) unless ``reden_zonder_bewijs`` says why; the
    reason and the missing kinds are kept with the decision (``Beoordeling``) and on the registration.
    """
    errors = {}
    if besluit not in Besluit.values:
        errors["besluit"] = _("Kies goedkeuren, afkeuren of meer informatie vragen.")
    elif besluit == Besluit.AFGEKEURD and not (toelichting or "").strip():
        errors["toelichting"] = _("Geef bij een afkeuring de reden; de leverancier ziet die.")
    elif besluit == Besluit.MEER_INFORMATIE and not (toelichting or "").strip():
        errors["toelichting"] = _("Schrijf welke informatie u nodig heeft; de leverancier ziet uw vraag.")
    if errors:
        raise ValidationError(errors)
    refuse_citizen_service_numbers(Beoordeling, toelichting=toelichting)
    ensure_open(registratie.contract)
    registratie = _lock(registratie)
    refusal = four_eyes_refusal(user=user, registratie=registratie)
    if refusal:
        raise FourEyesViolation(refusal)
    if versie is not None and versie != registratie.versie:
        raise StateConflict(_("Deze registratie is intussen gewijzigd of beoordeeld. Laad de pagina opnieuw."))
    if registratie.status != Status.INGEDIEND:
        raise StateConflict(_("Alleen een ingediende registratie kan worden beoordeeld; deze is %(status)s.")
                            % {"status": registratie.get_status_display().lower()})
    reden_zonder_bewijs = (reden_zonder_bewijs or "").strip()
    ontbrekend = missing_evidence(registratie) if besluit == Besluit.GOEDGEKEURD else []
    if ontbrekend and not reden_zonder_bewijs:
        raise ValidationError({"reden_zonder_bewijs": ValidationError(
            missing_evidence_refusal(ontbrekend), code=MISSING_EVIDENCE)})
    if not ontbrekend:
        reden_zonder_bewijs = ""  # kept only where it explains something: an approval without evidence
    refuse_citizen_service_numbers(Beoordeling, reden_zonder_bewijs=reden_zonder_bewijs)
    toelichting = (toelichting or "").strip()
    registratie.status = DECISION_STATUS[besluit]
    registratie.beoordeling_besluit = besluit
    registratie.beoordeeld_op = timezone.now()
    registratie.beoordeeld_door = _user_or_none(user)
    registratie.beoordeling_toelichting = toelichting
    registratie.beoordeling_reden_zonder_bewijs = reden_zonder_bewijs
    registratie.versie += 1
    registratie.save()
    Beoordeling.objects.create(registratie=registratie, besluit=besluit, toelichting=toelichting,
                               door=_user_or_none(user), reden_zonder_bewijs=reden_zonder_bewijs,
                               ontbrekend_bewijs=[{"code": kind.code, "naam": kind.naam} for kind in ontbrekend])
    if registratie.kandidaat_id:
        refresh_overlap_signals(kandidaat=registratie.kandidaat)
    return registratie


def revalue_registration(*, registratie: Registratie) -> Registratie:
    """Value a registration again (e.g. after the contract period changed). Out-of-period placements count 0."""
    try:
        valuation = _value(registratie)
    except ValidationError:
        # The registration no longer fits the contract period (e.g. after a shortening): it counts nothing.
        valuation = calculation.Valuation(waarde=Decimal("0.00"), per_jaar={}, geteld_maanden=0, geteld_van=None, geteld_tot=None)
    _store_valuation(registratie, valuation)
    return registratie


@transaction.atomic
def revalue_contract_registrations(*, contract) -> None:
    registraties = list(
        contract.registraties.select_related("contract", "bouwblok__catalogus", "hoofdregistratie__bouwblok", "kandidaat")
        .order_by("hoofdregistratie_id", "pk")
    )
    for registratie in registraties:
        registratie.contract = contract
        _copy_from_parent(registratie)
        revalue_registration(registratie=registratie)
    for kandidaat in {r.kandidaat for r in registraties if r.kandidaat_id}:
        refresh_overlap_signals(kandidaat=kandidaat)


def refresh_overlap_signals(*, kandidaat: Kandidaat) -> None:
    """The SR-team's flags on the placements of one person: every candidate record with this
    reference in the region (suppliers each keep their own record; see ``_kandidaat``).

    - ``OVERLAP``: two placements whose counted months overlap (across contracts and suppliers),
      by :func:`calculation.counted_periods_overlap`, the one tested rule;
    - ``ANDERE_GEGEVENS``: two placements under the same reference with other initials or another
      year of birth (perhaps another person, perhaps a typing error: the SR-team checks).

    Rejected registrations do not count and are not flagged. Both registrations of a pair get a
    flag. Only the SR-team sees them: the supplier's pages and the API leave them out.
    """
    group = Kandidaat.objects.filter(regio_id=kandidaat.regio_id, referentie=kandidaat.referentie).values("pk")
    placements = list(
        Registratie.objects.filter(kandidaat__in=group, bouwblok__soort=Soort.PLAATSING)
        .exclude(status=Status.AFGEKEURD)
        .only("pk", "kandidaat_id", "geteld_van", "geteld_tot")
    )
    wanted = set()
    for i, a in enumerate(placements):
        for b in placements[i + 1:]:
            found = []
            if calculation.counted_periods_overlap(a, b):
                found.append(SignaalSoort.OVERLAP)
            if a.kandidaat_id != b.kandidaat_id:
                found.append(SignaalSoort.ANDERE_GEGEVENS)
            for soort in found:
                wanted.add((a.pk, b.pk, soort))
                wanted.add((b.pk, a.pk, soort))
    ids = Registratie.objects.filter(kandidaat__in=group).values("pk")
    kinds = (SignaalSoort.OVERLAP, SignaalSoort.ANDERE_GEGEVENS)
    # Also the flags pointing at these registrations from elsewhere (a reference that was corrected).
    existing = {
        (row[0], row[1], row[2]): row[3] for row in
        Signaal.objects.filter(Q(registratie__in=ids) | Q(andere_registratie__in=ids), soort__in=kinds)
        .values_list("registratie_id", "andere_registratie_id", "soort", "pk")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Signaal.objects.filter(pk__in=stale).delete()
    Signaal.objects.bulk_create(
        [Signaal(registratie_id=a, andere_registratie_id=b, soort=soort)
         for a, b, soort in sorted(wanted - set(existing))]
    )


# --- Added for the supplier pages (issue #3): value preview and evidence upload ------------------

def preview_value(*, contract, bouwblok_code: str, hoofdregistratie: Registratie | None = None,
                  **values) -> calculation.Valuation:
    """The value a registration with these inputs would get, computed exactly as ``register`` does,
    without storing anything (the "Bereken waarde" button). Raises the same ``ValidationError``s."""
    unknown = set(values) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    bouwblok = contract.catalogus.bouwblokken.filter(code=bouwblok_code).first()
    if bouwblok is None:
        raise ValidationError({"bouwblok": _("Deze bouwblok bestaat niet in de catalogus van dit contract.")})
    registratie = Registratie(contract=contract, bouwblok=bouwblok, **values)
    if bouwblok.is_bonus:
        _bonus_checks(bouwblok=bouwblok, hoofdregistratie=hoofdregistratie, contract=contract)
        registratie.hoofdregistratie = hoofdregistratie
        _copy_from_parent(registratie)
    _required_fields(bouwblok, _field_values(registratie))
    return _value(registratie)


#: Accepted evidence types, recognised by their first bytes (never by the file name).
EVIDENCE_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def sniff_evidence_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) for a PDF, PNG or JPEG by its magic bytes; None for anything else."""
    for signature, content_type, extension in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def _safe_original_name(name: str) -> str:
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "bestand"
    return name[-255:]


@transaction.atomic
def add_evidence(*, registratie: Registratie, bestand, soort: str | None = None, user=None, omschrijving: str = ""):
    """Store an evidence file (PDF, PNG or JPEG, at most ``SROI_EVIDENCE_MAX_BYTES``) for a registration.

    ``soort`` is the code of the kind of evidence (``Bewijssoort``): one the registration's bouwblok
    needs, or ``overig`` (:func:`bouwblokken.selectors.evidence_kinds_for`); required, keyed ``soort``.

    The type is decided by the file's content, not its name or the browser's content type; the
    stored name is made by the server (``bouwblokken.models.evidence_path``); the uploaded name is
    kept only as metadata. A refused file raises ``ValidationError`` keyed ``bestand`` (Dutch) and
    nothing is stored. An approved registration or a settled contract raises ``StateConflict``.
    """
    from .models import Bewijsstuk

    refuse_citizen_service_numbers(Bewijsstuk, omschrijving=omschrijving)
    ensure_open(registratie.contract)  # the contract row first, then the registration (one lock order)
    # Lock only the registration row (FOR UPDATE OF): PostgreSQL refuses to lock the nullable side
    # of an outer join, which select_related("hoofdregistratie") would add.
    registratie = Registratie.objects.select_for_update(of=("self",)).select_related("contract").get(pk=registratie.pk)
    if registratie.status == Status.GOEDGEKEURD:
        raise StateConflict(_("Bij een goedgekeurde registratie kunnen geen bewijsstukken meer worden toegevoegd."))
    kinds = {kind.code: kind for kind in evidence_kinds_for(registratie)}
    if not soort:
        raise ValidationError({"soort": _("Kies wat voor bewijsstuk dit is.")})
    if soort not in kinds:
        raise ValidationError({"soort": _("Dit soort bewijsstuk hoort niet bij deze registratie. Kies uit: %(soorten)s.")
                               % {"soorten": evidence_names(kinds.values())}})
    limit = settings.SROI_EVIDENCE_MAX_BYTES
    if bestand is None:
        raise ValidationError({"bestand": _("Kies een bestand.")})
    if bestand.size == 0:
        raise ValidationError({"bestand": _("Het bestand is leeg.")})
    if bestand.size > limit:
        raise ValidationError({"bestand": _("Het bestand is te groot: het mag hoogstens %(mb)s MB zijn.")
                               % {"mb": _format_megabytes(limit)}})
    bestand.seek(0)
    head = bestand.read(16)
    bestand.seek(0)
    kind = sniff_evidence_type(head)
    if kind is None:
        raise ValidationError({"bestand": _(
            "Dit bestand is geen PDF, PNG of JPEG. Upload een PDF-document of een foto (PNG of JPEG)."
        )})
    content_type, _extension = kind
    bewijs = Bewijsstuk(
        registratie=registratie,
        soort=kinds[soort],
        oorspronkelijke_naam=_safe_original_name(getattr(bestand, "name", "")),
        content_type=content_type,
        grootte=bestand.size,
        omschrijving=(omschrijving or "").strip()[:200],
        geupload_door=user,
    )
    bewijs.bestand.save("bewijs", bestand, save=False)
    try:
        bewijs.save()
    except Exception:
        bewijs.bestand.delete(save=False)
        raise
    return bewijs


def _format_megabytes(size: int) -> str:
    megabytes = Decimal(size) / Decimal(1024 * 1024)
    text = f"{megabytes.quantize(Decimal('0.1')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
