"""Admin of the banenafspraak for the functional administrator.

Person records (``Dienstverband``: someone from the doelgroepregister) are special-category data and
are not in the admin at all: the SR-team keeps them on its own pages, each view logged
(``sroi_portal.admin_privacy``). A delete that would take or is blocked by them is refused.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sroi_portal.admin_privacy import PrivacyAdminMixin

from .models import (
    Arbeidsmarktregio,
    Doel,
    RegionaleDoelstelling,
    Telling,
    Telparameters,
    UwvRegioRij,
    UwvTrendrapportage,
    Werkgever,
)


@admin.register(Telparameters)
class TelparametersAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
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
class WerkgeverAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["naam", "gemeente", "bovenliggende"]
    list_filter = ["gemeente"]
    search_fields = ["naam"]
    inlines = [OnderdeelInline, DoelInline, TellingInline]


class RegionaleDoelstellingInline(admin.TabularInline):
    model = RegionaleDoelstelling
    extra = 0


@admin.register(Arbeidsmarktregio)
class ArbeidsmarktregioAdmin(PrivacyAdminMixin, admin.ModelAdmin):
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
class UwvTrendrapportageAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["bron", "geimporteerd_op", "bestandsnaam"]
    readonly_fields = ["verschillen", "geimporteerd_op", "geimporteerd_door"]
    inlines = [UwvRegioRijInline]
