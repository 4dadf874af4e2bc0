"""Ship both Haaglanden/Zuid-Holland Centraal catalogue versions (2019 and from 1 July 2023) as seed data."""

from django.db import migrations


def load_catalogi(apps, schema_editor):
    from bouwblokken import seed

    seed.load(apps.get_model("contracts", "Regio"), apps.get_model("bouwblokken", "Catalogus"),
              apps.get_model("bouwblokken", "Bouwblok"))


class Migration(migrations.Migration):
    dependencies = [
        ("bouwblokken", "0002_initial"),
        ("contracts", "0002_initial"),
    ]

    operations = [migrations.RunPython(load_catalogi, migrations.RunPython.noop)]
