"""Reminders by e-mail, each sent once per occasion (issue #4.3), in Dutch.

Kinds (``HerinneringSoort``) and their occasion keys:

- ``jaarrapportage`` / ``jaarrapportage_te_laat``: a supplier's yearly report of last year is due
  from 1 January and overdue after ``SROI_YEARLY_REPORT_DEADLINE``; per contract and year. The
  report is "done" when at least one registration counting in that year was submitted (or
  approved) and no concept or rejected one for that year is left. When the first run of the year
  is already past the deadline, only the overdue reminder is sent.
- ``contact_leverancier`` / ``contact_sr_team``: no contact between supplier and SR-team
  (``Contract.contact_opgenomen_op`` empty) ``SROI_CONTACT_WORKING_DAYS`` working days after
  award (Monday to Friday; public holidays are not taken into account); per contract, only for
  contracts awarded at most ``SROI_CONTACT_REMINDER_WINDOW_DAYS`` ago.
- ``wachtrij``: an SR-team member whose municipalities have registrations submitted more than
  ``SROI_QUEUE_MAX_DAYS`` days ago; at most once per ISO week.
- ``bewijs_ontbreekt``: a registration submitted without any evidence; once per submission.
- ``achter_leverancier`` / ``achter_sr_team``: a running contract whose realised value (stored
  figures, ``ContractCijfers``) falls behind its expected value by more than a threshold of its
  policy (``Beleid.achterstand_drempels``, default 15%, 25%, 40%); per contract and threshold, so
  each threshold is reported once; when several are crossed at once, one line names the highest.

Exactly once: per recipient, the sender inserts one ``Herinnering`` row per occasion (unique on
kind, recipient and occasion; a row that exists already is skipped) and sends one e-mail listing
the new occasions, all in one transaction. A second run finds the rows and sends nothing; a
concurrent run waits on the first one's uncommitted rows and then skips them. If sending fails, the
transaction rolls back and the next run tries again. E-mails name no candidates and no target groups.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sroi_portal import clock
from sroi_portal.models import Role

from .models import Herinnering, HerinneringSoort

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Occasion:
    aanleiding: str  # the occasion key
    regel: str  # one line of the e-mail about it
    contract_id: int | None = None


@dataclass
class Batch:
    soort: str
    user: object
    occasions: list


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _deadline(year: int) -> date:
    month, day = (int(part) for part in settings.SROI_YEARLY_REPORT_DEADLINE.split("-"))
    return date(year, month, day)


def _recipients(qs):
    return qs.filter(is_active=True, email__isnull=False).exclude(email="")


def _supplier_users(leverancier_ids):
    users = defaultdict(list)
    for user in _recipients(get_user_model().objects.filter(role=Role.LEVERANCIER, leverancier_id__in=leverancier_ids)):
        users[user.leverancier_id].append(user)
    return users


def _sr_team_users(gemeente_ids):
    User = get_user_model()
    through = User.gemeenten.through
    users = {u.pk: u for u in _recipients(User.objects.filter(role=Role.SR_TEAM, gemeenten__in=gemeente_ids).distinct())}
    per_gemeente = defaultdict(list)
    for user_id, gemeente_id in through.objects.filter(user_id__in=users, gemeente_id__in=gemeente_ids).values_list(
        "user_id", "gemeente_id"
    ):
        per_gemeente[gemeente_id].append(users[user_id])
    return per_gemeente


# --- which reminders are due ---------------------------------------------------------------------

def _yearly_reports(today: date):
    from bouwblokken.models import Registratie
    from contracts.models import Contract

    year = today.year - 1
    overdue = today > _deadline(today.year)
    soort = HerinneringSoort.JAARRAPPORTAGE_TE_LAAT if overdue else HerinneringSoort.JAARRAPPORTAGE
    in_year = Registratie.objects.filter(contract=OuterRef("pk"), jaren__jaar=year)
    contracts = (
        Contract.objects.filter(
            verplichting_van_toepassing=True, verplichting_status="", afrekening__isnull=True,
            startdatum__lte=date(year, 12, 31), actuele_einddatum__gte=date(year, 1, 1),
        )
        .annotate(
            ingediend=Exists(in_year.filter(status__in=["ingediend", "goedgekeurd"])),
            open=Exists(in_year.filter(status__in=["concept", "afgekeurd"])),
        )
        .filter(Q(ingediend=False) | Q(open=True))
        .select_related("gemeente")
        .order_by("kenmerk")
    )
    contracts = list(contracts)
    users = _supplier_users({c.leverancier_id for c in contracts})
    batches = defaultdict(list)
    for contract in contracts:
        line = _("%(kenmerk)s – %(omschrijving)s (gemeente %(gemeente)s)") % {
            "kenmerk": contract.kenmerk, "omschrijving": contract.omschrijving, "gemeente": contract.gemeente.naam,
        }
        for user in users.get(contract.leverancier_id, []):
            batches[user].append(Occasion(f"contract:{contract.pk}:jaar:{year}", line, contract.pk))
    for user, occasions in batches.items():
        yield Batch(soort, user, occasions), {"jaar": year, "uiterlijk": _deadline(today.year)}


def _contact(today: date):
    from contracts.models import Contract

    days = settings.SROI_CONTACT_WORKING_DAYS
    contracts = list(
        Contract.objects.filter(
            contact_opgenomen_op__isnull=True, verplichting_van_toepassing=True, verplichting_status="",
            afrekening__isnull=True,
            gunningsdatum__gte=today - timedelta(days=settings.SROI_CONTACT_REMINDER_WINDOW_DAYS),
            gunningsdatum__lt=today - timedelta(days=days),
        )
        .select_related("gemeente", "leverancier")
        .order_by("gunningsdatum", "kenmerk")
    )
    contracts = [c for c in contracts if today > add_working_days(c.gunningsdatum, days)]
    suppliers = _supplier_users({c.leverancier_id for c in contracts})
    team = _sr_team_users({c.gemeente_id for c in contracts})
    for_suppliers, for_team = defaultdict(list), defaultdict(list)
    for contract in contracts:
        deadline = add_working_days(contract.gunningsdatum, days)
        occasion = f"contract:{contract.pk}"
        for user in suppliers.get(contract.leverancier_id, []):
            for_suppliers[user].append(Occasion(occasion, _(
                "%(kenmerk)s – %(omschrijving)s (gemeente %(gemeente)s), gegund op %(gunning)s; contact uiterlijk %(uiterlijk)s"
            ) % {"kenmerk": contract.kenmerk, "omschrijving": contract.omschrijving, "gemeente": contract.gemeente.naam,
                 "gunning": contract.gunningsdatum.strftime("%d-%m-%Y"), "uiterlijk": deadline.strftime("%d-%m-%Y")},
                contract.pk))
        for user in team.get(contract.gemeente_id, []):
            for_team[user].append(Occasion(occasion, _(
                "%(kenmerk)s – %(leverancier)s (KvK %(kvk)s), gemeente %(gemeente)s, gegund op %(gunning)s"
            ) % {"kenmerk": contract.kenmerk, "leverancier": contract.leverancier.naam,
                 "kvk": contract.leverancier.kvk_nummer, "gemeente": contract.gemeente.naam,
                 "gunning": contract.gunningsdatum.strftime("%d-%m-%Y")}, contract.pk))
    context = {"werkdagen": days}
    for user, occasions in for_suppliers.items():
        yield Batch(HerinneringSoort.CONTACT_LEVERANCIER, user, occasions), context
    for user, occasions in for_team.items():
        yield Batch(HerinneringSoort.CONTACT_SR_TEAM, user, occasions), context


def _queue(today: date):
    from bouwblokken.models import Registratie

    limit = settings.SROI_QUEUE_MAX_DAYS
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=limit), time.min))
    waiting = {
        row["contract__gemeente_id"]: row
        for row in Registratie.objects.filter(status="ingediend", ingediend_op__lt=cutoff)
        .values("contract__gemeente_id", "contract__gemeente__naam")
        .annotate(aantal=Count("pk"), oudste=Min("ingediend_op"))
        .order_by()
    }
    if not waiting:
        return
    team = _sr_team_users(set(waiting))
    per_user = defaultdict(list)
    for gemeente_id, users in team.items():
        row = waiting[gemeente_id]
        for user in users:
            per_user[user].append(row)
    iso_year, iso_week, _day = today.isocalendar()
    for user, rows in per_user.items():
        rows.sort(key=lambda r: r["contract__gemeente__naam"])
        lines = [
            _("%(gemeente)s: %(aantal)s (oudste ingediend op %(oudste)s)") % {
                "gemeente": r["contract__gemeente__naam"], "aantal": r["aantal"],
                "oudste": timezone.localtime(r["oudste"]).strftime("%d-%m-%Y"),
            }
            for r in rows
        ]
        occasion = Occasion(f"week:{iso_year}-W{iso_week:02d}", "; ".join(lines))
        yield Batch(HerinneringSoort.WACHTRIJ, user, [occasion]), {"dagen": limit, "wachtrij": lines}


def _missing_evidence(today: date):
    from bouwblokken.models import Bewijsstuk, Registratie

    registraties = list(
        Registratie.objects.filter(status="ingediend")
        .annotate(heeft_bewijs=Exists(Bewijsstuk.objects.filter(registratie=OuterRef("pk"))))
        .filter(heeft_bewijs=False)
        .select_related("contract")
        .order_by("contract__kenmerk", "pk")
    )
    users = _supplier_users({r.contract.leverancier_id for r in registraties})
    batches = defaultdict(list)
    for registratie in registraties:
        submitted = timezone.localtime(registratie.ingediend_op)
        line = _("registratie %(nummer)s op contract %(kenmerk)s, ingediend op %(datum)s") % {
            "nummer": registratie.pk, "kenmerk": registratie.contract.kenmerk, "datum": submitted.strftime("%d-%m-%Y"),
        }
        occasion = f"registratie:{registratie.pk}:ingediend:{submitted:%Y%m%d%H%M%S}"
        for user in users.get(registratie.contract.leverancier_id, []):
            batches[user].append(Occasion(occasion, line, registratie.contract_id))
    for user, occasions in batches.items():
        yield Batch(HerinneringSoort.BEWIJS_ONTBREEKT, user, occasions), {}


def _behind_schedule(today: date):
    from contracts.calculation import shortfall_share

    from .models import ContractCijfers

    rows = list(
        ContractCijfers.objects.filter(
            van_toepassing=True, status="achter", contract__afrekening__isnull=True,
            contract__startdatum__lte=today, contract__actuele_einddatum__gt=today,
        )
        .select_related("contract__gemeente", "contract__leverancier", "contract__beleid")
        .order_by("contract__kenmerk")
    )
    crossed = []  # (figures, thresholds crossed)
    for row in rows:
        share = shortfall_share(realised=row.gerealiseerd, expected=row.verwacht)
        thresholds = [t for t in (row.contract.beleid.achterstand_drempels or []) if share * 100 > t]
        if thresholds:
            crossed.append((row, thresholds))
    if not crossed:
        return
    suppliers = _supplier_users({row.contract.leverancier_id for row, _t in crossed})
    team = _sr_team_users({row.contract.gemeente_id for row, _t in crossed})
    for_suppliers, for_team = defaultdict(list), defaultdict(list)
    for row, thresholds in crossed:
        contract = row.contract
        line = _(
            "%(kenmerk)s – %(omschrijving)s (gemeente %(gemeente)s): %(gerealiseerd)s gerealiseerd van %(verwacht)s "
            "verwacht, meer dan %(drempel)s%% achter"
        ) % {"kenmerk": contract.kenmerk, "omschrijving": contract.omschrijving, "gemeente": contract.gemeente.naam,
             "gerealiseerd": _euro_text(row.gerealiseerd), "verwacht": _euro_text(row.verwacht),
             "drempel": max(thresholds)}
        for threshold in thresholds:
            occasion = Occasion(f"contract:{contract.pk}:achter:{threshold}", line, contract.pk)
            for user in suppliers.get(contract.leverancier_id, []):
                for_suppliers[user].append(occasion)
            for user in team.get(contract.gemeente_id, []):
                for_team[user].append(occasion)
    for kind, per_user in ((HerinneringSoort.ACHTER_LEVERANCIER, for_suppliers), (HerinneringSoort.ACHTER_SR_TEAM, for_team)):
        for user, occasions in per_user.items():
            yield Batch(kind, user, occasions), {}


def _euro_text(amount) -> str:
    from sroi_portal.templatetags.sroi import euro

    return str(euro(amount)).replace("\xa0", " ")


KINDS = (_yearly_reports, _contact, _queue, _missing_evidence, _behind_schedule)

SUBJECTS = {
    HerinneringSoort.JAARRAPPORTAGE: gettext_lazy("Social return: uw jaarrapportage over %(jaar)s"),
    HerinneringSoort.JAARRAPPORTAGE_TE_LAAT: gettext_lazy("Social return: uw jaarrapportage over %(jaar)s is te laat"),
    HerinneringSoort.CONTACT_LEVERANCIER: gettext_lazy("Social return: neem contact op met het SR-team"),
    HerinneringSoort.CONTACT_SR_TEAM: gettext_lazy("Social return: leverancier heeft nog geen contact opgenomen"),
    HerinneringSoort.WACHTRIJ: gettext_lazy("Social return: registraties wachten op beoordeling"),
    HerinneringSoort.BEWIJS_ONTBREEKT: gettext_lazy("Social return: bewijsstukken ontbreken"),
    HerinneringSoort.ACHTER_LEVERANCIER: gettext_lazy("Social return: uw contract loopt achter op schema"),
    HerinneringSoort.ACHTER_SR_TEAM: gettext_lazy("Social return: contracten lopen achter op schema"),
}


# --- sending once ---------------------------------------------------------------------------------

def _send_batch(batch: Batch, context: dict) -> bool:
    """Record the new occasions of one recipient and mail them, in one transaction."""
    email = batch.user.email.strip().lower()
    with transaction.atomic():
        new = []
        for occasion in batch.occasions:
            try:
                with transaction.atomic():
                    Herinnering.objects.create(
                        soort=batch.soort, ontvanger=email, aanleiding=occasion.aanleiding, gebruiker=batch.user,
                        contract_id=occasion.contract_id, onderwerp="",
                    )
            except IntegrityError:
                continue  # sent before (or being sent by a concurrent run)
            new.append(occasion)
        if not new:
            return False
        with translation.override("nl"):
            subject = str(SUBJECTS[batch.soort]) % context
            body = render_to_string(
                f"reporting/email/{batch.soort}.txt",
                {"user": batch.user, "regels": list(dict.fromkeys(o.regel for o in new)), "portal_url": settings.SROI_PORTAL_URL, **context},
            )
        Herinnering.objects.filter(
            soort=batch.soort, ontvanger=email, aanleiding__in=[o.aanleiding for o in new]
        ).update(onderwerp=subject[:200])
        EmailMessage(subject=subject, body=body, to=[batch.user.email]).send()
    return True


def send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Send every reminder that is due today; returns the number of e-mails sent per kind."""
    today = today or clock.today()
    sent = Counter()
    for kind in KINDS:
        for batch, context in kind(today):
            if _send_batch(batch, context):
                sent[batch.soort] += 1
    log.info("Reminders sent: %s", dict(sent) or "none")
    return {str(k): v for k, v in sent.items()}
