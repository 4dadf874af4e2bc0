"""Access rules for the SR-team's verification pages (/controle/): the SR-team of the contract's
municipality and the functional administrator; everyone else is refused, a registration outside
the user's municipalities is a 404."""

from tests.access.rules import Rule

SRTEAM_ANY = frozenset({"srteam_x", "srteam_other", "beheerder"})
SRTEAM_A = frozenset({"srteam_x", "beheerder"})

ENTRIES = {
    "controle:queue": Rule(read=SRTEAM_ANY, note="each SR-team sees its own municipalities' registrations"),
    "controle:registratie": Rule(kwargs=lambda w: {"pk": w.registratie_a_ingediend.pk}, read=SRTEAM_A),
    "controle:decide": Rule(
        kwargs=lambda w: {"pk": w.registratie_a_ingediend.pk}, write=SRTEAM_A, methods=("post",),
        data=lambda w: {"besluit": "goedgekeurd", "versie": str(w.registratie_a_ingediend.versie)},
    ),
    "controle:bulk_approve": Rule(
        write=SRTEAM_ANY, methods=("post",),
        data=lambda w: {"registraties": [str(w.registratie_a_ingediend.pk)], "bevestig": "1",
                        f"versie_{w.registratie_a_ingediend.pk}": str(w.registratie_a_ingediend.versie)},
        note="srteam_other may use the page, but an id outside its scope refuses the whole request (403)",
    ),
}
