"""Access rules for the functional administrator's own pages (/beheer/verwerkingen/, besides the
Django admin): the processing log is for the functional administrator only."""

from tests.access.rules import Rule

BEHEERDER = frozenset({"beheerder"})

ENTRIES = {
    "beheer:verwerkingen": Rule(read=BEHEERDER, note="the processing log (Logboek dataverwerkingen)"),
    "beheer:verwerkingen_csv": Rule(read=BEHEERDER, note="the same selection as CSV"),
}
