from django.contrib import admin, messages

from .models import (
    Favourite,
    FeaturedPlacement,
    LedgerEntry,
    Payout,
    Platform,
    PlayEvent,
    PurchaseClick,
    Sale,
    Tool,
    Track,
    TrackDailyStats,
    WaitlistEntry,
)


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "commission_rate", "requires_approval", "website"]
    search_fields = ["name", "domains"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "website", "created_at"]
    search_fields = ["name", "company"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["title", "artist", "creator", "platform", "genre", "price", "status", "buy_approved", "created_at"]
    list_filter = ["status", "buy_approved", "genre", "platform"]
    search_fields = ["title", "artist", "creator__email", "creator__handle"]
    list_select_related = ["creator", "platform"]
    autocomplete_fields = ["creator", "tool"]
    readonly_fields = ["created_at", "updated_at", "waveform"]
    date_hierarchy = "created_at"
    actions = ["hide", "restore", "approve_buy"]

    @admin.action(description="Hide selected tracks from the public")
    def hide(self, request, queryset):
        count = queryset.update(status=Track.Status.HIDDEN)
        self.message_user(request, f"Hid {count} tracks.", messages.SUCCESS)

    @admin.action(description="Restore selected tracks (publish)")
    def restore(self, request, queryset):
        count = queryset.update(status=Track.Status.PUBLISHED)
        self.message_user(request, f"Restored {count} tracks.", messages.SUCCESS)

    @admin.action(description="Approve Buy button (for 'Other' platforms)")
    def approve_buy(self, request, queryset):
        count = queryset.update(buy_approved=True)
        self.message_user(request, f"Approved purchase links on {count} tracks.", messages.SUCCESS)


@admin.register(PurchaseClick)
class PurchaseClickAdmin(admin.ModelAdmin):
    list_display = ["click_id", "track", "user", "created_at"]
    search_fields = ["click_id", "track__title"]
    list_select_related = ["track", "user"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in PurchaseClick._meta.fields]


@admin.register(Sale)
class SaleAdmin(admin.ModelAdmin):
    list_display = ["order_id", "track", "amount", "commission", "earnings", "source", "created_at"]
    list_filter = ["source", "currency"]
    search_fields = ["order_id", "track__title"]
    list_select_related = ["track"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Sale._meta.fields]


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = ["creator", "amount", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["creator__email"]
    list_select_related = ["creator"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["creator", "kind", "amount", "available_at", "created_at", "memo"]
    list_filter = ["kind"]
    search_fields = ["creator__email", "memo"]
    list_select_related = ["creator"]
    readonly_fields = ["sale", "payout"]


@admin.register(FeaturedPlacement)
class FeaturedPlacementAdmin(admin.ModelAdmin):
    list_display = ["track", "kind", "genre", "starts_at", "ends_at", "price", "sponsored"]
    list_filter = ["kind", "sponsored"]
    search_fields = ["track__title"]
    autocomplete_fields = ["track"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["email", "interest", "created_at"]
    list_filter = ["interest"]
    search_fields = ["email"]


admin.site.register(TrackDailyStats, list_display=["track", "day", "views", "plays", "clicks"])
admin.site.register(PlayEvent, list_display=["track", "listener", "day"])
admin.site.register(Favourite, list_display=["user", "track", "created_at"])
