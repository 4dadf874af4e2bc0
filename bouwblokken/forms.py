"""Forms of the supplier pages: a guided registration form per kind of bouwblok, and evidence upload.

The form only collects and types the input; the rules (which fields a bouwblok needs, the value,
the candidate checks) live in ``bouwblokken.services`` and come back as ``ValidationError``s that
:func:`add_service_errors` puts at the right field.
"""

import re

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Registratie, Soort, Status, Waarderingswijze

CANDIDATE_FIELDS = ("referentie", "initialen", "geboortejaar")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DutchDecimalField(forms.DecimalField):
    """A decimal typed the Dutch way: "1.234,56", "1234,56", "€ 1.234" and "1234.56" all work."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                text = text.replace(".", "")
            value = text
        return super().to_python(value)


def _decimal(label, *, required, help_text="", max_digits=14, decimal_places=2, min_value=0, max_value=None):
    field = DutchDecimalField(
        label=label, required=required, help_text=help_text, max_digits=max_digits, decimal_places=decimal_places,
        min_value=min_value, max_value=max_value, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short", "autocomplete": "off"}),
    )
    return field


class RegistratieForm(forms.Form):
    """The fields one bouwblok needs, labelled for that bouwblok (placement, bonus, invoice, ...).

    Build it with ``RegistratieForm(data, bouwblok=..., contract=..., instance=None)``;
    :meth:`service_values` gives the keyword arguments for ``services.register`` /
    ``update_registration`` / ``preview_value``.
    """

    def __init__(self, *args, bouwblok, contract, instance: Registratie | None = None, **kwargs):
        self.bouwblok = bouwblok
        self.contract = contract
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            # Also when the view passes ``request.POST or None`` (None on a GET): the form opens with
            # the registration's current values, and a disabled field (a bonus's placement) keeps its own.
            kwargs["initial"] = self._initial_from(instance)
        super().__init__(*args, **kwargs)
        self._build_fields()

    # -- field set per kind of bouwblok ------------------------------------------------------------
    def _build_fields(self):
        blok = self.bouwblok
        method = blok.waarderingswijze
        f = self.fields
        if blok.soort == Soort.PLAATSING:
            f["referentie"] = forms.CharField(
                label=_("Referentie van de kandidaat"), max_length=40,
                help_text=_("Een pseudoniem, bijvoorbeeld het kandidaatnummer van het WSP. Nooit een BSN."),
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            f["initialen"] = forms.CharField(
                label=_("Initialen"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "off", "class": "input--short"})
            )
            f["geboortejaar"] = forms.IntegerField(
                label=_("Geboortejaar"), min_value=1900, max_value=2100,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--short", "autocomplete": "off"}),
            )
            f["startdatum"] = forms.DateField(label=_("Startdatum van de plaatsing"), widget=DateInput())
            f["einddatum"] = forms.DateField(
                label=_("Einddatum"), required=False, widget=DateInput(),
                help_text=_("Leeg laten als de plaatsing doorloopt; dan telt die tot het einde van het contract."),
            )
            f["uren_per_week"] = _decimal(
                _("Uren per week"), required=True, max_digits=4, decimal_places=1, max_value=60,
                help_text=_("Een baan van %(uren)s uur of meer telt volledig.") % {"uren": blok.catalogus.norm_uren_per_week.normalize()},
            )
            f["loonkostensubsidie_tot"] = forms.DateField(
                label=_("Loonkostensubsidie tot"), required=False, widget=DateInput(),
                help_text=_("Alleen invullen als de kandidaat loonkostensubsidie heeft; die periode telt dan mee."),
            )
        elif blok.soort == Soort.BONUS:
            f["hoofdregistratie"] = forms.ModelChoiceField(
                label=_("Hoort bij de plaatsing"),
                queryset=self._placements(),
                empty_label=_("Kies de plaatsing"),
                help_text=_("Een bonus hoort altijd bij een plaatsing op dit contract."),
            )
            if method != Waarderingswijze.PER_JAAR:
                f["startdatum"] = forms.DateField(
                    label=_("Datum van het dienstverband") if method == Waarderingswijze.EENMALIG else _("Datum van de kosten"),
                    widget=DateInput(),
                )
            if method == Waarderingswijze.KOSTEN:
                f["bedrag"] = _decimal(_("Gemaakte kosten (€)"), required=True, help_text=_("Bewaar de facturen als bewijs."))
        elif blok.soort == Soort.INKOOP:
            f["startdatum"] = forms.DateField(label=_("Factuurdatum"), widget=DateInput())
            f["bedrag"] = _decimal(_("Factuurbedrag excl. btw (€)"), required=True,
                                   help_text=_("Alleen betaalde facturen tellen mee."))
        elif blok.soort == Soort.ACTIVITEIT:
            f["startdatum"] = forms.DateField(label=_("Datum (eerste dag)"), widget=DateInput())
            f["einddatum"] = forms.DateField(label=_("Laatste dag"), required=False, widget=DateInput())
            f["dagen"] = _decimal(
                _("Aantal dagen"), required=False, max_digits=6, decimal_places=1,
                help_text=_("Elke dag telt voor %(waarde)s. Vul óf het aantal dagen óf de afgesproken waarde in.")
                % {"waarde": _euro(blok.waarde)},
            )
            f["bedrag"] = _decimal(_("Afgesproken waarde (€)"), required=False,
                                   help_text=_("Alleen bij een traject met een met het WSP afgesproken waarde."))
        else:  # project: agreed value
            f["startdatum"] = forms.DateField(label=_("Startdatum"), widget=DateInput())
            f["einddatum"] = forms.DateField(label=_("Einddatum"), required=False, widget=DateInput())
            f["bedrag"] = _decimal(_("Afgesproken waarde (€)"), required=True,
                                   help_text=_("De waarde van het traject zoals afgesproken met het WSP."))
        needs_description = blok.soort in (Soort.INKOOP, Soort.ACTIVITEIT, Soort.PROJECT)
        f["omschrijving"] = forms.CharField(
            label=_("Omschrijving"), max_length=500, required=needs_description,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Bijvoorbeeld de naam van de sociale onderneming en wat er is geleverd.")
            if blok.soort == Soort.INKOOP else "",
        )
        if self.instance is not None:
            stale = _("Deze pagina is niet volledig geladen. Open de registratie opnieuw en probeer het nog eens.")
            f["versie"] = forms.IntegerField(widget=forms.HiddenInput(), error_messages={"required": stale, "invalid": stale})
            if blok.soort == Soort.BONUS:
                f["hoofdregistratie"].disabled = True

    def _placements(self):
        qs = (
            Registratie.objects.filter(contract=self.contract, bouwblok__soort=Soort.PLAATSING)
            .exclude(status=Status.AFGEKEURD)
            .select_related("kandidaat", "bouwblok")
            .order_by("startdatum", "pk")
        )
        if self.bouwblok.hoort_bij:
            qs = qs.filter(bouwblok__code__in=self.bouwblok.hoort_bij)
        return qs

    @staticmethod
    def _initial_from(instance: Registratie) -> dict:
        initial = {name: getattr(instance, name) for name in (
            "startdatum", "einddatum", "uren_per_week", "bedrag", "dagen", "loonkostensubsidie_tot", "omschrijving",
        )}
        initial["hoofdregistratie"] = instance.hoofdregistratie_id
        initial["versie"] = instance.versie
        if instance.kandidaat_id:
            initial.update(
                referentie=instance.kandidaat.referentie,
                initialen=instance.kandidaat.initialen,
                geboortejaar=instance.kandidaat.geboortejaar,
            )
        return initial

    def groups(self):
        """Field groups for the template: (legend, group) pairs, each group rendered by partials/form.html."""
        if self.bouwblok.soort == Soort.PLAATSING:
            others = [name for name in self.fields if name not in CANDIDATE_FIELDS]
            return [(_("Kandidaat"), FieldGroup(self, CANDIDATE_FIELDS)), (_("Plaatsing"), FieldGroup(self, others))]
        return [(None, FieldGroup(self, list(self.fields)))]

    # -- values for the services -----------------------------------------------------------------
    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in ("startdatum", "einddatum", "uren_per_week", "bedrag", "dagen", "loonkostensubsidie_tot")
            if name in self.fields
        }
        values["omschrijving"] = data.get("omschrijving", "")
        if self.bouwblok.soort == Soort.PLAATSING:
            values["kandidaat"] = {name: data[name] for name in CANDIDATE_FIELDS}
        if self.bouwblok.soort == Soort.BONUS:
            if self.instance is None:
                values["hoofdregistratie"] = data["hoofdregistratie"]
            if "startdatum" not in values:
                values["startdatum"] = data["hoofdregistratie"].startdatum
        return values


class FieldGroup:
    """Some visible fields of a form, shaped like a form for ``partials/form.html``."""

    def __init__(self, form, names):
        self.form = form
        self.names = [name for name in names if name in form.fields]

    def visible_fields(self):
        return [self.form[name] for name in self.names if not self.form[name].is_hidden]

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return []


def _euro(value):
    from sroi_portal.templatetags.sroi import euro

    return euro(value)


def add_service_errors(form: forms.Form, error) -> None:
    """Put a service's ``ValidationError`` at the form's fields (``kandidaat.referentie`` → ``referentie``)."""
    if not hasattr(error, "message_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        field = key.split(".", 1)[1] if key.startswith("kandidaat.") else key
        if field in form.fields and not form.fields[field].disabled:
            form.add_error(field, messages)
        else:
            form.add_error(None, messages)


class BewijsForm(forms.Form):
    """An upload says which kind of evidence it is: one the registration's bouwblok needs, or "overig"
    (``selectors.evidence_kinds_for``; the service checks it again)."""

    soort = forms.ChoiceField(
        label=_("Soort bewijsstuk"),
        error_messages={"required": _("Kies wat voor bewijsstuk dit is."),
                        "invalid_choice": _("Kies een van de soorten in de lijst.")},
    )
    bestand = forms.FileField(
        label=_("Bestand"),
        help_text="",
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    omschrijving = forms.CharField(
        label=_("Omschrijving"), max_length=200, required=False,
        help_text=_("Bijvoorbeeld: loonstrook maart 2025, of welke maand de presentielijst beslaat."),
    )

    field_order = ["soort", "bestand", "omschrijving"]

    def __init__(self, *args, kinds=(), missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        missing_codes = {kind.code for kind in missing}
        self.fields["soort"].choices = [("", _("Kies…")), *(
            (kind.code, capfirst(kind.naam) + (str(_(" (nog nodig)")) if kind.code in missing_codes else ""))
            for kind in kinds
        )]
        limit_mb = settings.SROI_EVIDENCE_MAX_BYTES / (1024 * 1024)
        self.fields["bestand"].help_text = _("PDF, PNG of JPEG, hoogstens %(mb)s MB.") % {
            "mb": f"{limit_mb:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        }
