"""API v1 representations of municipalities, suppliers and contracts (field names are a contract
with outside clients: keep them stable)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from contracts.models import OBLIGATION_REASONS, Categorie, Gemeente, Leverancier, Procedure, kvk_validator
from contracts.selectors import Realisatie, fulfilment
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
    gerealiseerd = money(help_text=_("Het deel van de goedgekeurde waarde van dit jaar dat op de peildatum gerealiseerd is."))
    goedgekeurd = money(help_text=_("Toegezegd: de goedgekeurde waarde van dit jaar, ook de maanden die nog komen."))
    inBehandeling = money(source="in_behandeling")


class PrognoseSerializer(serializers.Serializer):
    verwachtEindbedrag = money(
        source="verwacht_eindbedrag",
        help_text=_("Gerealiseerd + toegezegde maanden die nog komen + in behandeling."),
    )
    haalbaar = serializers.BooleanField(help_text=_("Of het verwachte eindbedrag de verplichting haalt."))


class RealisatieSerializer(serializers.Serializer):
    peildatum = serializers.DateField(help_text=_(
        "De datum waarop gerealiseerd, verwacht en status gemeten zijn: vandaag, of de einddatum van een "
        "afgelopen of afgerekend contract."))
    gerealiseerd = money(help_text=_(
        "Het deel van de goedgekeurde registraties op of vóór de peildatum (bij een plaatsing: de getelde "
        "maanden tot en met de peildatum)."))
    goedgekeurd = money(help_text=_(
        "Toegezegd: de volle waarde van de goedgekeurde registraties, ook de maanden die nog komen."))
    inBehandeling = money(source="in_behandeling", help_text=_("Som van de ingediende, nog niet beoordeelde registraties."))
    percentage = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, help_text=_(
        "Gerealiseerd als percentage van de verplichting."))
    verwacht = money(help_text=_("Wat naar rato van de verstreken looptijd gerealiseerd zou moeten zijn."))
    status = serializers.ChoiceField(
        choices=["vrijgesteld", "voldaan_via_sebo", "voldaan", "op_schema", "achter", "niet_van_toepassing"],
        help_text=_("Naar het gerealiseerde bedrag op de peildatum."),
    )
    prognose = PrognoseSerializer()
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

    def to_representation(self, contract):
        """The contract as the declared fields give it, built directly: the generic path instantiated
        three nested serializers and resolved ~30 fields per contract, which was most of the time of
        a list page of 100 (regio, PostgreSQL: 100 ms CPU). Same keys in the same order, same value
        formats (the declared fields' own ``to_representation``); tests/api pins them and
        tests/api/test_contract_representation.py compares it with the generic path."""
        return {
            "id": contract.pk,
            "url": self.get_url(contract),
            "gemeente": contract.gemeente.code,
            "leverancier": contract.leverancier.kvk_nummer,
            "kenmerk": _text(contract.kenmerk),
            "omschrijving": _text(contract.omschrijving),
            "categorie": _text(contract.categorie),
            "procedure": _text(contract.procedure),
            "gunningsdatum": _date(contract.gunningsdatum),
            "startdatum": _date(contract.startdatum),
            "einddatum": _date(contract.einddatum),
            "aanneemsom": _money(contract.aanneemsom),
            "loonsom": _money(contract.loonsom),
            "extraPercentage": _decimal(_PERCENTAGE, contract.extra_percentage),
            "seboKeurmerk": bool(contract.sebo_keurmerk),
            "actueleAanneemsom": _money(contract.actuele_aanneemsom),
            "actueleLoonsom": _money(contract.actuele_loonsom),
            "actueleEinddatum": _date(contract.actuele_einddatum),
            "catalogus": None if contract.catalogus_id is None else {
                "id": contract.catalogus.pk,
                "naam": _text(contract.catalogus.naam),
                "geldigVanaf": _date(contract.catalogus.geldig_vanaf),
            },
            "verplichting": self.get_verplichting(contract),
            "realisatie": self.get_realisatie(contract),
        }

    @extend_schema_field(serializers.URLField())
    def get_url(self, contract):
        return reverse("api:contract-detail", kwargs={"pk": contract.pk}, request=self.context.get("request"))

    @extend_schema_field(VerplichtingSerializer)
    def get_verplichting(self, contract):
        # The shape of VerplichtingSerializer, without a serializer per contract.
        return {
            "vanToepassing": bool(contract.verplichting_van_toepassing),
            "percentage": _decimal(_PERCENTAGE, contract.verplichting_percentage),
            "bedrag": _money(contract.verplichting_bedrag),
            "reden": str(OBLIGATION_REASONS.get(contract.verplichting_reden, "")),
            "redenCode": _text(contract.verplichting_reden),
        }

    @extend_schema_field(RealisatieSerializer)
    def get_realisatie(self, contract):
        # The shape of RealisatieSerializer (and JaarRealisatieSerializer per year), without serializers.
        # Committed (goedgekeurd) and pending come annotated on the contract; realised at the reference
        # date and the years from contracts.selectors.realisation (the view reads it for the page).
        found = self.context.get("realisatie", {}).get(contract.pk, Realisatie())
        figures = fulfilment(contract, goedgekeurd=contract.goedgekeurd, in_behandeling=contract.in_behandeling,
                             gerealiseerd=found.gerealiseerd, afgerekend=found.afgerekend)
        return {
            "peildatum": _date(figures.peildatum),
            "gerealiseerd": _money(figures.gerealiseerd),
            "goedgekeurd": _money(figures.goedgekeurd),
            "inBehandeling": _money(figures.in_behandeling),
            "percentage": _decimal(_REALISED_PERCENTAGE, figures.percentage),
            "verwacht": _money(figures.verwacht),
            "status": _text(figures.status),
            "prognose": {
                "verwachtEindbedrag": _money(figures.prognose.verwacht_eindbedrag),
                "haalbaar": bool(figures.prognose.haalbaar),
            },
            "perJaar": [
                {"jaar": int(year.jaar), "gerealiseerd": _money(year.gerealiseerd),
                 "goedgekeurd": _money(year.goedgekeurd), "inBehandeling": _money(year.in_behandeling)}
                for year in found.per_jaar
            ],
        }


# Field instances whose to_representation formats a value exactly as the declared fields above do
# (quantised to 2 places as a string, ISO dates); a None stays None, as in Serializer.to_representation.
_MONEY = money()
_PERCENTAGE = serializers.DecimalField(max_digits=5, decimal_places=2)
_REALISED_PERCENTAGE = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
_DATE = serializers.DateField()


def _decimal(field, value):
    return None if value is None else field.to_representation(value)


def _money(value):
    return None if value is None else _MONEY.to_representation(value)


def _date(value):
    return None if value is None else _DATE.to_representation(value)


def _text(value):
    return None if value is None else str(value)
