"""Read queries of bouwblokken that pages, the API and the services share.

Evidence before approval (SROI-RULES.md §3 step 6): which kinds of evidence a registration still
lacks. :func:`missing_evidence` is the one answer; ``services.decide`` refuses an approval on it
unless a reason is recorded, the SR-team's and the supplier's pages and the API show it.
"""

from collections import defaultdict
from collections.abc import Iterable

from .models import Bewijssoort, Bewijsstuk, Bouwblok, Registratie


def required_evidence(bouwblok_ids: Iterable[int]) -> dict[int, list[Bewijssoort]]:
    """The kinds of evidence each bouwblok (of its catalogue version) needs, in their order (one query)."""
    required = defaultdict(list)
    links = (
        Bouwblok.vereist_bewijs.through.objects.filter(bouwblok_id__in=set(bouwblok_ids))
        .select_related("bewijssoort")
        .order_by("bewijssoort__volgorde", "bewijssoort__code")
    )
    for link in links:
        required[link.bouwblok_id].append(link.bewijssoort)
    return required


def missing_evidence_by_registration(registraties: Iterable[Registratie]) -> dict[int, list[Bewijssoort]]:
    """For each registration (by pk): the required kinds of its bouwblok that none of its uploads is,
    in their order. Two queries whatever the number of registrations (one when their ``bewijsstukken``
    are prefetched). An upload without a kind (from before the kinds existed) counts for none."""
    registraties = list(registraties)
    if not registraties:
        return {}
    required = required_evidence(r.bouwblok_id for r in registraties)
    present = defaultdict(set)
    to_read = []
    for r in registraties:
        prefetched = getattr(r, "_prefetched_objects_cache", {}).get("bewijsstukken")
        if prefetched is None:
            to_read.append(r.pk)
        else:  # the page prefetched the uploads already (the API list): no second query
            present[r.pk] = {b.soort_id for b in prefetched if b.soort_id}
    if to_read:
        rows = Bewijsstuk.objects.filter(registratie_id__in=to_read, soort__isnull=False).values_list(
            "registratie_id", "soort_id")
        for registratie_id, soort_id in rows:
            present[registratie_id].add(soort_id)
    return {
        r.pk: [soort for soort in required.get(r.bouwblok_id, []) if soort.pk not in present[r.pk]]
        for r in registraties
    }


def missing_evidence(registratie: Registratie) -> list[Bewijssoort]:
    """The kinds of evidence the registration's bouwblok needs that it does not have yet."""
    return missing_evidence_by_registration([registratie])[registratie.pk]


def evidence_kinds_for(registratie: Registratie) -> list[Bewijssoort]:
    """The kinds an upload for this registration may be: those its bouwblok knows, then ``overig``."""
    kinds = list(required_evidence([registratie.bouwblok_id]).get(registratie.bouwblok_id, []))
    overig = Bewijssoort.objects.filter(code=Bewijssoort.OVERIG).first()
    if overig is not None and overig not in kinds:
        kinds.append(overig)
    return kinds


def names(kinds: Iterable[Bewijssoort]) -> str:
    """"arbeidsovereenkomst, doelgroepverklaring van het WSP of de gemeente" for a message."""
    return ", ".join(kind.naam for kind in kinds)
