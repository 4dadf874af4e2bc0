"""Signals of the contracts app, for the apps above it (which listen; this app imports none of them).

``contracts_created``: contracts were stored in bulk (the import, ``services.create_contracts_in_bulk``),
which sends no ``post_save`` per contract. Arguments: ``contract_ids``, ``gemeente_ids``.
"""

from django.dispatch import Signal

contracts_created = Signal()
