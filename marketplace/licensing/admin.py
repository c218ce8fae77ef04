"""Staff maintain the standard licences and decide content-ID claims; receipts are read-only records."""

from django.contrib import admin, messages

from marketplace.licensing import services
from marketplace.licensing.models import ContentIdClaim, Licence, Receipt


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "personal", "online_monetised", "advertising", "client_work", "sync",
                    "broadcast", "resale", "attribution_required", "territory", "term"]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # tracks and receipts point at licences; retire one by editing it


@admin.register(ContentIdClaim)
class ContentIdClaimAdmin(admin.ModelAdmin):
    list_display = ["track", "reporter", "video_url", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["track", "reporter"]
    readonly_fields = ["track", "reporter", "video_url", "note", "created_at", "status"]
    actions = ["uphold", "dismiss"]

    @admin.action(description="Uphold: the track loses its YouTube-safe badge")
    def uphold(self, request, queryset):
        for claim in queryset:
            services.decide_claim(claim, upheld=True)
        self.message_user(request, "Claims upheld.", messages.SUCCESS)

    @admin.action(description="Dismiss the selected claims")
    def dismiss(self, request, queryset):
        for claim in queryset:
            services.decide_claim(claim, upheld=False)
        self.message_user(request, "Claims dismissed.", messages.SUCCESS)


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["order_id", "buyer", "track_title", "amount", "currency", "purchased_at"]
    search_fields = ["order_id", "buyer__email"]
    list_select_related = ["buyer"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
