"""Reminders by e-mail: sent once per occasion (also when the run is repeated or runs twice at
the same time), recorded, in Dutch, without personal details of candidates."""

import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from bouwblokken import services as registrations
from bouwblokken.models import Registratie
from reporting.models import Herinnering
from reporting.reminders import add_working_days, send_reminders
from reporting.tasks import send_reminders as send_reminders_task
from tests.access.world import use_private_storage
from tests.factories import make_contract

from .conftest import invoice, place

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def to(outbox, email):
    return [m for m in outbox if email in m.to]


def test_the_yearly_report_reminder_goes_out_once_at_the_start_of_the_year(team, contract, mailoutbox):
    send_reminders(today=date(2026, 1, 5))
    send_reminders(today=date(2026, 1, 5))
    send_reminders(today=date(2026, 1, 6))
    mails = to(mailoutbox, "leverancier_a@example.nl")
    assert len(mails) == 1
    assert mails[0].subject == "Social return: uw jaarrapportage over 2025"
    assert contract.kenmerk in mails[0].body and "31 maart 2026" in mails[0].body
    assert Herinnering.objects.filter(soort="jaarrapportage", ontvanger="leverancier_a@example.nl").count() == 1
    assert not to(mailoutbox, "leverancier_b@example.nl")  # not their contract


def test_an_overdue_yearly_report_gets_one_more_reminder(team, contract, mailoutbox):
    send_reminders(today=date(2026, 1, 5))
    send_reminders(today=date(2026, 4, 1))
    send_reminders(today=date(2026, 4, 20))
    subjects = [m.subject for m in to(mailoutbox, "leverancier_a@example.nl")]
    assert subjects == ["Social return: uw jaarrapportage over 2025",
                        "Social return: uw jaarrapportage over 2025 is te laat"]


def test_no_reminder_when_the_year_was_reported(team, contract, mailoutbox):
    place(contract, start=date(2025, 1, 1), end=date(2025, 12, 31), state="ingediend")
    send_reminders(today=date(2026, 1, 5))
    assert not [m for m in to(mailoutbox, "leverancier_a@example.nl") if "jaarrapportage" in m.subject]


def test_a_concept_left_for_the_year_still_counts_as_not_reported(team, contract, mailoutbox):
    place(contract, start=date(2025, 1, 1), end=date(2025, 12, 31), state="goedgekeurd")
    place(contract, start=date(2025, 3, 1), end=date(2025, 8, 31), state="concept")
    send_reminders(today=date(2026, 2, 1))
    assert [m.subject for m in to(mailoutbox, "leverancier_a@example.nl")] == [
        "Social return: uw jaarrapportage over 2025"
    ]


def test_no_contact_five_working_days_after_award(team, zoetermeer, leverancier_a, mailoutbox):
    today = timezone.localdate()
    awarded = today - timedelta(days=14)
    late = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=awarded,
                         startdatum=awarded, einddatum=awarded + timedelta(days=700))
    in_touch = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=awarded,
                             startdatum=awarded, einddatum=awarded + timedelta(days=700))
    in_touch.contact_opgenomen_op = timezone.now()
    in_touch.save()
    send_reminders()
    send_reminders()
    supplier = [m for m in to(mailoutbox, "leverancier_a@example.nl") if "contact" in m.subject]
    team_mail = [m for m in to(mailoutbox, "srteam@example.nl") if "contact" in m.subject]
    assert len(supplier) == 1 and len(team_mail) == 1
    assert late.kenmerk in supplier[0].body and in_touch.kenmerk not in supplier[0].body
    assert "5 werkdagen" in supplier[0].body
    assert leverancier_a.kvk_nummer in team_mail[0].body


def test_working_days_skip_the_weekend():
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)  # Friday + 5 working days
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # Saturday -> Monday


def test_the_sr_team_hears_once_a_week_about_a_long_queue(team, contract, mailoutbox, settings):
    settings.SROI_QUEUE_MAX_DAYS = 10
    registratie = place(contract, state="ingediend")
    monday = date(2026, 11, 23)
    # Submitted 15 days before the first run (a fixed date, so the test means the same on any day).
    submitted = timezone.make_aware(datetime.combine(monday - timedelta(days=15), time(10, 0)))
    Registratie.objects.filter(pk=registratie.pk).update(ingediend_op=submitted)
    send_reminders(today=monday)
    send_reminders(today=monday + timedelta(days=2))
    send_reminders(today=monday + timedelta(days=7))
    mails = [m for m in to(mailoutbox, "srteam@example.nl") if "wachten op beoordeling" in m.subject]
    assert len(mails) == 2
    assert "Zoetermeer: 1" in mails[0].body


def test_a_submission_without_evidence_is_reminded_once(team, contract, mailoutbox, settings, tmp_path):
    use_private_storage(settings, tmp_path / "private")
    without = place(contract, state="ingediend")
    with_evidence = invoice(contract, state="concept")
    registrations.add_evidence(
        registratie=with_evidence, user=team["leverancier_a"], soort="factuur",
        bestand=SimpleUploadedFile("factuur.pdf", TINY_PDF, content_type="application/pdf"),
    )
    registrations.submit(registratie=with_evidence)
    send_reminders()
    send_reminders()
    mails = [m for m in to(mailoutbox, "leverancier_a@example.nl") if "bewijsstukken" in m.subject]
    assert len(mails) == 1
    assert f"registratie {without.pk} " in mails[0].body
    assert f"registratie {with_evidence.pk} " not in mails[0].body
    assert without.kandidaat.referentie not in mails[0].body  # no personal details in e-mails


def test_the_task_runs_the_same_reminders(team, contract, mailoutbox):
    first = send_reminders_task.delay(today="2026-01-05").get()
    second = send_reminders_task.delay(today="2026-01-05").get()
    assert first["jaarrapportage"] == 1
    assert second == {}
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_leaves_the_reminder_for_the_next_run(team, contract, mailoutbox, monkeypatch):
    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    with pytest.raises(ConnectionError):
        send_reminders(today=date(2026, 1, 5))
    assert not Herinnering.objects.exists()
    monkeypatch.undo()
    send_reminders(today=date(2026, 1, 5))
    assert len(mailoutbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_time_send_each_reminder_once(team, contract, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between connections)")
    contracts = [contract] + [
        make_contract(gemeente=contract.gemeente, leverancier=contract.leverancier) for _i in range(3)
    ]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            send_reminders(today=date(2026, 1, 5))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # The contracts (no registrations yet) are also behind schedule: those reminders are another mail.
    mails = [m for m in to(mailoutbox, "leverancier_a@example.nl") if "jaarrapportage" in m.subject]
    assert len(mails) == 1
    body = "".join(m.body for m in mails)
    assert all(body.count(c.kenmerk) == 1 for c in contracts)
    assert Herinnering.objects.filter(soort="jaarrapportage").count() == len(contracts)
