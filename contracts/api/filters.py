import django_filters

from contracts.models import Categorie, Contract, Procedure


class ContractFilter(django_filters.FilterSet):
    gemeente = django_filters.CharFilter(field_name="gemeente__code", help_text="Gemeentecode, bijv. GM0637.")
    leverancier = django_filters.CharFilter(field_name="leverancier__kvk_nummer", help_text="KvK-nummer.")
    categorie = django_filters.ChoiceFilter(choices=Categorie.choices)
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices)
    gunningsdatumVanaf = django_filters.DateFilter(field_name="gunningsdatum", lookup_expr="gte")
    gunningsdatumTot = django_filters.DateFilter(field_name="gunningsdatum", lookup_expr="lte")
    kenmerk = django_filters.CharFilter(field_name="kenmerk")

    class Meta:
        model = Contract
        fields = []
