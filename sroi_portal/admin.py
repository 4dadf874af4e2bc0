from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_privacy import PrivacyAdminMixin, ReadOnlyAdminMixin
from .models import User, Verwerking


@admin.register(User)
class UserAdmin(PrivacyAdminMixin, BaseUserAdmin):
    list_display = ["username", "email", "role", "leverancier", "is_active"]
    list_filter = ["role", "is_active", "gemeenten"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Rol"), {"fields": ("role", "gemeenten", "leverancier")}),)
    filter_horizontal = ["gemeenten", "groups", "user_permissions"]
    actions = ["reset_two_step_verification", "lift_login_lockout"]

    @admin.action(description=_("Tweestapsverificatie resetten (telefoon kwijt)"), permissions=["change"])
    def reset_two_step_verification(self, request, queryset):
        """Delete the selected users' authenticator apps and backup codes. Staff enrol again at their
        next login; suppliers and council members log in with their password until they switch it on.
        Each reset is written to the admin's change history (who, when, which user)."""
        from sroi_portal.accounts import mfa

        count = 0
        for user in queryset:
            if mfa.remove_devices(user):
                self.log_change(request, user, [{"changed": {"fields": [str(_("Tweestapsverificatie gereset"))]}}])
                count += 1
        self.message_user(request, ngettext(
            "Tweestapsverificatie gereset voor %(count)d gebruiker. Bij de volgende keer inloggen stelt deze opnieuw een app in.",
            "Tweestapsverificatie gereset voor %(count)d gebruikers. Bij de volgende keer inloggen stellen zij opnieuw een app in.",
            count,
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Inlogblokkade opheffen (te vaak een verkeerd wachtwoord)"), permissions=["change"])
    def lift_login_lockout(self, request, queryset):
        """Remove the failed-login records (django-axes) of the selected users' e-mail addresses."""
        from axes.utils import reset

        removed = 0
        for user in queryset:
            for identifier in {(user.email or "").lower(), user.username.lower()} - {""}:
                removed += reset(username=identifier) or 0
            self.log_change(request, user, [{"changed": {"fields": [str(_("Inlogblokkade opgeheven"))]}}])
        self.message_user(request, ngettext(
            "Inlogblokkade opgeheven: %(count)d geblokkeerde combinatie verwijderd.",
            "Inlogblokkade opgeheven: %(count)d geblokkeerde combinaties verwijderd.",
            removed,
        ) % {"count": removed}, messages.SUCCESS)


@admin.register(Verwerking)
class VerwerkingAdmin(PrivacyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The processing log, read-only: rows are written only by ``sroi_portal.processing_log``."""

    list_display = ["tijdstip", "actor_label", "actor_rol", "activiteit", "object_type", "object_id", "betrokkene"]
    list_filter = ["activiteit", "actor_rol", "object_type", ("tijdstip", admin.DateFieldListFilter)]
    search_fields = ["=betrokkene", "actor_label", "=trace_id", "=object_id"]
    date_hierarchy = "tijdstip"
    list_select_related = False
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

