from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone

from accounts.authentication import forget_keys, forget_keys_of
from accounts.models import Agent, ApiKey, Follow, HandleRedirect, User
from aimusicstore import audit


@admin.register(User)
class UserAdmin(audit.ReasonedChangeMixin, AuditlogHistoryAdminMixin, BaseUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "handle", "display_name", "role", "tier", "reputation", "is_active", "date_joined"]
    list_filter = ["role", "tier", "is_active", "is_staff"]
    search_fields = ["email", "handle", "display_name"]
    actions = ["deactivate", "reactivate"]
    action_form = audit.ReasonActionForm
    show_auditlog_history_link = True
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["handle", "display_name", "bio", "links", "avatar"]}),
        ("Marketplace", {"fields": ["role", "tier", "reputation"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2", "role", "tier"]})]
    readonly_fields = ["reputation"]

    @admin.action(description="Deactivate selected users (they can no longer log in or use keys)")
    def deactivate(self, request, queryset):
        users = queryset.exclude(pk=request.user.pk)
        forget_keys_of(list(users.values_list("pk", flat=True)))
        count = self._set_active(request, users, False, "deactivate")
        self.message_user(request, f"Deactivated {count} users.", messages.SUCCESS)

    @admin.action(description="Reactivate selected users")
    def reactivate(self, request, queryset):
        forget_keys_of(list(queryset.values_list("pk", flat=True)))
        count = self._set_active(request, queryset, True, "reactivate")
        self.message_user(request, f"Reactivated {count} users.", messages.SUCCESS)

    @staticmethod
    def _set_active(request, users, active, action):
        users = list(users)
        for user in users:
            with audit.staff_action(request, user, action, ["is_active"], audit.action_reason(request)):
                User.objects.filter(pk=user.pk).update(is_active=active)
        return len(users)


@admin.register(ApiKey)
class ApiKeyAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "tier", "created_at", "last_used", "expires_at", "revoked_at"]
    list_filter = ["tier", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    action_form = audit.ReasonActionForm
    show_auditlog_history_link = True

    def has_add_permission(self, request):
        return False  # keys are issued to users, who see the raw key once

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        forget_keys([key.key_hash for key in keys])
        now = timezone.now()
        for key in keys:
            with audit.staff_action(request, key, "revoke key", ["revoked_at"], audit.action_reason(request)):
                ApiKey.objects.filter(pk=key.pk).update(revoked_at=now)
        count = len(keys)
        self.message_user(request, f"Revoked {count} keys.", messages.SUCCESS)


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "user", "created_at"]
    search_fields = ["name", "owner__email", "user__email"]
    autocomplete_fields = ["owner", "user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["follower", "creator", "created_at"]
    search_fields = ["follower__email", "creator__email"]
    autocomplete_fields = ["follower", "creator"]


@admin.register(HandleRedirect)
class HandleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_handle", "user", "created_at"]
    search_fields = ["old_handle", "user__handle"]
    autocomplete_fields = ["user"]


from accounts import audit_admin  # noqa: E402,F401  (the audit log's own admin page)
