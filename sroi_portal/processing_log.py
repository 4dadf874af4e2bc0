"""The processing log (Logboek dataverwerkingen) of special-category data.

In the spirit of the VNG/Logius standard "Logboek dataverwerkingen": for every special-category
record a user is *shown* (a registration of a ``gevoelig`` bouwblok with its candidate, its evidence,
a banenafspraak person record), one :class:`~sroi_portal.models.Verwerking` row says who, when,
which record, about whom (the pseudonymous reference) and why (the activity's purpose and legal
ground from :data:`ACTIVITEITEN`). Rows of one request share a trace id, which is also the
``X-Request-ID`` response header (:class:`RequestIdMiddleware`).

``log_views`` writes the rows of one page or API response with a single ``bulk_create`` (no query
at all when nothing special-category is shown), so a list page keeps a fixed number of queries.
Callers pass only what the user actually sees; this module filters out what is not special-category.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_ATTRIBUTE = "_sroi_request_id"

# The grounds below are the portal's working assumption; the municipality's privacy officer (FG)
# confirms them in the processing register (see docs/security.md, "Logboek dataverwerkingen").
_GRONDSLAG_CONTRACT = _(
    "Social return als contractvoorwaarde: publieke taak van de gemeente (AVG art. 6 lid 1 sub e); "
    "gegevens over gezondheid (doelgroep, arbeidsbeperking) alleen voor de controle van de plaatsing "
    "(AVG art. 9 lid 2 sub g, Participatiewet)"
)
_GRONDSLAG_BANENAFSPRAAK = _(
    "Wet banenafspraak en quotum arbeidsbeperkten: meten van de banen voor mensen uit het "
    "doelgroepregister (AVG art. 6 lid 1 sub c en e, art. 9 lid 2 sub b en g)"
)


@dataclass(frozen=True)
class Activiteit:
    code: str
    naam: str
    doel: str
    grondslag: str


ACTIVITEITEN = {a.code: a for a in (
    Activiteit("registratie-inzien", _("Registratie inzien"),
               _("De leverancier beheert en onderbouwt de eigen registratie van een plaatsing"), _GRONDSLAG_CONTRACT),
    Activiteit("registratie-lijst", _("Registraties in een overzicht"),
               _("De leverancier ziet de eigen registraties van een contract om ze te beheren en in te dienen"),
               _GRONDSLAG_CONTRACT),
    Activiteit("registratie-controleren", _("Registratie controleren"),
               _("Het SR-team controleert een ingediende registratie en besluit erover"), _GRONDSLAG_CONTRACT),
    Activiteit("controle-lijst", _("Registraties in de controlewachtrij"),
               _("Het SR-team kiest registraties om te controleren en goed te keuren"), _GRONDSLAG_CONTRACT),
    Activiteit("bewijsstuk-downloaden", _("Bewijsstuk downloaden"),
               _("Controle van het bewijs bij een registratie (arbeidsovereenkomst, indicatie)"), _GRONDSLAG_CONTRACT),
    Activiteit("api-registraties", _("Registraties via de API"),
               _("Registreren en controleren van social return vanuit het eigen systeem van de leverancier of de gemeente"),
               _GRONDSLAG_CONTRACT),
    Activiteit("dienstverband-inzien", _("Dienstverbanden banenafspraak inzien"),
               _("Het SR-team telt de banen voor mensen uit het doelgroepregister bij een werkgever"),
               _GRONDSLAG_BANENAFSPRAAK),
    Activiteit("api-dienstverbanden", _("Dienstverbanden banenafspraak via de API"),
               _("Het SR-team houdt de banen voor mensen uit het doelgroepregister bij vanuit een eigen systeem"),
               _GRONDSLAG_BANENAFSPRAAK),
    Activiteit("beheer-inzien", _("Inzien in het beheer (Django-admin)"),
               _("De functioneel beheerder controleert of herstelt een registratie met een kandidaat in het beheer"),
               _GRONDSLAG_CONTRACT),
    Activiteit("avg-export", _("Inzageverzoek (AVG art. 15)"),
               _("Afhandelen van een verzoek om inzage van de betrokkene"),
               _("Recht op inzage van de betrokkene (AVG art. 15, wettelijke verplichting art. 6 lid 1 sub c)")),
)}


# --- trace id ------------------------------------------------------------------------------------

def request_id(request) -> str:
    """The id of this request: the caller's ``X-Request-ID`` when it is a sensible token, else a new one."""
    base = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    value = getattr(base, _ATTRIBUTE, None)
    if value is None:
        incoming = base.META.get("HTTP_X_REQUEST_ID", "") if hasattr(base, "META") else ""
        value = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        setattr(base, _ATTRIBUTE, value)
    return value


