import django_filters

from banenafspraak.models import Dienstverband, Doel, Telling, Werkgever


class WerkgeverFilter(django_filters.FilterSet):
    gemeente = django_filters.CharFilter(field_name="gemeente__code", help_text="Gemeentecode, bijv. GM0637.")
    bovenliggende = django_filters.NumberFilter(field_name="bovenliggende_id")
    hoofdwerkgever = django_filters.BooleanFilter(
        field_name="bovenliggende", lookup_expr="isnull", help_text="true: alleen werkgevers die geen onderdeel zijn."
    )

    class Meta:
        model = Werkgever
        fields = []


class DoelFilter(django_filters.FilterSet):
    werkgever = django_filters.NumberFilter(field_name="werkgever_id")
    jaar = django_filters.NumberFilter(field_name="jaar")

    class Meta:
        model = Doel
        fields = []


class TellingFilter(django_filters.FilterSet):
    werkgever = django_filters.NumberFilter(field_name="werkgever_id")
    jaar = django_filters.NumberFilter(field_name="jaar")
    kwartaal = django_filters.NumberFilter(field_name="kwartaal")

    class Meta:
        model = Telling
        fields = []


class DienstverbandFilter(django_filters.FilterSet):
    werkgever = django_filters.NumberFilter(field_name="werkgever_id")
    soort = django_filters.CharFilter(field_name="soort")
    referentie = django_filters.CharFilter(field_name="referentie")

    class Meta:
        model = Dienstverband
        fields = []
