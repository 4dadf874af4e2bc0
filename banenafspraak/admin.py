from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Arbeidsmarktregio,
    Dienstverband,
    Doel,
    RegionaleDoelstelling,
    Telling,
    Telparameters,
    UwvRegioRij,
    UwvTrendrapportage,
    Werkgever,
)


@admin.register(Telparameters)
class TelparametersAdmin(SimpleHistoryAdmin):
    list_display = ["geldig_vanaf", "uren_per_baan", "uren_per_jaar", "heffing_per_baan", "heffing_drempel_uren"]


class OnderdeelInline(admin.TabularInline):
    model = Werkgever
    fk_name = "bovenliggende"
    fields = ["naam"]
    extra = 0


class DoelInline(admin.TabularInline):
    model = Doel
    extra = 0


class TellingInline(admin.TabularInline):
    model = Telling
    extra = 0
    exclude = ["geregistreerd_door"]


@admin.register(Werkgever)
class WerkgeverAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "gemeente", "bovenliggende"]
    list_filter = ["gemeente"]
    search_fields = ["naam"]
    inlines = [OnderdeelInline, DoelInline, TellingInline]


@admin.register(Dienstverband)
class DienstverbandAdmin(SimpleHistoryAdmin):
    list_display = ["referentie", "werkgever", "soort", "startdatum", "einddatum", "uren_per_week"]
    list_filter = ["soort", "werkgever__gemeente"]
    search_fields = ["referentie"]
    exclude = ["aangemaakt_door"]


class RegionaleDoelstellingInline(admin.TabularInline):
    model = RegionaleDoelstelling
    extra = 0


@admin.register(Arbeidsmarktregio)
class ArbeidsmarktregioAdmin(admin.ModelAdmin):
    list_display = ["naam"]
    search_fields = ["naam"]
    filter_horizontal = ["gemeenten"]
    inlines = [RegionaleDoelstellingInline]


class UwvRegioRijInline(admin.TabularInline):
    model = UwvRegioRij
    extra = 0
    fields = ["volgorde", "label", "arbeidsmarktregio", "nulmeting", "voortgang_gepubliceerd"]
    readonly_fields = fields
    can_delete = False


@admin.register(UwvTrendrapportage)
class UwvTrendrapportageAdmin(admin.ModelAdmin):
    list_display = ["bron", "geimporteerd_op", "bestandsnaam"]
    readonly_fields = ["verschillen", "geimporteerd_op", "geimporteerd_door"]
    inlines = [UwvRegioRijInline]
