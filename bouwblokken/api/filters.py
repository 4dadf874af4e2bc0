import django_filters
from django.db.models import OuterRef, Subquery

from bouwblokken.models import Bouwblok, Catalogus, Registratie, Status


class BouwblokFilter(django_filters.FilterSet):
    catalogus = django_filters.NumberFilter(field_name="catalogus_id", help_text="Id van de catalogusversie.")
    regio = django_filters.CharFilter(field_name="catalogus__regio__code")
    peildatum = django_filters.DateFilter(
        method="filter_peildatum",
        help_text="Alleen de bouwblokken van de catalogusversie die op deze datum van kracht is (per regio).",
    )
    code = django_filters.CharFilter(field_name="code")

    class Meta:
        model = Bouwblok
        fields = []

    def filter_peildatum(self, queryset, name, value):
        in_force = (
            Catalogus.objects.filter(regio_id=OuterRef("catalogus__regio_id"), geldig_vanaf__lte=value)
            .order_by("-geldig_vanaf")
            .values("pk")[:1]
        )
        return queryset.filter(catalogus_id=Subquery(in_force))


class RegistratieFilter(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="contract_id")
    status = django_filters.ChoiceFilter(choices=Status.choices)
    bouwblok = django_filters.CharFilter(field_name="bouwblok__code")
    gemeente = django_filters.CharFilter(field_name="contract__gemeente__code")
    leverancier = django_filters.CharFilter(field_name="contract__leverancier__kvk_nummer")
    jaar = django_filters.NumberFilter(field_name="jaren__jaar", distinct=True)

    class Meta:
        model = Registratie
        fields = []