class RequestIdMiddleware:
    """Gives every request a trace id and returns it as ``X-Request-ID`` (also on errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request_id(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = value
        return response


# --- what a record says about itself ------------------------------------------------------------

def _describe(record, names_placement=False, personal=False):
    """(object_type, object_id, betrokkene) for a special-category record, or None when it is not one.

    ``personal``: log every record about a person, special-category or not (the back office logs
    each view of a registration with a candidate, and of a follow-up of a placement).

    Registrations and evidence need ``bouwblok`` and ``kandidaat`` loaded (select_related) by the
    caller; nothing here runs a query. ``names_placement``: the page names a bonus's placement
    (its bouwblok), so a bonus on a special-category placement counts too (``hoofdregistratie__bouwblok``
    loaded).
    """
    from banenafspraak.models import Dienstverband
    from bouwblokken.models import Bewijsstuk, Registratie

    if personal and getattr(record._meta, "label_lower", "") == "reporting.vervolg":
        record = record.registratie
    if isinstance(record, Registratie):
        if not _special(record, names_placement) and not (personal and record.kandidaat_id):
            return None
        return "registratie", record.pk, record.kandidaat.referentie if record.kandidaat_id else ""
    if isinstance(record, Bewijsstuk):
        registratie = record.registratie
        if not _special(registratie, names_placement):
            return None
        return "bewijsstuk", record.pk, registratie.kandidaat.referentie if registratie.kandidaat_id else ""
    if isinstance(record, Dienstverband):
        return "dienstverband", record.pk, record.referentie
    raise TypeError(f"not a special-category record type: {type(record).__name__}")


def _special(registratie, names_placement) -> bool:
    from sroi_portal.access_pages import is_special_category

    return is_special_category(registratie) if names_placement else registratie.bouwblok.gevoelig


def _actor(user):
    from sroi_portal import access

    if user is None or not getattr(user, "is_authenticated", False):
        return None, "", ""
    role = access._role(user) or ""
    return user, (user.email or user.get_username())[:254], str(role)


def log_views(request_or_user, activity: str, records, *, actor_label: str = "", names_placement: bool = False,
              personal: bool = False) -> int:
    """Write one log row per special-category record in ``records`` that the user is shown.

    ``request_or_user``: the (Django or DRF) request, a user, or None (a management command; then
    ``actor_label`` says who ran it). One ``bulk_create``, or no query when nothing qualifies.
    ``names_placement``: the page shows a bonus's placement too (the registration detail pages).
    ``personal``: every record about a person counts, not only special-category ones (the back office).
    Returns the number of rows written.
    """
    definition = ACTIVITEITEN[activity]
    if hasattr(request_or_user, "META") or hasattr(request_or_user, "_request"):
        request = request_or_user
        user, label, role = _actor(request.user)
        trace, path = request_id(request), request.path[:500]
    else:
        user, label, role = _actor(request_or_user)
        trace, path = uuid.uuid4().hex, ""
    if actor_label:
        label = actor_label[:254]
    label = label or "systeem"
    now = timezone.now()
    doel, grondslag = str(definition.doel)[:300], str(definition.grondslag)[:300]
    from sroi_portal.models import Verwerking

    rows, seen = [], set()
    for record in records:
        described = _describe(record, names_placement, personal)
        if described is None or described[:2] in seen:
            continue
        seen.add(described[:2])
        object_type, object_id, betrokkene = described
        rows.append(Verwerking(
            tijdstip=now, actor=user, actor_label=label, actor_rol=role, activiteit=activity, doel=doel,
            grondslag=grondslag, object_type=object_type, object_id=str(object_id), betrokkene=betrokkene or "",
            trace_id=trace, pad=path,
        ))
    if rows:
        Verwerking.objects.bulk_create(rows)
    return len(rows)


# --- retention -----------------------------------------------------------------------------------

PURGE_SETTING = "sroi.verwerkingen_bewaren_vanaf"


def retention_limit(now=None):
    """Rows older than this are past ``SROI_PROCESSING_LOG_RETENTION_DAYS`` and are purged."""
    return (now or timezone.now()) - timedelta(days=settings.SROI_PROCESSING_LOG_RETENTION_DAYS)


def purge(*, now=None) -> int:
    """Delete the log rows past the retention period; returns how many.

    On PostgreSQL the append-only trigger allows a DELETE only of rows older than the timestamp in
    the transaction-local setting ``sroi.verwerkingen_bewaren_vanaf``, which only this function sets.
    """
    from sroi_portal.models import Verwerking

    limit = retention_limit(now)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, limit.isoformat()])
        deleted, _detail = Verwerking.objects.filter(tijdstip__lt=limit).delete()
        if postgres:  # also inside a caller's longer transaction, the permission ends here
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [PURGE_SETTING])
    return deleted
