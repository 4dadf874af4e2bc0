"""Existing rows into the new shape (issue #11, four eyes and "meer informatie").

- "Meer informatie" used to be a rejection whose reason started with "Meer informatie nodig: ". Such
  decisions become the decision kind ``meer_informatie`` with the reason without the prefix; a
  registration whose last decision was one goes back to ``concept`` (the effect of that decision now:
  the supplier supplements and resubmits) and keeps the question as the decision's text.
- ``beoordeling_besluit`` (the last decision) is filled from the decisions recorded.
- ``ingediend_door`` is filled, where the history knows it, with the user who made the last
  submitting version.

All by queryset updates (a few statements, whatever the number of rows); no history rows are added.
"""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Length, Substr

PREFIX = "Meer informatie nodig: "  # always stored in Dutch (the prefix had no other translation)


def forwards(apps, schema_editor):
    Beoordeling = apps.get_model("bouwblokken", "Beoordeling")
    Registratie = apps.get_model("bouwblokken", "Registratie")
    HistoricalRegistratie = apps.get_model("bouwblokken", "HistoricalRegistratie")
    start = len(PREFIX) + 1

    Beoordeling.objects.filter(besluit="afgekeurd", toelichting__startswith=PREFIX).update(
        besluit="meer_informatie", toelichting=Substr("toelichting", start, Length("toelichting"))
    )
    Registratie.objects.filter(status__in=["goedgekeurd", "afgekeurd"]).update(beoordeling_besluit=F("status"))
    decisions = Beoordeling.objects.filter(registratie=OuterRef("pk"))
    Registratie.objects.filter(Exists(decisions)).update(
        beoordeling_besluit=Subquery(decisions.order_by("-op", "-id").values("besluit")[:1])
    )
    Registratie.objects.filter(status="afgekeurd", beoordeling_toelichting__startswith=PREFIX).update(
        status="concept", beoordeling_besluit="meer_informatie",
        beoordeling_toelichting=Substr("beoordeling_toelichting", start, Length("beoordeling_toelichting")),
    )
    submitting = HistoricalRegistratie.objects.filter(
        id=OuterRef("pk"), status="ingediend", history_user__isnull=False
    ).order_by("-history_date", "-history_id")
    Registratie.objects.filter(ingediend_op__isnull=False, ingediend_door__isnull=True).filter(Exists(submitting)).update(
        ingediend_door=Subquery(submitting.values("history_user")[:1])
    )


def backwards(apps, schema_editor):
    Beoordeling = apps.get_model("bouwblokken", "Beoordeling")
    Registratie = apps.get_model("bouwblokken", "Registratie")
    Beoordeling.objects.filter(besluit="meer_informatie").update(
        besluit="afgekeurd", toelichting=Concat(Value(PREFIX), "toelichting")
    )
    Registratie.objects.filter(status="concept", beoordeling_besluit="meer_informatie").update(
        status="afgekeurd", beoordeling_toelichting=Concat(Value(PREFIX), "beoordeling_toelichting")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("bouwblokken", "0005_registratie_four_eyes_meer_informatie"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
