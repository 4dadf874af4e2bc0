from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "leverancier", "is_active"]
    list_filter = ["role", "is_active", "gemeenten"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Rol"), {"fields": ("role", "gemeenten", "leverancier")}),)
    filter_horizontal = ["gemeenten", "groups", "user_permissions"]
