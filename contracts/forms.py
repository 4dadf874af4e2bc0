"""Forms of the staff pages: award, value changes, import, intake, exemption, settlement, list filters.

Forms check what a user can correct on the spot (Dutch messages at the field); the services check
again and their ``ValidationError`` is shown at the same fields (:func:`add_service_errors`).
"""

import hashlib
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sroi_portal import clock
from sroi_portal.access import gemeenten_for
from sroi_portal.validation import add_service_errors  # noqa: F401  (the views import it from here)

from .imports import CellError, parse_decimal
from .models import (
    Categorie, ContactSoort, Leverancier, OntheffingSoort, Procedure, WijzigingSoort, kvk_validator,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class BedragField(forms.DecimalField):
    """An amount in euro in Dutch (1.234,56) or international (1234.56) notation."""

    def __init__(self, *, allow_negative=False, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        if not allow_negative:
            kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.error_messages.update({
            "invalid": _("Vul een bedrag in, bijvoorbeeld 1.234,56."),
            "min_value": _("Het bedrag mag niet negatief zijn."),
            "max_decimal_places": _("Een bedrag heeft hoogstens 2 decimalen."),
            "max_digits": _("Het bedrag is te groot."),
            "max_whole_digits": _("Het bedrag is te groot."),
        })

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except CellError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class PercentageField(BedragField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("max_value", Decimal("100"))
        super().__init__(**kwargs)
        self.error_messages.update({
            "invalid": _("Vul een percentage in, bijvoorbeeld 1,5."),
            "min_value": _("Het extra percentage ligt tussen 0 en 100."),
            "max_value": _("Het extra percentage ligt tussen 0 en 100."),
            "max_digits": _("Het extra percentage ligt tussen 0 en 100."),
            "max_whole_digits": _("Het extra percentage ligt tussen 0 en 100."),
            "max_decimal_places": _("Een percentage heeft hoogstens 2 decimalen."),
        })


class DatumField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Vul een geldige datum in (dd-mm-jjjj).")


class ContractForm(forms.Form):
    """Award of a tender as a contract (inkoop). The supplier is known by KvK number or new (KvK + name)."""

    gemeente = forms.ModelChoiceField(queryset=None, label=_("Gemeente"), empty_label=_("Kies een gemeente"))
    kenmerk = forms.CharField(label=_("Kenmerk"), max_length=60, help_text=_("Uniek binnen de gemeente, bijvoorbeeld ZM-2026-014."))
    omschrijving = forms.CharField(label=_("Omschrijving van de opdracht"), max_length=500)
    leverancier_kvk = forms.CharField(
        label=_("KvK-nummer van de leverancier"), max_length=8, validators=[kvk_validator],
        help_text=_("8 cijfers."), widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    leverancier_naam = forms.CharField(
        label=_("Naam van de leverancier"), max_length=200, required=False,
        help_text=_("Alleen nodig als de leverancier nog niet in het portaal staat; die wordt dan aangemaakt."),
    )
    categorie = forms.ChoiceField(label=_("Categorie"), choices=Categorie.choices)
    procedure = forms.ChoiceField(label=_("Aanbestedingsprocedure"), choices=Procedure.choices)
    gunningsdatum = DatumField(label=_("Gunningsdatum"))
    startdatum = DatumField(label=_("Startdatum"))
    einddatum = DatumField(label=_("Einddatum"))
    aanneemsom = BedragField(label=_("Aanneemsom (excl. btw)"), help_text=_("In euro, bijvoorbeeld 1.250.000,00."))
    loonsom = BedragField(label=_("Loonsom"), help_text=_("Het loondeel van de aanneemsom, in euro."))
    extra_percentage = PercentageField(
        label=_("Extra SROI-percentage"), required=False, initial=Decimal("0"),
        help_text=_("Wat de leverancier bij de gunning extra bood, bovenop het percentage van het beleid (0 tot 100)."),
    )
    sebo_keurmerk = forms.BooleanField(label=_("De leverancier heeft een geldig SEBO-keurmerk"), required=False)
    preview_sleutel = forms.CharField(widget=forms.HiddenInput, required=False)

    FIELDS = ("gemeente", "kenmerk", "omschrijving", "leverancier_kvk", "leverancier_naam", "categorie", "procedure",
              "gunningsdatum", "startdatum", "einddatum", "aanneemsom", "loonsom", "extra_percentage", "sebo_keurmerk")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = gemeenten_for(user).order_by("naam")
        self.leverancier = None

    def clean_leverancier_kvk(self):
        kvk = self.cleaned_data["leverancier_kvk"].strip()
        self.leverancier = Leverancier.objects.filter(kvk_nummer=kvk).first()
        return kvk

    def clean(self):
        data = super().clean()
        today = clock.today()
        if data.get("gunningsdatum") and data["gunningsdatum"] > today:
            self.add_error("gunningsdatum", _("De gunningsdatum mag niet in de toekomst liggen."))
        if data.get("startdatum") and data.get("einddatum") and data["einddatum"] < data["startdatum"]:
            self.add_error("einddatum", _("De einddatum ligt vóór de startdatum."))
        if data.get("aanneemsom") is not None and data.get("loonsom") is not None and data["loonsom"] > data["aanneemsom"]:
            self.add_error("loonsom", _("De loonsom mag niet hoger zijn dan de aanneemsom."))
        if data.get("leverancier_kvk") and self.leverancier is None and not (data.get("leverancier_naam") or "").strip():
            self.add_error(
                "leverancier_naam", _("Dit KvK-nummer is nog niet bekend: vul de naam van de leverancier in.")
            )
        if data.get("extra_percentage") is None:
            data["extra_percentage"] = Decimal("0")
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.FIELDS}

    def values_key(self) -> str:
        """A fingerprint of the entered values: saving requires the obligation shown for exactly these."""
        data = self.cleaned_data
        text = "|".join(f"{name}={getattr(data.get(name), 'pk', data.get(name))}" for name in self.FIELDS)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class WaardeWijzigingForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort wijziging"), choices=WijzigingSoort.choices)
    datum = DatumField(label=_("Datum van de wijziging"))
    bedrag = BedragField(
        label=_("Wijziging van de aanneemsom"), allow_negative=True, required=False,
        help_text=_("Bij meerwerk en een ingeloste optie het extra bedrag; bij minderwerk het bedrag waarmee de "
                    "aanneemsom daalt (met of zonder minteken)."),
    )
    loonsom_bedrag = BedragField(
        label=_("Wijziging van de loonsom"), allow_negative=True, required=False,
        help_text=_("Het deel van de wijziging dat loonsom is (leeg: 0)."),
    )
    nieuwe_einddatum = DatumField(label=_("Nieuwe einddatum"), required=False, help_text=_("Alleen bij een verlenging."))
    toelichting = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        soort = data.get("soort")
        bedrag = data.get("bedrag") or Decimal("0")
        loonsom = data.get("loonsom_bedrag") or Decimal("0")
        if soort == WijzigingSoort.MINDERWERK:
            bedrag, loonsom = -abs(bedrag), -abs(loonsom)
            if bedrag == 0:
                self.add_error("bedrag", _("Vul het bedrag van het minderwerk in."))
        elif soort in (WijzigingSoort.MEERWERK, WijzigingSoort.OPTIE):
            if bedrag <= 0:
                self.add_error("bedrag", _("Vul het extra bedrag in (groter dan 0)."))
        if soort == WijzigingSoort.VERLENGING and not data.get("nieuwe_einddatum"):
            self.add_error("nieuwe_einddatum", _("Vul de nieuwe einddatum in."))
        if data.get("datum") and data["datum"] > clock.today():
            self.add_error("datum", _("De datum mag niet in de toekomst liggen."))
        data["bedrag"], data["loonsom_bedrag"] = bedrag, loonsom
        return data


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("Bestand (.xlsx of .csv)"),
        help_text=_("Gebruik de kolommen van het sjabloon. Eén foute rij: er wordt niets opgeslagen."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
    )


class ContactForm(forms.Form):
    datum = DatumField(label=_("Datum van het contact"))
    soort = forms.ChoiceField(label=_("Soort contact"), choices=ContactSoort.choices)
    notitie = forms.CharField(
        label=_("Notitie"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat is afgesproken, bijvoorbeeld de verwijzing naar het WSP."),
    )


class PlanForm(forms.Form):
    bestand = forms.FileField(
        label=_("Plan van aanpak (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Kies een PDF-bestand."), "empty": _("Het bestand is leeg.")},
    )
    omschrijving = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)


class UitnodigingForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres van de contactpersoon"),
        help_text=_("De contactpersoon krijgt een e-mail met een link om een wachtwoord in te stellen."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in."), "required": _("Vul een e-mailadres in.")},
    )


class OntheffingForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort ontheffing"), choices=OntheffingSoort.choices, widget=forms.RadioSelect)
    bedrag = BedragField(label=_("Verlaagde verplichting"), required=False, help_text=_("Alleen bij een gedeeltelijke ontheffing."))
    besluitdatum = DatumField(label=_("Datum van het besluit"))
    besloten_door = forms.CharField(
        label=_("Besloten door"), max_length=200,
        help_text=_("Naam en functie; alleen de gemeentesecretaris kan ontheffing verlenen."),
    )
    reden = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("soort") == OntheffingSoort.GEDEELTELIJK and data.get("bedrag") is None:
            self.add_error("bedrag", _("Vul de verlaagde verplichting in."))
        if data.get("soort") == OntheffingSoort.VOLLEDIG:
            data["bedrag"] = None
        if data.get("besluitdatum") and data["besluitdatum"] > clock.today():
            self.add_error("besluitdatum", _("De besluitdatum mag niet in de toekomst liggen."))
        return data


class AfrekeningForm(forms.Form):
    besluit = forms.CharField(
        label=_("Besluit"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: sanctie opgelegd volgens het contract, of: verplichting voldaan."),
    )
    correctie_reden = forms.CharField(
        label=_("Reden van de correctie"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Verplicht: de afrekening is al vastgesteld."),
    )
    bevestigd = forms.BooleanField(
        label=_("Ik heb de bedragen gecontroleerd en stel de afrekening vast."),
        error_messages={"required": _("Bevestig dat u de afrekening vaststelt.")},
    )

    def __init__(self, *args, correctie=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.correctie = correctie
        if correctie:
            field = self.fields["correctie_reden"]
            field.required = True
            field.error_messages["required"] = _("Een vastgestelde afrekening wijzigt u alleen met een reden.")
        else:
            del self.fields["correctie_reden"]

    def clean(self):
        data = super().clean()
        if self.correctie and not (data.get("correctie_reden") or "").strip():
            self.add_error("correctie_reden", _("Een vastgestelde afrekening wijzigt u alleen met een reden."))
        return data


STATUS_FILTER_CHOICES = [
    ("", _("Alle statussen")),
    ("achter", _("Achter op schema")),
    ("op_schema", _("Op schema")),
    ("voldaan", _("Voldaan")),
    ("voldaan_via_sebo", _("Voldaan via SEBO")),
    ("vrijgesteld", _("Vrijgesteld")),
    ("niet_van_toepassing", _("Niet van toepassing")),
]


class ContractFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op kenmerk, omschrijving of leverancier"), required=False)
    gemeente = forms.ModelChoiceField(queryset=None, label=_("Gemeente"), required=False, empty_label=_("Alle gemeenten"))
    categorie = forms.ChoiceField(label=_("Categorie"), choices=[("", _("Alle categorieën")), *Categorie.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER_CHOICES, required=False)
    contact = forms.ChoiceField(
        label=_("Contact met leverancier"), required=False,
        choices=[("", _("Alle")), ("nee", _("Nog geen contact")), ("ja", _("Contact opgenomen"))],
    )
    afgerekend = forms.ChoiceField(
        label=_("Afrekening"), required=False,
        choices=[("", _("Alle")), ("nee", _("Nog niet afgerekend")), ("ja", _("Afgerekend"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = gemeenten_for(user).order_by("naam")
