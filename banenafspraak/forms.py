"""Forms of the banenafspraak pages. Numbers are entered in Dutch notation (``27,4``)."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import Gemeente
from sroi_portal import clock

from .models import Bron, Inleenvorm, Soort


def _jobs_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=10, decimal_places=2, min_value=Decimal("0"), localize=True,
                              **kwargs)


def _year_field(label=_("Jaar")):
    return forms.IntegerField(label=label, min_value=2000, max_value=2100, initial=clock.today().year)


class DateInput(forms.DateInput):
    input_type = "date"


class WerkgeverForm(forms.Form):
    naam = forms.CharField(label=_("Naam"), max_length=200)
    gemeente = forms.ModelChoiceField(label=_("Gemeente"), queryset=Gemeente.objects.none(), to_field_name="code")

    def __init__(self, *args, gemeenten=None, **kwargs):
        super().__init__(*args, **kwargs)
        if gemeenten is None:
            del self.fields["gemeente"]
        else:
            self.fields["gemeente"].queryset = gemeenten


class DoelForm(forms.Form):
    jaar = _year_field()
    banen = _jobs_field(_("Doel (banen van 25,5 uur per week)"))
    verloonde_uren = forms.DecimalField(
        label=_("Alle verloonde uren van de werkgever in dat jaar"), required=False, max_digits=14, decimal_places=2,
        min_value=Decimal("0"), localize=True,
        help_text=_("Optioneel; bepaalt of de (indicatieve) quotumheffing geldt."),
    )
    toelichting = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class TellingForm(forms.Form):
    jaar = _year_field()
    kwartaal = forms.TypedChoiceField(
        label=_("Periode"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Heel jaar")), (1, _("1e kwartaal")), (2, _("2e kwartaal")), (3, _("3e kwartaal")),
                 (4, _("4e kwartaal"))],
    )
    banen_dienstverband = _jobs_field(_("Banen in dienstverband"), required=False)
    verloonde_uren_dienstverband = forms.DecimalField(
        label=_("of: verloonde uren in dienstverband in deze periode"), required=False, max_digits=14,
        decimal_places=2, min_value=Decimal("0"), localize=True,
        help_text=_("De banen worden dan berekend: uren / 1.326 per jaar."),
    )
    banen_inleen = _jobs_field(_("Banen via inleen (detachering, payroll, uitzend)"), required=False)
    verloonde_uren_inleen = forms.DecimalField(
        label=_("of: verloonde uren via inleen in deze periode"), required=False, max_digits=14, decimal_places=2,
        min_value=Decimal("0"), localize=True,
    )
    bron = forms.ChoiceField(label=_("Bron"), choices=Bron.choices)
    toelichting = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class DienstverbandForm(forms.Form):
    referentie = forms.CharField(
        label=_("Referentie"), max_length=40, help_text=_("Pseudoniem, bijvoorbeeld een personeelsnummer. Nooit een BSN.")
    )
    initialen = forms.CharField(label=_("Initialen"), max_length=10)
    geboortejaar = forms.IntegerField(label=_("Geboortejaar"), min_value=1900, max_value=2100)
    soort = forms.ChoiceField(label=_("Soort"), choices=Soort.choices)
    inleenvorm = forms.ChoiceField(label=_("Vorm van inleen"), choices=[("", "—"), *Inleenvorm.choices], required=False)
    startdatum = forms.DateField(label=_("Startdatum"), widget=DateInput)
    einddatum = forms.DateField(label=_("Einddatum"), widget=DateInput, required=False,
                                help_text=_("Leeg zolang de baan doorloopt."))
    uren_per_week = forms.DecimalField(label=_("Verloonde uren per week"), max_digits=5, decimal_places=2,
                                       min_value=Decimal("0.01"), max_value=Decimal("60"), localize=True)


class UwvImportForm(forms.Form):
    bestand = forms.FileField(label=_("CSV-bestand"))
    bron = forms.CharField(label=_("Bron (titel en datum van de publicatie)"), max_length=300)
    nulmeting_peildatum = forms.DateField(label=_("Peildatum nulmeting"), initial=date(2013, 1, 1), widget=DateInput)


class DoelstellingenImportForm(forms.Form):
    bestand = forms.FileField(label=_("CSV-bestand"))
    bron = forms.CharField(label=_("Bron"), max_length=300, required=False)
