"""The banenafspraak rules of the portal's access matrix, run through the shared runner
(``tests/access/test_every_url.py``): every banenafspraak URL has a rule and every role gets the
expected answer; a refused write changes nothing."""

import pytest
from django.urls import get_resolver

from tests.access import test_every_url as runner
from tests.access.world import world  # noqa: F401  (fixture)

from .access_matrix import ENTRIES

OWN_URLS = sorted(name for name in runner.URL_NAMES
                  if name.startswith("banenafspraak:") or name.split(":")[-1].split("-")[0] in {
                      "werkgever", "banenafspraakdoel", "banenafspraaktelling", "banenafspraakdienstverband",
                      "banenafspraakoverzicht", "arbeidsmarktregio", "uwvtrendrapportage"})


def test_every_banenafspraak_url_has_a_rule_and_every_rule_a_url():
    assert get_resolver()  # the URLconf loads
    assert sorted(ENTRIES) == OWN_URLS


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_access(name, client, world, monkeypatch):  # noqa: F811
    monkeypatch.setitem(runner.RULES, name, ENTRIES[name])
    url, problems = runner._check_url(client, world, name)
    assert not problems, f"{name} ({url}):\n  " + "\n  ".join(problems)
