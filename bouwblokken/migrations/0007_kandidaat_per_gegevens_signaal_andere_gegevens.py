"""A candidate is the reference with its initials and year of birth (issue #11, item 8): the same
reference with other data becomes a record of its own instead of an error that told a supplier about
another supplier's candidate; the SR-team gets the flag ``andere_gegevens``.

The new constraint is looser than the old one, so existing rows satisfy it: no data to move."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("bouwblokken", "0006_meer_informatie_data"),
        ("contracts", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="kandidaat", name="kandidaat_reference_unique_per_regio"),
        migrations.AddConstraint(
            model_name="kandidaat",
            constraint=models.UniqueConstraint(
                fields=("regio", "referentie", "initialen", "geboortejaar"), name="kandidaat_unique_per_regio"
            ),
        ),
        migrations.AlterField(
            model_name="signaal",
            name="soort",
            field=models.CharField(
                choices=[
                    ("overlap", "Dezelfde kandidaat telt al mee voor overlappende maanden"),
                    ("andere_gegevens",
                     "Dezelfde referentie is ook geregistreerd met andere initialen of een ander geboortejaar"),
                ],
                max_length=20, verbose_name="soort",
            ),
        ),
    ]
