"""API v1 representations of the banenafspraak (field names are a contract with outside clients:
keep them stable). Job counts are decimal strings with 2 decimals."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from banenafspraak.models import Bron, Inleenvorm, Soort
from contracts.models import Gemeente


def jobs(**kwargs):
    return serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True, **kwargs)


def jobs_in(**kwargs):
    kwargs.setdefault("min_value", Decimal("0"))
    return jobs(**kwargs)


def pct(**kwargs):
    return serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=True, allow_null=True, **kwargs)


class WerkgeverSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    naam = serializers.CharField(max_length=200)
    gemeente = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Gemeente.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Onbekende gemeentecode {value}.")},
        help_text=_("CBS-code van de gemeente (bijv. GM0637). Een onderdeel hoort bij de gemeente van de werkgever erboven."),
    )
    bovenliggende = serializers.IntegerField(
        source="bovenliggende_id", required=False, allow_null=True,
        help_text=_("Id van de werkgever waarvan dit een onderdeel is (afdeling, dienst)."),
    )
    onderdelen = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, werkgever):
        return reverse("api:werkgever-detail", kwargs={"pk": werkgever.pk}, request=self.context.get("request"))

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_onderdelen(self, werkgever):
        return sorted(child.pk for child in werkgever.onderdelen.all())


class WerkgeverWijzigingSerializer(serializers.Serializer):
    naam = serializers.CharField(max_length=200)


class DoelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    werkgever = serializers.IntegerField(source="werkgever_id")
    jaar = serializers.IntegerField(min_value=2000, max_value=2100)
    banen = jobs_in(help_text=_("Doel in banen van 25,5 uur per week, voor de werkgever met zijn onderdelen."))
    verloondeUren = serializers.DecimalField(
        source="verloonde_uren", max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False,
        allow_null=True, help_text=_("Alle verloonde uren van de werkgever; bepaalt of de quotumheffing geldt."),
    )
    toelichting = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DoelWijzigingSerializer(DoelSerializer):
    werkgever = serializers.IntegerField(source="werkgever_id", read_only=True)


class KandidaatSerializer(serializers.Serializer):
    referentie = serializers.CharField(max_length=40, help_text=_("Pseudoniem, bijv. een personeelsnummer. Nooit een BSN."))
    initialen = serializers.CharField(max_length=10)
    geboortejaar = serializers.IntegerField(min_value=1900, max_value=2100)


class DienstverbandSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    werkgever = serializers.IntegerField(source="werkgever_id", help_text=_("Het onderdeel waar de persoon werkt."))
    kandidaat = KandidaatSerializer(source="*")
    soort = serializers.ChoiceField(choices=Soort.choices)
    inleenvorm = serializers.ChoiceField(choices=Inleenvorm.choices, required=False, allow_blank=True, default="")
    startdatum = serializers.DateField()
    einddatum = serializers.DateField(required=False, allow_null=True, default=None)
    urenPerWeek = serializers.DecimalField(
        source="uren_per_week", max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("60"),
    )


class DienstverbandWijzigingSerializer(DienstverbandSerializer):
    werkgever = serializers.IntegerField(source="werkgever_id", read_only=True)


class TellingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    werkgever = serializers.IntegerField(source="werkgever_id")
    jaar = serializers.IntegerField(min_value=2000, max_value=2100)
    kwartaal = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True, default=None,
                                        help_text=_("Leeg voor een heel jaar."))
    banenDienstverband = jobs_in(source="banen_dienstverband", required=False, allow_null=True,
                                 help_text=_("Banen in dienstverband; of geef verloondeUrenDienstverband."))
    banenInleen = jobs_in(source="banen_inleen", required=False, allow_null=True,
                          help_text=_("Banen via inleen; of geef verloondeUrenInleen."))
    verloondeUrenDienstverband = serializers.DecimalField(
        source="verloonde_uren_dienstverband", max_digits=14, decimal_places=2, min_value=Decimal("0"),
        required=False, allow_null=True,
        help_text=_("Verloonde uren in de periode; de banen worden berekend (uren / 1.326 per jaar, × 4 per kwartaal)."),
    )
    verloondeUrenInleen = serializers.DecimalField(
        source="verloonde_uren_inleen", max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False,
        allow_null=True,
    )
    bron = serializers.ChoiceField(choices=Bron.choices)
    toelichting = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TellingWijzigingSerializer(TellingSerializer):
    werkgever = serializers.IntegerField(source="werkgever_id", read_only=True)


class KwartaalcijfersSerializer(serializers.Serializer):
    kwartaal = serializers.IntegerField()
    banenDienstverband = jobs(source="banen_dienstverband")
    banenInleen = jobs(source="banen_inleen")
    banenTotaal = jobs(source="banen_totaal")
    percentage = pct()
    bron = serializers.CharField()


class BanenafspraakSerializer(serializers.Serializer):
    """A unit's figures for a year, including its sub-units."""

    jaar = serializers.IntegerField()
    doel = jobs(allow_null=True)
    banenDienstverband = jobs(source="banen_dienstverband")
    banenInleen = jobs(source="banen_inleen")
    banenTotaal = jobs(source="banen_totaal")
    percentage = pct(help_text=_("banenTotaal / doel × 100, 2 decimalen; leeg zonder doel."))
    tekort = jobs(allow_null=True)
    banenViaSocialReturn = jobs(
        source="banen_via_social_return", allow_null=True,
        help_text=_("Banen via social return (spoor 3) bij leveranciers van de gemeente; telt niet mee voor het quotum. "
                    "Alleen bij de werkgever van een gemeente zelf."),
    )
    heffing = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True,
        help_text=_("Indicatieve quotumheffing (EUR); leeg als die niet geldt."),
    )
    bron = serializers.CharField(
        help_text=_("telling, kwartaaltellingen, dienstverbanden, gemengd of geen: waar de banen vandaan komen.")
    )
    kwartalen = KwartaalcijfersSerializer(many=True)


class CouncilYearSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    doel = jobs(allow_null=True)
    banenDienstverband = jobs(source="banen_dienstverband", allow_null=True)
    banenInleen = jobs(source="banen_inleen", allow_null=True)
    banenTotaal = jobs(source="banen_totaal", allow_null=True)
    percentage = pct()
    tekort = jobs(allow_null=True)
    banenViaSocialReturn = jobs(source="banen_via_social_return", allow_null=True)


class RegioSamenvattingSerializer(serializers.Serializer):
    naam = serializers.CharField()
    peilkwartaal = serializers.CharField()
    nulmeting = jobs()
    laatste = jobs()
    voortgang = jobs()
    rang = serializers.IntegerField(allow_null=True)
    aantalRegios = serializers.IntegerField(source="aantal_regios")
    doel = jobs(allow_null=True)


class OverzichtSerializer(CouncilYearSerializer):
    """The council view of a municipality: aggregates only."""

    gemeente = serializers.CharField()
    gemeenteNaam = serializers.CharField(source="gemeente_naam")
    beschikbaar = serializers.BooleanField()
    werkgever = serializers.CharField(allow_null=True)
    vorigeJaren = CouncilYearSerializer(source="vorige_jaren", many=True)
    regio = RegioSamenvattingSerializer(allow_null=True)


class RegionaleDoelstellingSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    markt = jobs()
    overheid = jobs()
    totaal = jobs()


class ArbeidsmarktregioSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField()
    gemeenten = serializers.SerializerMethodField()
    doelstellingen = serializers.SerializerMethodField()
    uwv = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_gemeenten(self, regio):
        return sorted(g.code for g in regio.gemeenten.all())

    @extend_schema_field(RegionaleDoelstellingSerializer(many=True))
    def get_doelstellingen(self, regio):
        overview = self.context["overview"]
        return RegionaleDoelstellingSerializer(overview.doelstellingen.get(regio.pk, []), many=True).data

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_uwv(self, regio):
        overview = self.context["overview"]
        row = overview.row_for(regio.pk)
        if row is None:
            return None
        return {
            "nulmeting": f"{row.nulmeting:.2f}",
            "kwartalen": [
                {"jaar": jaar, "kwartaal": kwartaal, "aantal": f"{aantal:.2f}" if aantal is not None else None}
                for (jaar, kwartaal), aantal in zip(overview.kwartalen, row.kwartalen)
            ],
            "voortgang": f"{row.voortgang:.2f}" if row.voortgang is not None else None,
            "rang": row.rang,
            "aantalRegios": row.aantal,
        }


class ControleSerializer(serializers.Serializer):
    kolom = serializers.CharField()
    gepubliceerd = jobs()
    somRegios = jobs()
    verschil = jobs()
    gelijk = serializers.BooleanField()


class UwvTrendrapportageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    bron = serializers.CharField(max_length=300)
    nulmetingPeildatum = serializers.DateField(source="nulmeting_peildatum", required=False)
    bestandsnaam = serializers.CharField(read_only=True)
    geimporteerdOp = serializers.DateTimeField(source="geimporteerd_op", read_only=True)
    controles = serializers.SerializerMethodField(
        help_text=_("Per kolom: het gepubliceerde totaal tegen de som van de regio's en het verschil.")
    )
    bestand = serializers.FileField(write_only=True, help_text=_("CSV-bestand volgens het sjabloon."))

    @extend_schema_field(ControleSerializer(many=True))
    def get_controles(self, rapportage):
        return [
            {
                "kolom": c["kolom"], "gepubliceerd": f"{Decimal(c['gepubliceerd']):.2f}",
                "somRegios": f"{Decimal(c['somRegios']):.2f}", "verschil": f"{Decimal(c['verschil']):.2f}",
                "gelijk": Decimal(c["verschil"]) == 0,
            }
            for c in rapportage.verschillen or []
        ]
