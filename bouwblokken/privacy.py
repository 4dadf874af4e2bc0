"""Right of access (AVG art. 15): everything the portal holds about one candidate reference.

``export_candidate(referentie=...)`` returns a JSON-ready dict; ``manage.py avg_export
<referentie>`` writes it as JSON, and the SR-team's page can call the same function. The portal
never holds a name or BSN: what it holds is the pseudonymous reference, initials, year of birth,
the registrations on which the person counts (with dates, hours, values and the SR-team's
decisions), overlap flags, the evidence files' metadata (the files themselves are handed over
separately, see docs/security.md), the history of changes to those registrations and the rows of
the processing log about the reference ("who has seen my data"). Making the export is itself logged
(activity ``avg-export``) for every special-category registration in it.
"""

from django.utils import timezone

from sroi_portal import processing_log

from .models import Kandidaat, Registratie
from .retention import retention_limit


def _date(value):
    return value.isoformat() if value else None


def _money(value):
    return None if value is None else f"{value:.2f}"


def _registratie(registratie: Registratie) -> dict:
    contract = registratie.contract
    afrekening = getattr(contract, "afrekening", None)
    return {
        "id": registratie.pk,
        "contract": {
            "kenmerk": contract.kenmerk,
            "omschrijving": contract.omschrijving,
            "gemeente": contract.gemeente.naam,
            "leverancier": contract.leverancier.naam,
            "afgerekendOp": _date(afrekening.datum) if afrekening else None,
        },
        "bouwblok": {"code": registratie.bouwblok.code, "naam": registratie.bouwblok.naam,
                     "bijzonderPersoonsgegeven": registratie.bouwblok.gevoelig},
        "startdatum": _date(registratie.startdatum),
        "einddatum": _date(registratie.einddatum),
        "urenPerWeek": None if registratie.uren_per_week is None else str(registratie.uren_per_week),
        "loonkostensubsidieTot": _date(registratie.loonkostensubsidie_tot),
        "omschrijving": registratie.omschrijving,
        "status": registratie.status,
        "waarde": _money(registratie.waarde),
        "perJaar": [{"jaar": j.jaar, "waarde": _money(j.waarde)} for j in registratie.jaren.all()],
        "ingediendOp": _date(registratie.ingediend_op),
        "beoordelingen": [
            {"besluit": b.besluit, "toelichting": b.toelichting, "op": _date(b.op)}
            for b in registratie.beoordelingen.all()
        ],
        "signalen": [
            {"soort": s.soort, "omschrijving": str(s.get_soort_display()), "andereRegistratie": s.andere_registratie_id}
            for s in registratie.signalen.all()
        ],
        "bewijsstukken": [
            {"bestandsnaam": b.oorspronkelijke_naam, "type": b.content_type, "grootte": b.grootte,
             "omschrijving": b.omschrijving, "geuploadOp": _date(b.geupload_op)}
            for b in registratie.bewijsstukken.all()
        ],
        "historie": [
            {"op": _date(h.history_date), "soort": {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}.get(h.history_type, h.history_type),
             "status": h.status, "startdatum": _date(h.startdatum), "einddatum": _date(h.einddatum),
             "urenPerWeek": None if h.uren_per_week is None else str(h.uren_per_week), "waarde": _money(h.waarde),
             "omschrijving": h.omschrijving}
            for h in registratie.history.order_by("history_date", "history_id")
        ],
    }


#: Log rows about a candidate (a banenafspraak employee reference is another namespace).
CANDIDATE_OBJECTS = ("registratie", "bewijsstuk")


def _verwerking(row) -> dict:
    definition = processing_log.ACTIVITEITEN.get(row.activiteit)
    return {
        "op": row.tijdstip.isoformat(),
        "door": row.actor_label,
        "rol": row.actor_rol,
        "activiteit": row.activiteit,
        "omschrijving": str(definition.naam) if definition else row.activiteit,
        "doel": row.doel,
        "grondslag": row.grondslag,
        "gegeven": f"{row.object_type} {row.object_id}",
    }


def export_candidate(*, referentie: str, regio_code: str | None = None, user=None, actor_label: str = "") -> dict:
    """Everything stored about the candidate(s) with this reference (in every region unless given).

    Returns ``{"referentie", "opgesteldOp", "kandidaten": [...], "verwerkingen": [...]}``;
    ``kandidaten`` is empty when the portal holds nothing under this reference (also after the
    retention period: the reference has then been replaced by a random token). ``verwerkingen`` are
    the processing-log rows about the reference, oldest first, up to this export. ``user`` (or, from a
    command, ``actor_label``) is who makes the export, for the processing log.
    """
    from sroi_portal.models import Verwerking

    referentie = (referentie or "").strip()
    kandidaten = Kandidaat.objects.filter(referentie=referentie).select_related("regio").order_by("regio__code")
    if regio_code:
        kandidaten = kandidaten.filter(regio__code=regio_code)
    result, shown = [], []
    for kandidaat in kandidaten:
        registraties = (
            Registratie.objects.filter(kandidaat=kandidaat)
            .select_related("contract__gemeente", "contract__leverancier", "contract__afrekening", "bouwblok",
                            "kandidaat")
            .prefetch_related("jaren", "beoordelingen", "signalen", "bewijsstukken")
            .order_by("startdatum", "pk")
        )
        registraties = list(registraties)
        shown.extend(registraties)
        result.append(
            {
                "regio": kandidaat.regio.naam,
                "referentie": kandidaat.referentie,
                "initialen": kandidaat.initialen,
                "geboortejaar": kandidaat.geboortejaar,
                "registraties": [_registratie(r) for r in registraties],
            }
        )
    verwerkingen = [
        _verwerking(row) for row in Verwerking.objects.filter(betrokkene=referentie, object_type__in=CANDIDATE_OBJECTS)
        .order_by("tijdstip", "pk")
    ] if referentie else []
    processing_log.log_views(user, "avg-export", shown, actor_label=actor_label)
    return {
        "referentie": referentie,
        "opgesteldOp": timezone.now().isoformat(),
        "toelichting": (
            "Het SROI-portaal bewaart geen naam en geen BSN, alleen deze pseudonieme referentie met "
            "initialen en geboortejaar. Bewijsstukken en kandidaatgegevens worden verwijderd zodra de "
            "bewaartermijn na de afrekening van het contract verstreken is (nu: afgerekend op of vóór "
            f"{retention_limit().isoformat()})."
        ),
        "kandidaten": result,
        "verwerkingen": verwerkingen,
    }
