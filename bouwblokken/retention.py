"""Retention (AVG, rules §4): evidence and candidate details are deleted ``SROI_RETENTION_YEARS``
years (default 7) after a contract's settlement (``contracts.Afrekening.datum``).

What is deleted, per contract whose settlement date is at least that long ago:

- every evidence file (``Bewijsstuk``: the file in private storage and its row);
- the free text about a placed person: the ``omschrijving`` of registrations with a candidate and
  the SR-team's reasons (``beoordeling_toelichting``, ``Beoordeling.toelichting``, and the reason to
  approve without the required evidence, ``beoordeling_reden_zonder_bewijs``,
  ``Beoordeling.reden_zonder_bewijs``) on them are replaced by a fixed text (a rejection must keep
  *a* reason: a database rule);
- the candidate (``Kandidaat``) is pseudonymised once *all* its registrations are on such contracts:
  the reference becomes a random token (``verwijderd-<hex>``), the initials are emptied, the year
  of birth is generalised to its decade (1988 → 1980), so age-group statistics stay roughly right
  while nobody can be re-identified;
- simple-history's old versions of those registrations (they hold the old texts).

What stays: the registrations themselves with ``waarde``, ``status``, dates, hours and the value per
year (``RegistratieJaar``), the decisions (who decided and when), the settlement. So every
fulfilment figure and report is the same before and after.

Safe to run twice (the Celery task runs nightly): a second run finds nothing left to do.
"""

import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction

from sroi_portal import clock

from .models import Beoordeling, Bewijsstuk, Kandidaat, Registratie

logger = logging.getLogger(__name__)

PSEUDONYM_PREFIX = "verwijderd-"
REMOVED_TEXT = "Verwijderd na afloop van de bewaartermijn."


@dataclass
class RetentionReport:
    peildatum: date
    grens: date
    contracten: list = field(default_factory=list)
    bewijsstukken: int = 0
    kandidaten: int = 0
    registraties_opgeschoond: int = 0
    historie: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["peildatum"] = self.peildatum.isoformat()
        data["grens"] = self.grens.isoformat()
        return data


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_limit(peildatum: date | None = None) -> date:
    """Settlements on or before this date are past the retention period."""
    return years_before(peildatum or clock.today(), settings.SROI_RETENTION_YEARS)


def due_contract_ids(peildatum: date | None = None) -> list[int]:
    from contracts.models import Contract

    return list(
        Contract.objects.filter(afrekening__datum__lte=retention_limit(peildatum)).order_by("pk").values_list("pk", flat=True)
    )


def is_pseudonymised(kandidaat: Kandidaat) -> bool:
    return kandidaat.referentie.startswith(PSEUDONYM_PREFIX)


def pseudonymise(kandidaat: Kandidaat) -> None:
    kandidaat.referentie = f"{PSEUDONYM_PREFIX}{uuid.uuid4().hex[:24]}"
    kandidaat.initialen = ""
    kandidaat.geboortejaar = max(1900, kandidaat.geboortejaar // 10 * 10)
    kandidaat.save(update_fields=["referentie", "initialen", "geboortejaar"])


def _delete_files_on_commit(names: list[str], storage) -> None:
    def delete():
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("retention: could not delete evidence file %s", name)

    transaction.on_commit(delete)


@transaction.atomic
def _purge_contract(contract_id: int, due: set[int], report: RetentionReport) -> None:
    registraties = Registratie.objects.select_for_update().filter(contract_id=contract_id)
    ids = list(registraties.values_list("pk", flat=True))

    evidence = list(Bewijsstuk.objects.filter(registratie_id__in=ids))
    if evidence:
        storage = evidence[0].bestand.storage
        names = [b.bestand.name for b in evidence if b.bestand.name]
        if not report.dry_run:
            Bewijsstuk.objects.filter(pk__in=[b.pk for b in evidence]).delete()
            _delete_files_on_commit(names, storage)
        report.bewijsstukken += len(evidence)

    with_candidate = Registratie.objects.filter(pk__in=ids, kandidaat__isnull=False)
    dirty = with_candidate.exclude(
        omschrijving="", beoordeling_toelichting__in=["", REMOVED_TEXT],
        beoordeling_reden_zonder_bewijs__in=["", REMOVED_TEXT],
    )
    report.registraties_opgeschoond += dirty.count()
    if not report.dry_run:
        for registratie in dirty:
            # queryset.update(): no new history row with the text we are deleting, no versie bump.
            Registratie.objects.filter(pk=registratie.pk).update(
                omschrijving="",
                beoordeling_toelichting=REMOVED_TEXT if registratie.beoordeling_toelichting else "",
                beoordeling_reden_zonder_bewijs=REMOVED_TEXT if registratie.beoordeling_reden_zonder_bewijs else "",
            )
        Beoordeling.objects.filter(registratie__in=with_candidate).exclude(toelichting="").exclude(
            toelichting=REMOVED_TEXT
        ).update(toelichting=REMOVED_TEXT)
        Beoordeling.objects.filter(registratie__in=with_candidate).exclude(reden_zonder_bewijs="").exclude(
            reden_zonder_bewijs=REMOVED_TEXT
        ).update(reden_zonder_bewijs=REMOVED_TEXT)

    history = Registratie.history.filter(id__in=ids)
    report.historie += history.count()
    if not report.dry_run:
        history.delete()

    candidate_ids = set(Registratie.objects.filter(pk__in=ids).exclude(kandidaat=None).values_list("kandidaat_id", flat=True))
    candidates = Kandidaat.objects.filter(pk__in=candidate_ids).order_by("pk")
    for kandidaat in candidates if report.dry_run else candidates.select_for_update():
        if is_pseudonymised(kandidaat):
            continue
        other_contracts = set(kandidaat.registraties.values_list("contract_id", flat=True))
        if other_contracts <= due:
            report.kandidaten += 1
            if not report.dry_run:
                pseudonymise(kandidaat)


def run_retention(*, peildatum: date | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete evidence and candidate details of contracts settled more than the retention period ago."""
    peildatum = peildatum or clock.today()
    report = RetentionReport(peildatum=peildatum, grens=retention_limit(peildatum), dry_run=dry_run)
    ids = due_contract_ids(peildatum)
    due = set(ids)
    for contract_id in ids:
        before = (report.bewijsstukken, report.kandidaten, report.registraties_opgeschoond, report.historie)
        _purge_contract(contract_id, due, report)
        if (report.bewijsstukken, report.kandidaten, report.registraties_opgeschoond, report.historie) != before:
            report.contracten.append(contract_id)
    logger.info("retention run: %s", report.as_dict())
    return report
