"""The access matrix format. Every named URL of the portal has one ``Rule`` in a
``tests/access/matrix_<app>.py`` module (``ENTRIES = {"namespace:name": Rule(...)}``); the runner in
``tests/access/test_every_url.py`` fails for a URL without a rule, so a new page cannot ship
without saying who may see it.

Roles of the test world (``tests/access/world.py``):
    anonymous, leverancier_a, leverancier_b, inkoop_x, srteam_x, srteam_other, raadslid_x, beheerder
- ``x`` is Zoetermeer (GM0637); ``srteam_other`` works for a municipality in another region.
- ``leverancier_a`` holds ``world.contract_a`` (with ``world.registratie_a`` and its evidence
  ``world.bewijs_a``); ``leverancier_b`` holds ``world.contract_b`` (``world.registratie_b``).

Expected answers: a role in ``read`` gets ``ok_status`` (200) on GET; any other signed-in role gets
403 or 404; anonymous is redirected to the login page (pages) or gets 401/403 (API). A role in
``write`` may POST (not asserted here; flows are tested elsewhere); a POST by any other role gets
403/404 (anonymous: login redirect / 401/403) and must not change anything.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "leverancier_a", "leverancier_b", "inkoop_x", "srteam_x", "srteam_other", "raadslid_x", "beheerder")
ALL_SIGNED_IN = frozenset(ROLES) - {"anonymous"}
STAFF_X = frozenset({"inkoop_x", "srteam_x", "beheerder"})


@dataclass(frozen=True)
class Rule:
    kwargs: Callable = lambda world: {}  # a dict of URL kwargs, or a tuple of positional args
    read: frozenset = frozenset()
    write: frozenset = frozenset()
    data: Callable = lambda world: {}
    ok_status: int = 200
    query: str = ""
    methods: tuple = ("get",)  # which methods the URL answers; add "post" for forms/actions
    public: bool = False  # reachable without login (login page, password reset, openapi.json)
    note: str = ""

    def __post_init__(self):
        unknown = (set(self.read) | set(self.write)) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles in access rule: {sorted(unknown)}")
