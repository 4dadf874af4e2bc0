"""Admin for the functional administrator: budgets, stories, follow-ups, reminders sent, reports,
the outbox (work waiting for Redis) and the recompute runs.

The stored figures are a cache (read-only here); they are recomputed by the tasks.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from sroi_portal.admin_privacy import ADMIN_ACTIVITY, PrivacyAdminMixin, ReadOnlyAdminMixin

from .models import (
    ContractCijfers, Herberekening, Herinnering, OpenDataVersie, Raadsrapportage, Teambudget, UitgesteldeTaak, Verhaal,
    Vervolg,
)


@admin.register(Teambudget)
class TeambudgetAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["gemeente", "jaar", "bedrag", "vastgelegd_op"]
    list_filter = ["gemeente", "jaar"]


@admin.register(Verhaal)
class VerhaalAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    list_display = ["titel", "gemeente", "jaar", "status", "ingediend_op"]
    list_filter = ["status", "gemeente", "jaar"]
    readonly_fields = ["ingediend_door", "ingediend_op", "beoordeeld_door", "beoordeeld_op"]


@admin.register(Vervolg)
class VervolgAdmin(PrivacyAdminMixin, SimpleHistoryAdmin):
    """Follow-ups of placements (about a person): none of a special-category placement, each view logged."""

    list_display = ["registratie", "vast_contract", "in_dienst_na_12_maanden", "vastgelegd_op"]
    raw_id_fields = ["registratie"]
    hidden = Q(registratie__bouwblok__gevoelig=True) | Q(registratie__hoofdregistratie__bouwblok__gevoelig=True)
    logged_activity = ADMIN_ACTIVITY

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "registratie":  # no follow-up can be added to a registration the admin does not show
            kwargs["queryset"] = db_field.related_model._default_manager.exclude(
                Q(bouwblok__gevoelig=True) | Q(hoofdregistratie__bouwblok__gevoelig=True))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Herinnering)
class HerinneringAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["soort", "ontvanger", "aanleiding", "verstuurd_op"]
    list_filter = ["soort"]
    search_fields = ["ontvanger", "aanleiding"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Raadsrapportage)
class RaadsrapportageAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["gemeente", "jaar", "status", "aangevraagd_op", "gegevensversie"]
    list_filter = ["status", "gemeente", "jaar"]
    readonly_fields = [f.name for f in Raadsrapportage._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ContractCijfers)
class ContractCijfersAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["contract", "gemeente", "verplichting", "goedgekeurd", "status", "berekend_op"]
    list_filter = ["status", "gemeente"]
    readonly_fields = [f.name for f in ContractCijfers._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UitgesteldeTaak)
class UitgesteldeTaakAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    """Work kept while Redis was down; the action sends it on now (as ``manage.py flush_outbox``)."""

    list_display = ["soort", "doel", "aangemaakt_op", "pogingen", "laatste_poging_op", "laatste_fout"]
    list_filter = ["soort"]
    readonly_fields = [f.name for f in UitgesteldeTaak._meta.fields]
    actions = ["send_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Alle uitgestelde taken nu versturen"))
    def send_on(self, request, queryset):
        from .outbox import flush

        result = flush()
        level = messages.SUCCESS if not result["over"] else messages.WARNING
        self.message_user(request, _("%(sent)s verstuurd, %(left)s wachten nog.") % {
            "sent": result["verstuurd"], "left": result["over"]}, level)


@admin.register(Herberekening)
class HerberekeningAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ["gestart_op", "status", "pogingen", "batches", "contracten", "gewijzigd", "klaar_op"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Herberekening._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OpenDataVersie)
class OpenDataVersieAdmin(PrivacyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Published open data is read-only everywhere: a version never changes and is never deleted; a
    correction is published from /rapportage/open-data/{code}/{jaar}/ or ``manage.py publiceer_open_data``."""

    list_display = ["gemeente", "jaar", "versie", "gepubliceerd_op", "gepubliceerd_door", "toelichting"]
    list_filter = ["gemeente", "jaar"]
    fields = ["gemeente", "jaar", "versie", "gepubliceerd_op", "gepubliceerd_door", "toelichting", "csv_sha256",
              "json_sha256"]
    readonly_fields = fields

