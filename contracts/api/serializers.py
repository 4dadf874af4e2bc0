"""API v1 representations of municipalities, suppliers and contracts (field names are a contract
with outside clients: keep them stable)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from contracts.models import OBLIGATION_REASONS, Categorie, Gemeente, Leverancier, Procedure, kvk_validator
from contracts.selectors import fulfilment
from contracts.services import MAX_CONTRACT_AMOUNT


def money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True, **kwargs)


#: No contract or registration in a municipality is worth more than this; a larger amount is a typo.
MAX_AMOUNT = MAX_CONTRACT_AMOUNT


def amount(**kwargs):
    """A money input from 0 up to EUR 10 billion, with Dutch messages."""
    return money(
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        error_messages={
            "min_value": _("Het bedrag mag niet negatief zijn."),
            "max_value": _("Dit bedrag is onaannemelijk hoog: meer dan 10 miljard euro."),
            "max_digits": _("Dit bedrag is onaannemelijk hoog: meer dan 10 miljard euro."),
            "max_whole_digits": _("Dit bedrag is onaannemelijk hoog: meer dan 10 miljard euro."),
            "max_decimal_places": _("Gebruik hoogstens 2 cijfers achter de komma."),
            "invalid": _("Vul een bedrag in, bijvoorbeeld 1250.00."),
        },
        **kwargs,
    )


class GemeenteSerializer(serializers.ModelSerializer):
    regio = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Gemeente
        fields = ["code", "naam", "regio"]


class LeverancierSerializer(serializers.ModelSerializer):
    kvkNummer = serializers.CharField(
        source="kvk_nummer",
        max_length=8,
        validators=[kvk_validator],
        help_text=_("KvK-nummer: precies 8 cijfers."),
    )

    class Meta:
        model = Leverancier
        fields = ["kvkNummer", "naam"]

    def validate_kvkNummer(self, value):
        qs = Leverancier.objects.filter(kvk_nummer=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise serializers.ValidationError(_("Er is al een leverancier met dit KvK-nummer."), code="unique")
        return value


class VerplichtingSerializer(serializers.Serializer):
    vanToepassing = serializers.BooleanField(source="van_toepassing")
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)
    bedrag = money()
    reden = serializers.CharField(help_text=_("Waarom deze verplichting geldt, in gewone taal."))
    redenCode = serializers.CharField(source="reden_code")


class JaarRealisatieSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    goedgekeurd = money()
    inBehandeling = money(source="in_behandeling")


class RealisatieSerializer(serializers.Serializer):
    goedgekeurd = money(help_text=_("Som van de goedgekeurde registraties."))
    inBehandeling = money(source="in_behandeling", help_text=_("Som van de ingediende, nog niet beoordeelde registraties."))
    percentage = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    verwacht = money(help_text=_("Wat naar rato van de verstreken looptijd gerealiseerd zou moeten zijn."))
    status = serializers.ChoiceField(
        choices=["vrijgesteld", "voldaan_via_sebo", "voldaan", "op_schema", "achter", "niet_van_toepassing"]
    )
    perJaar = JaarRealisatieSerializer(source="per_jaar", many=True)


class CatalogusRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField()
    geldigVanaf = serializers.DateField(source="geldig_vanaf")


class ContractSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    gemeente = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Gemeente.objects.all(),
        error_messages={"does_not_exist": _("Onbekende gemeentecode {value}.")},
    )
    leverancier = serializers.SlugRelatedField(
        slug_field="kvk_nummer",
        queryset=Leverancier.objects.all(),
        error_messages={
            "does_not_exist": _("Onbekend KvK-nummer {value}; registreer de leverancier eerst via /api/v1/leveranciers.")
        },
    )
    kenmerk = serializers.CharField(max_length=60)
    omschrijving = serializers.CharField(max_length=500)
    categorie = serializers.ChoiceField(choices=Categorie.choices)
    procedure = serializers.ChoiceField(choices=Procedure.choices)
    gunningsdatum = serializers.DateField()
    startdatum = serializers.DateField()
    einddatum = serializers.DateField()
    aanneemsom = amount()
    loonsom = amount()
    extraPercentage = serializers.DecimalField(
        source="extra_percentage", max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"),
        required=False, default=Decimal("0"),
    )
    seboKeurmerk = serializers.BooleanField(source="sebo_keurmerk", required=False, default=False)
    actueleAanneemsom = money(source="actuele_aanneemsom", read_only=True)
    actueleLoonsom = money(source="actuele_loonsom", read_only=True)
    actueleEinddatum = serializers.DateField(source="actuele_einddatum", read_only=True)
    catalogus = CatalogusRefSerializer(read_only=True)
    verplichting = serializers.SerializerMethodField()
    realisatie = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, contract):
        return reverse("api:contract-detail", kwargs={"pk": contract.pk}, request=self.context.get("request"))

    @extend_schema_field(VerplichtingSerializer)
    def get_verplichting(self, contract):
        return VerplichtingSerializer(
            {
                "van_toepassing": contract.verplichting_van_toepassing,
                "percentage": contract.verplichting_percentage,
                "bedrag": contract.verplichting_bedrag,
                "reden": str(OBLIGATION_REASONS.get(contract.verplichting_reden, "")),
                "reden_code": contract.verplichting_reden,
            }
        ).data

    @extend_schema_field(RealisatieSerializer)
    def get_realisatie(self, contract):
        per_year = self.context.get("per_year", {}).get(contract.pk, [])
        figures = fulfilment(contract, goedgekeurd=contract.goedgekeurd, in_behandeling=contract.in_behandeling)
        return RealisatieSerializer(
            {
                "goedgekeurd": figures.goedgekeurd,
                "in_behandeling": figures.in_behandeling,
                "percentage": figures.percentage,
                "verwacht": figures.verwacht,
                "status": figures.status,
                "per_jaar": per_year,
            }
        ).data
