"""The privacy rules of the back office (Django admin), shared by every ModelAdmin of the portal.

- :class:`PrivacyAdminMixin` (every portal ModelAdmin):
  - ``hidden``: a ``Q`` of the rows that the admin never shows (special-category data: registrations
    of a ``gevoelig`` bouwblok and what hangs off them). They are left out of ``get_queryset``, which
    the list, the search, the filters' counts, autocomplete and raw-id pop-ups all use; their change,
    delete and history pages (Django's and simple-history's, each version included) are a 404, also
    for a superuser.
  - ``logged_activity``: the change and history pages of personal data write a row to the processing
    log (``sroi_portal.processing_log.log_views`` with ``personal=True``), as the portal's pages do.
  - a delete that would take or is blocked by personal data or a decision (registrations,
    candidates, evidence, assessments, exemptions, settlements, banenafspraak person records,
    follow-ups: :data:`PROTECTED_MODELS`) is refused and lists none of it: the confirmation page would
    otherwise name them (``get_deleted_objects``).
- :class:`NoDeleteMixin`: no delete at all, one by one or with the "delete selected" action
  (registrations and decisions).

Person records of the banenafspraak (``Dienstverband``) are all special-category: the admin does
not register them (banenafspraak/admin.py).
"""

from django.contrib.admin.utils import NestedObjects, unquote
from django.core.exceptions import PermissionDenied
from django.db import router
from django.http import Http404
from django.utils.translation import gettext_lazy as _

#: Models whose rows are (about) a person, or a decision: never listed on, taken by or blocking an
#: admin delete of something else.
PROTECTED_MODELS = frozenset({
    "bouwblokken.registratie", "bouwblokken.kandidaat", "bouwblokken.bewijsstuk", "bouwblokken.beoordeling",
    "bouwblokken.signaal", "bouwblokken.registratiejaar", "banenafspraak.dienstverband", "reporting.vervolg",
    "contracts.ontheffing", "contracts.afrekening",
})
ADMIN_ACTIVITY = "beheer-inzien"


class PrivacyAdminMixin:
    hidden = None  # a Q of rows never shown in the admin, or None
    logged_activity = None  # a processing-log activity for views of a change or history page
    revert_allowed = True  # may a version from simple-history's history be restored (with change permission)

    # --- what is shown ---------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.exclude(self.hidden) if self.hidden is not None else queryset

    def _visible(self, request, object_id):
        """The object when the admin may show it at all; else 404 (not the admin's usual redirect)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Dit gegeven bestaat niet of is niet zichtbaar in het beheer."))
        return obj

    def _log(self, request, obj):
        if self.logged_activity and obj is not None:
            from sroi_portal import processing_log

            processing_log.log_views(request, self.logged_activity, [obj], personal=True)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(request, self._visible(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log(request, self._visible(request, object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's page of one version (only routed for a SimpleHistoryAdmin). Posting it
        reverts the object; simple-history does not ask for the change permission, so this does
        (and ``revert_allowed = False`` refuses it outright: registrations change only in the portal)."""
        obj = self._visible(request, object_id)
        if request.method == "POST" and not (self.revert_allowed and self.has_change_permission(request, obj)):
            raise PermissionDenied
        self._log(request, obj)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- deleting --------------------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        if objs and self._touches_personal_data(objs):
            label = str(_("registraties, kandidaten, besluiten of andere persoonsgegevens (niet in het beheer)"))
            return [], {}, {label}, []
        return super().get_deleted_objects(objs, request)

    def _touches_personal_data(self, objs) -> bool:
        own = self.model._meta.label_lower
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        reached = {model._meta.label_lower for model, instances in collector.data.items() if instances}
        reached |= {obj._meta.label_lower for obj in collector.protected}
        return bool((reached - {own}) & PROTECTED_MODELS)


class NoDeleteMixin:
    """Nothing of this model is deleted in the admin: no delete page, no "delete selected" action."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdminMixin(NoDeleteMixin):
    """Shown, never added, changed or deleted in the admin (written only by the portal's services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
