"""Ship the counting parameters of the banenafspraak and the 35 labour-market regions as seed data."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    from banenafspraak import seed

    seed.load(apps.get_model("banenafspraak", "Telparameters"), apps.get_model("banenafspraak", "Arbeidsmarktregio"))


class Migration(migrations.Migration):
    dependencies = [
        ("banenafspraak", "0001_initial"),
    ]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
