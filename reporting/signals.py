"""Keep the stored figures up to date when their sources change.

Connected in ``ReportingConfig.ready()``. A change to a registration, a contract, a value change,
an exemption, a policy version, a catalogue version or one of its bouwblokken, a settlement, a
candidate (the retention run pseudonymises them), a follow-up, and contracts created in bulk (the
import: ``contracts.signals.contracts_created``, as ``bulk_create`` sends no ``post_save``) marks the
affected contracts and municipalities;
when the transaction commits, ONE task recomputes them all (``reporting.tasks.refresh_figures``,
queued through ``reporting.outbox``: kept in the outbox while the broker is down).
Nothing is queued for a transaction that rolls back, and a save inside a loop (revaluing all
registrations of a contract) still gives one task.

Other apps' services are not touched: this module only listens.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)


class _Flush:
    """The on-commit callback of one transaction: queues one recompute for all it collected."""

    def __init__(self):
        self.contracts = set()
        self.gemeenten = set()

    def add(self, contract_ids, gemeente_ids):
        self.contracts.update(pk for pk in contract_ids if pk)
        self.gemeenten.update(pk for pk in gemeente_ids if pk)

    def __call__(self):
        if not self.contracts and not self.gemeenten:
            return
        from .outbox import enqueue_figures

        # The broker down: the work goes to the outbox (reporting.outbox) and is sent on when it
        # answers again; the user's save is never affected.
        try:
            enqueue_figures(contract_ids=self.contracts, gemeente_ids=self.gemeenten)
        except Exception:  # not even the outbox could be written: the nightly recompute catches up
            log.exception("Could not queue the figures recompute for %s contracts", len(self.contracts))


def mark(*, contract_ids=(), gemeente_ids=()):
    """Recompute the figures of these contracts and municipalities after the current transaction.

    One callback per transaction: every callback still in ``run_on_commit`` belongs to the current
    transaction and will run when it commits (Django drops the callbacks of a savepoint that rolls
    back, and a still-open savepoint that rolls back also undoes the change being marked now), so
    an existing one is reused. Ids added to it from inside a savepoint that later rolls back are
    recomputed anyway, which is harmless. Outside a transaction the recompute is queued at once.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Flush):
                callback.add(contract_ids, gemeente_ids)
                return
    flush = _Flush()
    flush.add(contract_ids, gemeente_ids)
    # robust: a failing recompute is logged and never breaks the user's save.
    transaction.on_commit(flush, robust=True)


# --- receivers --------------------------------------------------------------------------------------

def registratie_changed(sender, instance, **kwargs):
    # The task finds the municipality of each contract itself (one query), so no lookup here.
    mark(contract_ids=[instance.contract_id])


def contract_changed(sender, instance, **kwargs):
    if kwargs.get("signal") is post_delete:
        mark(gemeente_ids=[instance.gemeente_id])
    else:
        mark(contract_ids=[instance.pk], gemeente_ids=[instance.gemeente_id])


def contract_part_changed(sender, instance, **kwargs):
    """ContractWijziging, Ontheffing: the contract they belong to."""
    mark(contract_ids=[instance.contract_id])


def beleid_changed(sender, instance, **kwargs):
    from contracts.models import Contract

    mark(contract_ids=Contract.objects.filter(beleid_id=instance.pk).values_list("pk", flat=True))


def catalogus_changed(sender, instance, **kwargs):
    """A catalogue version or one of its bouwblokken (the value per year of a running placement is
    read from it): the contracts that use that catalogue."""
    from bouwblokken.models import Catalogus
    from contracts.models import Contract

    catalogus_id = instance.pk if isinstance(instance, Catalogus) else instance.catalogus_id
    mark(contract_ids=Contract.objects.filter(catalogus_id=catalogus_id).values_list("pk", flat=True))


def afrekening_changed(sender, instance, **kwargs):
    """A settlement: the contract is measured at its end date from then on."""
    mark(contract_ids=[instance.contract_id])


def kandidaat_changed(sender, instance, **kwargs):
    """A candidate (the retention run pseudonymises candidates): the placements counted per municipality."""
    from bouwblokken.models import Registratie

    mark(contract_ids=Registratie.objects.filter(kandidaat_id=instance.pk).values_list("contract_id", flat=True).distinct())


def contracts_created(sender, contract_ids=(), gemeente_ids=(), **kwargs):
    """Contracts stored in bulk (the import): no post_save was sent for them."""
    mark(contract_ids=contract_ids, gemeente_ids=gemeente_ids)


def vervolg_changed(sender, instance, **kwargs):
    from bouwblokken.models import Registratie

    gemeente_id = (
        Registratie.objects.filter(pk=instance.registratie_id).values_list("contract__gemeente_id", flat=True).first()
    )
    mark(gemeente_ids=[gemeente_id])


def connect():
    from bouwblokken.models import Bouwblok, Catalogus, Kandidaat, Registratie
    from contracts.models import Afrekening, Beleid, Contract, ContractWijziging, Ontheffing
    from contracts.signals import contracts_created as contracts_created_signal

    from .models import Vervolg

    for signal in (post_save, post_delete):
        signal.connect(registratie_changed, sender=Registratie, dispatch_uid=f"reporting-registratie-{signal}")
        signal.connect(contract_changed, sender=Contract, dispatch_uid=f"reporting-contract-{signal}")
        signal.connect(contract_part_changed, sender=ContractWijziging, dispatch_uid=f"reporting-wijziging-{signal}")
        signal.connect(contract_part_changed, sender=Ontheffing, dispatch_uid=f"reporting-ontheffing-{signal}")
        signal.connect(beleid_changed, sender=Beleid, dispatch_uid=f"reporting-beleid-{signal}")
        signal.connect(vervolg_changed, sender=Vervolg, dispatch_uid=f"reporting-vervolg-{signal}")
        signal.connect(catalogus_changed, sender=Catalogus, dispatch_uid=f"reporting-catalogus-{signal}")
        signal.connect(catalogus_changed, sender=Bouwblok, dispatch_uid=f"reporting-bouwblok-{signal}")
        signal.connect(afrekening_changed, sender=Afrekening, dispatch_uid=f"reporting-afrekening-{signal}")
    post_save.connect(kandidaat_changed, sender=Kandidaat, dispatch_uid="reporting-kandidaat")
    contracts_created_signal.connect(contracts_created, dispatch_uid="reporting-contracts-created")
    # The per-year values (RegistratieJaar) are written after the registration itself, by
    # bulk_create (no signal); the recompute runs after the commit, so it sees them.
