"""Held postbacks in the admin: staff release (record the sale) or reject them."""

from django.contrib import admin, messages

from marketplace.purchases.models import HeldSale
from marketplace.purchases.postbacks import decide_held_sale


@admin.register(HeldSale)
class HeldSaleAdmin(admin.ModelAdmin):
    list_display = ["order_id", "track", "amount", "currency", "status", "reason", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["order_id", "click", "track", "amount", "currency", "reason", "status", "created_at",
                       "decided_at", "decided_by"]
    actions = ["release", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Release: record as a sale and credit the creator")
    def release(self, request, queryset):
        done = sum(decide_held_sale(held, release=True, staff=request.user) is not None for held in queryset)
        self.message_user(request, f"{done} held sale(s) recorded.", messages.SUCCESS)

    @admin.action(description="Reject: never credit")
    def reject(self, request, queryset):
        for held in queryset:
            decide_held_sale(held, release=False, staff=request.user)
        self.message_user(request, "Rejected.", messages.SUCCESS)
