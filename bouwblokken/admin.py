from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from contracts.services import closed_message, is_closed

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

    # A settled contract is closed on every way in (contracts.services.ensure_open): its
    # registrations are view-only here and cannot be deleted, one by one or in bulk.
    def has_change_permission(self, request, obj=None):
        return not (obj is not None and is_closed(obj.contract)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and is_closed(obj.contract)) and super().has_delete_permission(request, obj)

    @staticmethod
    def _refuse_if_closed(contracts):
        for contract in contracts:
            if is_closed(contract):
                raise PermissionDenied(closed_message())

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            self._refuse_if_closed([obj.contract])
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._refuse_if_closed([obj.contract])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._refuse_if_closed({registratie.contract for registratie in queryset.select_related("contract")})
            super().delete_queryset(request, queryset)
