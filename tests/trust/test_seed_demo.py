"""Demo accounts never reach production (issue #11, item 7): ``manage.py seed_demo`` refuses to run
when DEBUG is off, with a Dutch message, a non-zero exit and nothing created."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from bouwblokken.models import Registratie
from contracts.models import Contract, Gemeente, Leverancier

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_and_creates_nothing(settings):
    settings.DEBUG = False
    before = (get_user_model().objects.count(), Gemeente.objects.count(), Leverancier.objects.count())

    with pytest.raises(CommandError, match="alleen met DEBUG=true"):
        call_command("seed_demo", stdout=open(os.devnull, "w"))

    assert (get_user_model().objects.count(), Gemeente.objects.count(), Leverancier.objects.count()) == before
    assert not get_user_model().objects.filter(username__in=["beheerder", "srteam"]).exists()
    assert Contract.objects.count() == 0 and Registratie.objects.count() == 0


def test_manage_py_seed_demo_exits_non_zero_with_a_dutch_message_on_stderr(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")},
        "DEBUG": "false", "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "CELERY_BROKER_URL": "",
    }
    result = subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "werkt daarom alleen met DEBUG=true" in result.stderr
    assert "Er is niets aangemaakt" in result.stderr
    assert "Demodata staat klaar" not in result.stdout
