"""Demo data of reporting (run by ``manage.py seed_demo`` after contracts.demo and banenafspraak.demo):
SR-team budgets, follow-ups of approved placements, anonymised stories with consent, and the
stored figures computed. Deterministic and idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from bouwblokken.models import Registratie
from contracts.models import Contract, Gemeente
from sroi_portal import clock

from .figures import recompute_contract_figures, recompute_placement_figures
from .models import Teambudget, Verhaal, VerhaalStatus, Vervolg

# Small budgets, in proportion to the few demo contracts (a real SR-team costs more and brings in more).
BUDGETS = {"GM0637": Decimal("24000.00"), "GM1621": Decimal("12000.00"), "GM1926": Decimal("9000.00")}

STORIES = [
    ("GM0637", "Van de bijstand naar een vaste baan in het groen",
     "Na jaren thuis zitten kon hij via het groenonderhoud aan de slag als hovenier. Eerst met een leerwerkplek, "
     "na een jaar met een vast contract. 'Ik sta nu elke ochtend met plezier op,' vertelt hij. Zijn leidinggevende "
     "noemt hem inmiddels een van de vaste krachten in de ploeg."),
    ("GM0637", "Een BBL-opleiding naast het werk",
     "Een jongere zonder startkwalificatie begon bij een wegenbouwer als leerling. Drie dagen werken, een dag naar "
     "school. Hij haalde zijn diploma op niveau 2 en volgt nu de vervolgopleiding."),
    ("GM0637", "Weer meedoen na een lange periode zonder werk",
     "Een vrouw van boven de vijftig werkte na lange tijd weer, in de schoonmaak van het gemeentehuis. Het begon met "
     "twintig uur per week; inmiddels werkt ze er vier dagen en begeleidt ze nieuwe collega's."),
    ("GM1621", "Stage die uitmondde in werk",
     "Een stagiair van het praktijkonderwijs liep stage bij een installatiebedrijf en kreeg daarna een contract."),
]


def _budgets():
    this_year = clock.today().year
    for code, amount in BUDGETS.items():
        gemeente = Gemeente.objects.filter(code=code).first()
        if gemeente is None:
            continue
        for year in range(this_year - 5, this_year + 1):
            Teambudget.objects.get_or_create(
                gemeente=gemeente, jaar=year,
                defaults={"bedrag": amount + Decimal(1000) * (year - (this_year - 5)),
                          "toelichting": "Formatie SR-team en inhuur (demo)"},
            )


def _follow_ups():
    today = clock.today()
    leverancier_user = get_user_model().objects.filter(username="leverancier").first()
    placements = (
        Registratie.objects.filter(status="goedgekeurd", bouwblok__soort="plaatsing", vervolg__isnull=True)
        .order_by("pk")
    )
    created = 0
    for registratie in placements:
        rng = random.Random(registratie.pk)
        twelve_months_later = registratie.startdatum + timedelta(days=365)
        Vervolg.objects.create(
            registratie=registratie,
            vast_contract=rng.random() < 0.45,
            in_dienst_na_12_maanden=(rng.random() < 0.7) if twelve_months_later <= today else None,
            vastgelegd_door=leverancier_user if registratie.contract.leverancier.gebruikers.exists() else None,
        )
        created += 1
    return created


def _stories():
    srteam = get_user_model().objects.filter(username="srteam").first()
    year = clock.today().year - 1
    for i, (code, titel, tekst) in enumerate(STORIES):
        gemeente = Gemeente.objects.filter(code=code).first()
        if gemeente is None or Verhaal.objects.filter(gemeente=gemeente, titel=titel).exists():
            continue
        contract = Contract.objects.filter(gemeente=gemeente, verplichting_van_toepassing=True).order_by("kenmerk").first()
        approved = code == "GM0637"
        Verhaal.objects.create(
            gemeente=gemeente, contract=contract, jaar=year, titel=titel, tekst=tekst, toestemming=True,
            toestemming_op=date(year, 9, 1) + timedelta(days=i * 7), ingediend_door=srteam,
            status=VerhaalStatus.GOEDGEKEURD if approved else VerhaalStatus.INGEDIEND,
            beoordeeld_door=srteam if approved else None,
            beoordeeld_op=timezone.now() if approved else None,
        )


def seed(stdout):
    _budgets()
    follow_ups = _follow_ups()
    _stories()
    result = recompute_contract_figures()
    recompute_placement_figures()
    stdout.write(f"  rapportage: {follow_ups} vervolgen vastgelegd, cijfers van {result.contracten} contracten berekend")
