"""Reference data shipped with the app (loaded by migration 0002 and by the demo data).

- The counting parameters of the banenafspraak (SROI-RULES.md §5): 25.5 hours a job, 1,326 paid
  hours a year, EUR 5,000 levy per missing job above 40,575 paid hours a year. One version, valid
  from the baseline of the banenafspraak (1 January 2013); a functional administrator adds later
  versions in the admin.
- The 35 labour-market regions, spelled as in the UWV trend report of Q4 2020 (reference 000,
  Bijlage 3), so that the UWV tables import without renaming.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Reference 000, Bijlage 3 (UWV, Regionale trendrapportage banenafspraak vierde kwartaal 2020).
UWV_2020K4_CSV = DATA_DIR / "uwv_banenafspraak_2020k4.csv"
UWV_2020K4_BRON = "UWV, Regionale trendrapportage banenafspraak vierde kwartaal 2020, 7 mei 2021"
# Reference 000, table 1 (Stichting van de Arbeid en VNG, 23 juli 2019 and 3 november 2020).
REGIONALE_DOELEN_ZHC_CSV = DATA_DIR / "regionale_doelstellingen_zhc.csv"
REGIONALE_DOELEN_ZHC_BRON = (
    "Stichting van de Arbeid en VNG, Regionaal overzicht van het aantal te realiseren garantiebanen "
    "(23 juli 2019; 3 november 2020)"
)

TELPARAMETERS = {
    "geldig_vanaf": date(2013, 1, 1),
    "uren_per_baan": Decimal("25.5"),
    "uren_per_jaar": Decimal("1326"),
    "heffing_per_baan": Decimal("5000"),
    "heffing_drempel_uren": Decimal("40575"),
}

ARBEIDSMARKTREGIOS = [
    "Achterhoek", "Amersfoort", "Drechtsteden", "Drenthe", "Flevoland", "Food Valley", "Friesland",
    "Gooi en Vechtstreek", "Gorinchem", "Groningen", "Groot Amsterdam", "Haaglanden", "Helmond-De Peel",
    "Holland Rijnland", "Midden-Brabant", "Midden-Gelderland", "Midden-Holland", "Midden-Limburg",
    "Midden-Utrecht", "Noord-Holland Noord", "Noord-Limburg", "Noordoost-Brabant", "Rijk van Nijmegen",
    "Rijnmond", "Rivierenland", "Stedendriehoek en Noordwest Veluwe", "Twente", "West-Brabant",
    "Zaanstreek/Waterland", "Zeeland", "Zuid-Holland Centraal", "Zuid-Kennemerland", "Zuid-Limburg",
    "Zuidoost-Brabant", "Zwolle",
]

# The six municipalities of labour-market region Zuid-Holland Centraal (reference 000, §2.2), by CBS code.
ZUID_HOLLAND_CENTRAAL = "Zuid-Holland Centraal"
ZHC_GEMEENTEN = {
    "GM0637": "Zoetermeer",
    "GM1621": "Lansingerland",
    "GM1916": "Leidschendam-Voorburg",
    "GM1926": "Pijnacker-Nootdorp",
    "GM0626": "Voorschoten",
    "GM0629": "Wassenaar",
}


def load(Telparameters, Arbeidsmarktregio):
    """Create the first parameter version and the 35 regions. Idempotent."""
    Telparameters.objects.get_or_create(
        geldig_vanaf=TELPARAMETERS["geldig_vanaf"],
        defaults={k: v for k, v in TELPARAMETERS.items() if k != "geldig_vanaf"},
    )
    for naam in ARBEIDSMARKTREGIOS:
        Arbeidsmarktregio.objects.get_or_create(naam=naam)
