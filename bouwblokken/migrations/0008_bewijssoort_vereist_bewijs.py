"""Evidence before approval (SROI-RULES.md §3 step 6, revised December 2026; issue #12 item 5).

The kinds of evidence (``Bewijssoort``), the kinds each bouwblok needs (``Bouwblok.vereist_bewijs``,
data of the catalogue version, seeded here for both shipped versions from ``bouwblokken.seed``), the
kind of an upload (``Bewijsstuk.soort``, empty for uploads from before) and the reason kept with a
decision that approves without the required evidence."""

import django.db.models.deletion
from django.db import migrations, models


def load_bewijs(apps, schema_editor):
    from bouwblokken import seed

    seed.load_bewijs(apps.get_model("contracts", "Regio"), apps.get_model("bouwblokken", "Catalogus"),
                     apps.get_model("bouwblokken", "Bewijssoort"))


class Migration(migrations.Migration):

    dependencies = [
        ('bouwblokken', '0007_kandidaat_per_gegevens_signaal_andere_gegevens'),
    ]

    operations = [
        migrations.CreateModel(
            name='Bewijssoort',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                ('naam', models.CharField(max_length=200, verbose_name='naam')),
                ('volgorde', models.PositiveSmallIntegerField(default=0, verbose_name='volgorde')),
            ],
            options={
                'verbose_name': 'soort bewijsstuk',
                'verbose_name_plural': 'soorten bewijsstukken',
                'ordering': ['volgorde', 'code'],
            },
        ),
        migrations.AddField(
            model_name='beoordeling',
            name='ontbrekend_bewijs',
            field=models.JSONField(blank=True, default=list, help_text='De soorten vereist bewijs (code en naam) die ontbraken toen het besluit viel.', verbose_name='ontbrekend bewijs bij het besluit'),
        ),
        migrations.AddField(
            model_name='beoordeling',
            name='reden_zonder_bewijs',
            field=models.TextField(blank=True, help_text='Verplicht bij goedkeuren terwijl een vereist bewijsstuk ontbreekt (SROI-RULES.md §3 stap 6).', verbose_name='reden goedkeuring zonder vereist bewijs'),
        ),
        migrations.AddField(
            model_name='historicalregistratie',
            name='beoordeling_reden_zonder_bewijs',
            field=models.TextField(blank=True, help_text='Bij het laatste besluit: waarom het SR-team goedkeurde terwijl vereist bewijs ontbrak.', verbose_name='reden goedkeuring zonder vereist bewijs'),
        ),
        migrations.AddField(
            model_name='registratie',
            name='beoordeling_reden_zonder_bewijs',
            field=models.TextField(blank=True, help_text='Bij het laatste besluit: waarom het SR-team goedkeurde terwijl vereist bewijs ontbrak.', verbose_name='reden goedkeuring zonder vereist bewijs'),
        ),
        migrations.AddField(
            model_name='bewijsstuk',
            name='soort',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bouwblokken.bewijssoort', verbose_name='soort'),
        ),
        migrations.AddField(
            model_name='bouwblok',
            name='vereist_bewijs',
            field=models.ManyToManyField(blank=True, help_text='Zonder deze bewijsstukken keurt het SR-team een registratie alleen goed met een reden.', related_name='bouwblokken', to='bouwblokken.bewijssoort', verbose_name='vereist bewijs'),
        ),
        migrations.RunPython(load_bewijs, migrations.RunPython.noop),
    ]
