"""API v1 representations of bouwblokken and registrations (field names are a contract with outside
clients: keep them stable)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from bouwblokken.models import Besluit, Bouwblok, Registratie, Waarderingswijze
from bouwblokken.selectors import missing_evidence
from contracts.api.serializers import amount, money
from sroi_portal import access


class BouwblokSerializer(serializers.ModelSerializer):
    waarde = money(allow_null=True)
    waarderingswijze = serializers.ChoiceField(choices=Waarderingswijze.choices)
    maxMaanden = serializers.IntegerField(source="max_maanden", allow_null=True)
    catalogus = serializers.IntegerField(source="catalogus_id")
    catalogusNaam = serializers.CharField(source="catalogus.naam")
    geldigVanaf = serializers.DateField(source="catalogus.geldig_vanaf")
    soort = serializers.CharField()
    hoortBij = serializers.ListField(source="hoort_bij", child=serializers.CharField())

    class Meta:
        model = Bouwblok
        fields = ["code", "naam", "soort", "waarde", "waarderingswijze", "maxMaanden", "hoortBij", "catalogus",
                  "catalogusNaam", "geldigVanaf"]


@extend_schema_serializer(component_name="RegistratieKandidaat")
class KandidaatSerializer(serializers.Serializer):
    referentie = serializers.CharField(max_length=40, help_text=_("Pseudoniem, bijv. het WSP-kandidaatnummer. Nooit een BSN."))
    initialen = serializers.CharField(max_length=10)
    geboortejaar = serializers.IntegerField(min_value=1900, max_value=2100)


class SignaalSerializer(serializers.Serializer):
    soort = serializers.CharField()
    omschrijving = serializers.CharField(source="get_soort_display")
    registratie = serializers.IntegerField(source="andere_registratie_id", allow_null=True)


class BeoordelingSerializer(serializers.Serializer):
    besluit = serializers.ChoiceField(
        choices=Besluit.choices,
        help_text=_("goedgekeurd, afgekeurd (met reden) of meer_informatie (met de vraag aan de leverancier; "
                    "de registratie gaat terug naar concept)."),
    )
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    redenZonderBewijs = serializers.CharField(
        source="reden_zonder_bewijs", required=False, allow_blank=True, default="",
        help_text=_("Verplicht bij goedkeuren terwijl vereist bewijs ontbreekt (zie ontbrekendBewijs van de "
                    "registratie): waarom het SR-team toch goedkeurt. Wordt bij het besluit bewaard; zonder "
                    "reden is zo'n goedkeuring een 400 (invalidParams: redenZonderBewijs)."),
    )


@extend_schema_serializer(component_name="Bewijssoort")
class BewijssoortSerializer(serializers.Serializer):
    code = serializers.SlugField(help_text=_("Bijvoorbeeld arbeidsovereenkomst, doelgroepverklaring, factuur."))
    naam = serializers.CharField()


@extend_schema_serializer(component_name="RegistratieBewijsstuk")
class BewijsstukSerializer(serializers.Serializer):
    soort = serializers.SlugField(source="soort.code", allow_null=True, read_only=True,
                                  help_text=_("De soort bewijsstuk (code); leeg bij een upload van voor de soorten."))
    soortNaam = serializers.CharField(source="soort.naam", allow_null=True, read_only=True)
    bestandsnaam = serializers.CharField(source="oorspronkelijke_naam", read_only=True)
    geuploadOp = serializers.DateTimeField(source="geupload_op", read_only=True)


@extend_schema_serializer(component_name="RegistratieBeoordelingStand")
class LaatsteBeoordelingSerializer(serializers.Serializer):
    """The last decision as shown in a registration (read-only)."""

    besluit = serializers.ChoiceField(choices=Besluit.choices, allow_null=True)
    toelichting = serializers.CharField()
    redenZonderBewijs = serializers.CharField(
        help_text=_("Waarom het SR-team goedkeurde terwijl vereist bewijs ontbrak; anders leeg."),
    )
    op = serializers.DateTimeField()


class RegistratieSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    contract = serializers.IntegerField(source="contract_id")
    bouwblok = serializers.SlugField(source="bouwblok.code")
    kandidaat = KandidaatSerializer(required=False, allow_null=True)
    hoofdregistratie = serializers.IntegerField(source="hoofdregistratie_id", required=False, allow_null=True)
    startdatum = serializers.DateField()
    einddatum = serializers.DateField(required=False, allow_null=True)
    urenPerWeek = serializers.DecimalField(
        source="uren_per_week", max_digits=4, decimal_places=1, required=False, allow_null=True,
        min_value=Decimal("0.1"), max_value=Decimal("60"),
    )
    bedrag = amount(required=False, allow_null=True)
    dagen = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True,
                                     min_value=Decimal("0.5"), max_value=Decimal("3660"))
    loonkostensubsidieTot = serializers.DateField(source="loonkostensubsidie_tot", required=False, allow_null=True)
    omschrijving = serializers.CharField(required=False, allow_blank=True, max_length=500)
    status = serializers.CharField(read_only=True)
    waarde = money(read_only=True)
    perJaar = serializers.SerializerMethodField()
    signalen = serializers.SerializerMethodField(
        help_text=_("Signalen voor het SR-team (dubbel geteld, referentie met andere gegevens); leeg voor een leverancier."),
    )
    versie = serializers.IntegerField(read_only=True)
    ingediendOp = serializers.DateTimeField(source="ingediend_op", read_only=True, allow_null=True)
    bewijsstukken = BewijsstukSerializer(many=True, read_only=True)
    ontbrekendBewijs = serializers.SerializerMethodField(
        help_text=_("De soorten bewijs die de bouwblok vraagt en die nog niet zijn geüpload. Goedkeuren kan dan "
                    "alleen met redenZonderBewijs (SROI-RULES §3 stap 6)."),
    )
    beoordeling = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, registratie):
        return reverse("api:registratie-detail", kwargs={"pk": registratie.pk}, request=self.context.get("request"))

    @extend_schema_field(SignaalSerializer(many=True))
    def get_signalen(self, registratie):
        request = self.context.get("request")
        if request is None or not access.may_see_signals(request.user):
            return []
        return SignaalSerializer(registratie.signalen.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_perJaar(self, registratie):
        return [{"jaar": j.jaar, "waarde": f"{j.waarde:.2f}"} for j in registratie.jaren.all()]

    @extend_schema_field(BewijssoortSerializer(many=True))
    def get_ontbrekendBewijs(self, registratie):
        # The view passes the kinds for all its rows at once (selectors.missing_evidence_by_registration).
        known = self.context.get("ontbrekend_bewijs")
        kinds = known[registratie.pk] if known is not None and registratie.pk in known else missing_evidence(registratie)
        return BewijssoortSerializer(kinds, many=True).data

    @extend_schema_field(LaatsteBeoordelingSerializer(allow_null=True))
    def get_beoordeling(self, registratie):
        if registratie.beoordeeld_op is None:
            return None
        if registratie.meer_informatie_gevraagd:
            besluit = Besluit.MEER_INFORMATIE.value
        else:
            besluit = registratie.status if registratie.status in (Besluit.GOEDGEKEURD, Besluit.AFGEKEURD) else None
        return {
            "besluit": besluit,
            "toelichting": registratie.beoordeling_toelichting,
            "redenZonderBewijs": registratie.beoordeling_reden_zonder_bewijs,
            "op": registratie.beoordeeld_op.isoformat(),
        }


class RegistratieWijzigingSerializer(RegistratieSerializer):
    """PATCH: everything but contract and bouwblok may change; ``versie`` guards against lost updates."""

    contract = serializers.IntegerField(source="contract_id", read_only=True)
    bouwblok = serializers.SlugField(source="bouwblok.code", read_only=True)
    hoofdregistratie = serializers.IntegerField(source="hoofdregistratie_id", read_only=True)
    versie = serializers.IntegerField(required=False)
