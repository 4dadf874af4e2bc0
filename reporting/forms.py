"""Forms of the reporting pages (Dutch labels; the services validate the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.calculation import STATUSES
from contracts.models import STATUS_LABELS
from sroi_portal import clock

from .models import VerhaalStatus

YES_NO_UNKNOWN = [("ja", _("Ja")), ("nee", _("Nee")), ("onbekend", _("Nog niet bekend"))]


def as_bool(value):
    return {"ja": True, "nee": False}.get(value)


def from_bool(value):
    return {True: "ja", False: "nee"}.get(value, "onbekend")


def year_choices(first=2019):
    this_year = clock.today().year
    return [(y, str(y)) for y in range(this_year, first - 1, -1)]


class CouncilChoiceForm(forms.Form):
    gemeente = forms.ChoiceField(label=_("Gemeente"))
    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int)

    def __init__(self, *args, gemeenten, jaren, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(g.code, g.naam) for g in gemeenten]
        self.fields["jaar"].choices = [(y, str(y)) for y in jaren]


class VervolgForm(forms.Form):
    vast_contract = forms.ChoiceField(
        label=_("Heeft de persoon een vast contract gekregen?"), choices=YES_NO_UNKNOWN, widget=forms.RadioSelect,
    )
    in_dienst_na_12_maanden = forms.ChoiceField(
        label=_("Is de persoon 12 maanden na de start nog bij u in dienst?"), choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
    )


class VerhaalForm(forms.Form):
    contract = forms.ModelChoiceField(
        label=_("Contract"), queryset=None, required=False, empty_label=_("Kies een contract"),
        help_text=_("Het contract waarbij de persoon aan het werk kwam."),
    )
    gemeente = forms.ModelChoiceField(label=_("Gemeente"), queryset=None, required=False,
                                      empty_label=_("Kies een gemeente"))
    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int, help_text=_("Het jaar waarover het verhaal gaat."))
    titel = forms.CharField(label=_("Titel"), max_length=120)
    tekst = forms.CharField(
        label=_("Verhaal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Vertel wat social return voor deze persoon betekende. Noem geen namen, geen woonplaats en geen "
                    "gegevens waaraan iemand te herkennen is, en niets over gezondheid. Het SR-team controleert het "
                    "verhaal voordat het in de raadsrapportage komt."),
    )
    toestemming = forms.BooleanField(
        label=_("De persoon heeft toestemming gegeven om dit verhaal (zonder naam) te delen met de gemeenteraad."),
        required=False,
    )
    toestemming_op = forms.DateField(
        label=_("Datum van de toestemming"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, contracts=None, gemeenten=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = year_choices()
        if contracts is not None:
            self.fields["contract"].queryset = contracts
            self.fields["contract"].required = True
            del self.fields["gemeente"]
        else:
            self.fields["gemeente"].queryset = gemeenten
            self.fields["gemeente"].required = True
            del self.fields["contract"]


class VerhaalBeoordelingForm(forms.Form):
    besluit = forms.ChoiceField(
        label=_("Besluit"), widget=forms.RadioSelect,
        choices=[(VerhaalStatus.GOEDGEKEURD, _("Goedkeuren: anoniem en met toestemming")),
                 (VerhaalStatus.AFGEWEZEN, _("Afwijzen"))],
    )
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij afwijzen; de indiener ziet de toelichting."),
    )


class TeambudgetForm(forms.Form):
    gemeente = forms.ModelChoiceField(label=_("Gemeente"), queryset=None, empty_label=_("Kies een gemeente"))
    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int)
    bedrag = forms.DecimalField(label=_("Budget (euro)"), max_digits=14, decimal_places=2, min_value=0,
                                localize=True)
    toelichting = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def __init__(self, *args, gemeenten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = gemeenten
        this_year = clock.today().year
        self.fields["jaar"].choices = [(y, str(y)) for y in range(this_year + 1, 2018, -1)]
        self.fields["jaar"].initial = this_year


class ExportFilterForm(forms.Form):
    gemeente = forms.ModelChoiceField(label=_("Gemeente"), queryset=None, required=False, to_field_name="code",
                                      empty_label=_("Alle gemeenten"))
    leverancier = forms.CharField(label=_("KvK-nummer leverancier"), required=False, max_length=8)
    status = forms.ChoiceField(label=_("Status"), required=False)
    jaar = forms.TypedChoiceField(
        label=_("Jaar"), coerce=int, required=False, empty_value=None,
        help_text=_("Met een jaar: de contracten die in dat jaar liepen, met de realisatie tot en met dat jaar."),
    )

    def __init__(self, *args, gemeenten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = gemeenten
        self.fields["status"].choices = [("", _("Alle statussen"))] + [(s, STATUS_LABELS[s]) for s in STATUSES]
        self.fields["jaar"].choices = [("", _("Huidige stand"))] + year_choices()
