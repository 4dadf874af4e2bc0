from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from contracts.services import closed_message, is_closed
from sroi_portal.admin_privacy import ADMIN_ACTIVITY, NoDeleteMixin, PrivacyAdminMixin

from .models import Bouwblok, Catalogus, Registratie

#: Special-category registrations (a ``gevoelig`` bouwblok, or a bonus on a placement with one):
#: never shown in the admin, not even to a superuser (only the supplier and the SR-team see them).
SPECIAL_CATEGORY = Q(bouwblok__gevoelig=True) | Q(hoofdregistratie__bouwblok__gevoelig=True)


def gevoelig_is_fixed(bouwblok=None, catalogus=None) -> bool:
    """``gevoelig`` cannot be changed in place once set, or once the catalogue version is in use
    (a new catalogue version carries such a change; the model refuses switching it off)."""
    if bouwblok is not None and bouwblok.pk and bouwblok.gevoelig:
        return True
    catalogus = catalogus if catalogus is not None else getattr(bouwblok, "catalogus", None)
    return catalogus is not None and catalogus.pk is not None and catalogus.is_in_use()


class BouwblokInline(admin.TabularInline):
    model = Bouwblok
    extra = 0
    fields = ["volgorde", "code", "naam", "soort", "waarderingswijze", "waarde", "max_maanden", "min_uren_per_week",
              "factuur_aandeel", "combineerbaar_met_banenafspraak", "gevoelig"]

    def get_readonly_fields(self, request, obj=None):  # obj: the catalogue version
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["gevoelig"] if gevoelig_is_fixed(catalogus=obj) else fields


@admin.register(Catalogus)
class CatalogusAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["naam", "regio", "geldig_vanaf", "norm_uren_per_week"]
    list_filter = ["regio"]
    inlines = [BouwblokInline]


@admin.register(Bouwblok)
class BouwblokAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "naam", "catalogus", "waarderingswijze", "waarde", "max_maanden"]
    list_filter = ["catalogus", "waarderingswijze", "soort"]
    # Which evidence the bouwblok needs (SROI-RULES.md §3 step 6): data of the catalogue version.
    filter_horizontal = ["vereist_bewijs"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["gevoelig"] if obj is not None and gevoelig_is_fixed(bouwblok=obj) else fields


@admin.register(Registratie)
class RegistratieAdmin(PrivacyAdminMixin, NoDeleteMixin, SimpleHistoryAdmin):
    """Read-only overview for the functional administrator; changes go through the portal's workflow.

    Special-category registrations are not in it at all (``SPECIAL_CATEGORY``); nothing is deleted
    here; each change or history page is written to the processing log."""

    hidden = SPECIAL_CATEGORY
    logged_activity = ADMIN_ACTIVITY
    revert_allowed = False  # an old version is not restored here: decisions go through the portal

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
