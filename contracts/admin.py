from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sroi_portal.admin_privacy import NoDeleteMixin, PrivacyAdminMixin, ReadOnlyAdminMixin

from .models import Afrekening, Beleid, Contract, ContractWijziging, Gemeente, Leverancier, Ontheffing, Regio
from .services import is_closed


class ClosedContractAdminMixin:
    """A settled contract is closed on every way in (``contracts.services.ensure_open``): the admin
    shows its objects read-only and cannot delete them. ``closed_contract(obj)`` names the contract."""

    @staticmethod
    def closed_contract(obj):
        return obj.contract

    def _closed(self, obj):
        return obj is not None and is_closed(self.closed_contract(obj))

    def has_change_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_delete_permission(request, obj)


class GemeenteInline(admin.TabularInline):
    model = Gemeente
    extra = 0


@admin.register(Regio)
class RegioAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["naam", "code"]
    inlines = [GemeenteInline]


class BeleidInline(admin.StackedInline):
    model = Beleid
    extra = 0


@admin.register(Gemeente)
class GemeenteAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["naam", "code", "regio"]
    list_filter = ["regio"]
    search_fields = ["naam", "code"]
    inlines = [BeleidInline]


@admin.register(Beleid)
class BeleidAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["gemeente", "geldig_vanaf", "hoog_percentage", "laag_percentage", "loonsom_drempel", "sanctie_factor"]
    list_filter = ["gemeente"]


@admin.register(Leverancier)
class LeverancierAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["naam", "kvk_nummer"]
    search_fields = ["naam", "kvk_nummer"]


class WijzigingInline(admin.TabularInline):
    model = ContractWijziging
    extra = 0
    readonly_fields = ["soort", "datum", "bedrag", "loonsom_bedrag", "nieuwe_einddatum", "toelichting", "geregistreerd_door"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # value changes go through the portal (contracts.services.record_value_change)


@admin.register(Contract)
class ContractAdmin(PrivacyAdminMixin, ClosedContractAdminMixin, SimpleHistoryAdmin):
    """Read-mostly: contracts are entered and changed through the portal so the obligation follows."""

    list_display = ["kenmerk", "omschrijving", "gemeente", "leverancier", "gunningsdatum", "verplichting_bedrag"]
    list_filter = ["gemeente", "categorie", "procedure"]
    search_fields = ["kenmerk", "omschrijving", "leverancier__naam", "leverancier__kvk_nummer"]
    list_select_related = ["gemeente", "leverancier"]
    readonly_fields = [f.name for f in Contract._meta.fields]
    inlines = [WijzigingInline]

    @staticmethod
    def closed_contract(obj):
        return obj

    def has_add_permission(self, request):
        return False


@admin.register(Ontheffing)
class OntheffingAdmin(PrivacyAdminMixin, NoDeleteMixin, ClosedContractAdminMixin, SimpleHistoryAdmin):
    """A decision: never deleted here (``NoDeleteMixin``)."""

    list_display = ["contract", "soort", "bedrag", "besluitdatum", "besloten_door"]
    readonly_fields = ["contract", "soort", "bedrag", "besluitdatum", "besloten_door", "reden", "geregistreerd_door"]

    def has_add_permission(self, request):
        return False  # exemptions go through the portal (contracts.services.record_exemption)


# Recorded and corrected (with a reason) only through the portal (contracts.services.settle_contract);
# deleting it here would reopen a closed contract without a reason.
@admin.register(Afrekening)
class AfrekeningAdmin(PrivacyAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["contract", "datum", "verplichting", "gerealiseerd", "tekort", "sanctie"]
    readonly_fields = [f.name for f in Afrekening._meta.fields]
