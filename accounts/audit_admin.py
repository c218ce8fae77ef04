"""The audit log as staff read it: every staff action and admin edit, filterable by action,
resource type and actor, with the action's name and reason beside the change."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin


class ActorFilter(admin.SimpleListFilter):
    title = "staff member"
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        from accounts.models import User

        return [(u.pk, u.email) for u in User.objects.filter(is_staff=True).order_by("email")[:50]]

    def queryset(self, request, queryset):
        return queryset.filter(actor_id=self.value()) if self.value() else queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(LogEntryAdmin):
    list_display = ["created", "resource_url", "action", "staff_action", "reason", "msg_short", "user_url"]
    list_filter = [*LogEntryAdmin.list_filter, ActorFilter]
    search_fields = [*LogEntryAdmin.search_fields, "additional_data"]

    @admin.display(description="staff action")
    def staff_action(self, obj):
        return (obj.additional_data or {}).get("action", "")

    @admin.display(description="reason")
    def reason(self, obj):
        return (obj.additional_data or {}).get("reason", "")
