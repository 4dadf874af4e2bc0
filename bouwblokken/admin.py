from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bouwblok, Catalogus, Registratie


class BouwblokInline(admin.TabularInline):
    model = Bouwblok
    extra = 0
    fields = ["volgorde", "code", "naam", "soort", "waarderingswijze", "waarde", "max_maanden", "min_uren_per_week",
              "factuur_aandeel", "combineerbaar_met_banenafspraak", "gevoelig"]


@admin.register(Catalogus)
class CatalogusAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "regio", "geldig_vanaf", "norm_uren_per_week"]
    list_filter = ["regio"]
    inlines = [BouwblokInline]


@admin.register(Bouwblok)
class BouwblokAdmin(SimpleHistoryAdmin):
    list_display = ["code", "naam", "catalogus", "waarderingswijze", "waarde", "max_maanden"]
    list_filter = ["catalogus", "waarderingswijze", "soort"]


@admin.register(Registratie)
class RegistratieAdmin(SimpleHistoryAdmin):
    """Read-only overview for the functional administrator; changes go through the portal's workflow."""

    list_display = ["id", "contract", "bouwblok", "status", "waarde", "startdatum"]
    list_filter = ["status", "bouwblok__code"]
    list_select_related = ["contract", "bouwblok__catalogus"]
    readonly_fields = [f.name for f in Registratie._meta.fields]

    def has_add_permission(self, request):
        return False
