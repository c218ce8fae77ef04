"""Webhooks in the admin, read-only: which endpoints members run and how their deliveries went."""

from django.contrib import admin

from marketplace.webhooks.models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["user", "url", "is_active", "failure_streak", "disabled_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["user__email", "url"]
    raw_id_fields = ["user"]
    exclude = ["secret"]  # signs deliveries; staff never need to read it
    readonly_fields = ["user", "url", "events", "description", "is_active", "disabled_at", "disabled_reason",
                       "failure_streak", "failing_since", "created_at"]

    def has_add_permission(self, request):
        return False  # made by the owner over the API


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["webhook", "event", "status", "attempts", "response_status", "created_at", "delivered_at"]
    list_filter = ["status", "event"]
    raw_id_fields = ["webhook", "redelivery_of"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
