"""The outbox's bookkeeping (reporting.outbox), without Redis: what is kept when the broker refuses a
message, that the same work is kept once, and what a flush sends on, leaves and records.

The broker is replaced by a recorder that refuses while "down"; the real Redis outage, with
gunicorn and a worker, is tests/services/test_faults.py.
"""

import pytest
from django.core.management import CommandError, call_command
from kombu.exceptions import OperationalError

from reporting import outbox
from reporting.models import UitgesteldeTaak

pytestmark = pytest.mark.django_db


class Broker:
    def __init__(self):
        self.up = False
        self.sent = []

    def publish(self, task, *, args=(), kwargs=None):
        if not self.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append((task.name, list(args), kwargs or {}))


@pytest.fixture
def broker(monkeypatch):
    broker = Broker()
    monkeypatch.setattr(outbox, "_publish", broker.publish)
    monkeypatch.setattr(outbox, "_eager", lambda: False)
    return broker


def test_work_refused_by_the_broker_is_kept_once_and_sent_on_as_one_recompute(broker):
    assert outbox.enqueue_figures(contract_ids=[3, 1], gemeente_ids=[7]) is False
    assert outbox.enqueue_figures(contract_ids=[1, 2]) is False  # contract 1 again: no second row
    assert outbox.enqueue_report("9b0f3c8e-0000-4000-8000-000000000001") is False
    assert sorted(UitgesteldeTaak.objects.values_list("sleutel", flat=True)) == [
        "cijfers_contract:1", "cijfers_contract:2", "cijfers_contract:3", "cijfers_gemeente:7",
        "raadsrapportage:9b0f3c8e-0000-4000-8000-000000000001",
    ]
    assert "Connection refused" in UitgesteldeTaak.objects.first().laatste_fout

    assert outbox.flush() == {"verstuurd": 0, "over": 5}  # still down: nothing lost, attempts counted
    assert set(UitgesteldeTaak.objects.values_list("pogingen", flat=True)) == {1}

    broker.up = True
    assert outbox.flush() == {"verstuurd": 5, "over": 0}
    assert broker.sent == [
        ("reporting.tasks.refresh_figures", [], {"contract_ids": [1, 2, 3], "gemeente_ids": [7]}),
        ("reporting.tasks.generate_council_report", ["9b0f3c8e-0000-4000-8000-000000000001"], {}),
    ]
    assert outbox.flush() == {"verstuurd": 0, "over": 0}


def test_a_successful_enqueue_also_sends_the_outbox_on(broker):
    outbox.enqueue_figures(contract_ids=[5])
    broker.up = True
    assert outbox.enqueue_figures(contract_ids=[6]) is True
    assert [name for name, _a, _k in broker.sent] == ["reporting.tasks.refresh_figures", "reporting.tasks.flush_outbox"]
    outbox.flush()  # what the queued flush_outbox task does in the worker
    assert broker.sent[-1] == ("reporting.tasks.refresh_figures", [], {"contract_ids": [5], "gemeente_ids": []})
    assert outbox.enqueue_figures(contract_ids=[6]) is True  # nothing waits now: no flush queued
    assert len(broker.sent) == 4


def test_the_operator_command_lists_and_flushes_and_says_when_work_still_waits(broker, capsys):
    outbox.enqueue_report("9b0f3c8e-0000-4000-8000-000000000002")
    call_command("flush_outbox", "--list")
    assert "Raadsrapportage maken" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 wachten nog: is Redis bereikbaar"):
        call_command("flush_outbox")
    broker.up = True
    call_command("flush_outbox")
    assert "1 uitgestelde taken verstuurd; er wacht niets meer." in capsys.readouterr().out
    assert not UitgesteldeTaak.objects.exists()
