import uuid

from auditlog.mixins import AuditlogHistoryAdminMixin
from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from aimusicstore import audit
from marketplace.catalogue import services
from marketplace.licensing import admin as licensing_admin  # noqa: F401 (registers licences, claims, receipts)
from marketplace.payouts import admin as payouts_admin  # noqa: F401 (registers payout methods)
from marketplace.payouts import services as payout_services
from marketplace.purchases import ledger, sales_import

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
    list_display = ["name", "domains", "commission_rate", "requires_approval", "website"]
    search_fields = ["name", "domains"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "website", "created_at"]
    search_fields = ["name", "company"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Track)
class TrackAdmin(audit.ReasonedChangeMixin, AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "artist", "creator", "platform", "genre", "price", "status", "buy_approved", "created_at"]
    list_filter = ["status", "buy_approved", "genre", "platform"]
    search_fields = ["title", "artist", "creator__email", "creator__handle"]
    list_select_related = ["creator", "platform"]
    autocomplete_fields = ["creator", "tool"]
    readonly_fields = ["created_at", "updated_at", "waveform"]
    date_hierarchy = "created_at"
    actions = ["hide", "restore", "approve_buy"]
    action_form = audit.ReasonActionForm
    show_auditlog_history_link = True

    @staticmethod
    def _each(request, queryset, service, action):
        """Staff actions go through the catalogue's services, the one place a change retires stored pages;
        each is recorded (who, what, why, before/after) in the audit log and in Recent actions."""
        tracks = list(queryset)
        for track in tracks:
            with audit.staff_action(request, track, action, ["status", "buy_approved"], audit.action_reason(request)):
                service(track)
        return len(tracks)

    @admin.action(description="Hide selected tracks from the public (asks for the reason)")
    def hide(self, request, queryset):
        from marketplace.moderation.admin import hide_with_reason

        return hide_with_reason(self, request, queryset)

    @admin.action(description="Restore selected tracks (publish)")
    def restore(self, request, queryset):
        from marketplace.moderation import services as moderation

        tracks = list(queryset)
        for track in tracks:  # moderation records the action and tells the creator
            moderation.restore(track, request.user, audit.action_reason(request))
        count = len(tracks)
        self.message_user(request, f"Restored {count} tracks.", messages.SUCCESS)

    @admin.action(description="Approve Buy button (for 'Other' platforms)")
    def approve_buy(self, request, queryset):
        count = self._each(request, queryset, services.approve_purchase_link, "approve purchase link")
        self.message_user(request, f"Approved purchase links on {count} tracks.", messages.SUCCESS)


@admin.register(PurchaseClick)
class PurchaseClickAdmin(admin.ModelAdmin):
    list_display = ["click_id", "track", "user", "created_at"]
    search_fields = ["click_id", "track__title"]
    list_select_related = ["track", "user"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in PurchaseClick._meta.fields]


class ReportUploadForm(forms.Form):
    platform = forms.ModelChoiceField(queryset=Platform.objects.all(), help_text="Whose affiliate report this is")
    report = forms.FileField(label="CSV report", help_text="Columns: order_id, click_id, amount[, currency, date]")

    def clean_report(self):
        report = self.cleaned_data["report"]
        if report.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The report is larger than 2 MB; split it into smaller files.")
        return report


@admin.register(Sale)
class SaleAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["order_id", "track", "amount", "commission", "earnings", "source", "created_at"]
    list_filter = ["source", "currency"]
    search_fields = ["order_id", "track__title"]
    list_select_related = ["track"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Sale._meta.fields]
    change_list_template = "admin/marketplace/sale/change_list.html"

    def has_add_permission(self, request):
        return False  # sales arrive by postback or report import, each with its ledger entry

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_report)
        return [path("import/", view, name="marketplace_sale_import"), *super().get_urls()]

    def import_report(self, request):
        """Upload shows a preview of every row; Commit records them all in one transaction, or none."""
        if not request.user.has_perm("marketplace.add_sale"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Import affiliate report"}
        if request.method == "POST" and "token" in request.POST:
            staged = cache.get(f"sales-import:{request.POST['token']}")
            if not staged:
                messages.error(request, "That preview has expired; upload the report again.")
                return redirect("admin:marketplace_sale_import")
            platform = Platform.objects.get(pk=staged["platform"])
            try:
                committed = sales_import.import_report(staged["data"], platform)
            except sales_import.ReportRejected as exc:
                messages.error(request, str(exc))
                return redirect("admin:marketplace_sale_import")
            cache.delete(f"sales-import:{request.POST['token']}")
            messages.success(request, f"Imported {len(committed.new)} sales from {platform.name}; "
                                      f"{len(committed.already_imported)} were already recorded.")
            return redirect("admin:marketplace_sale_changelist")
        form = ReportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["report"].read()
            platform = form.cleaned_data["platform"]
            preview = sales_import.preview_report(data, platform)
            token = uuid.uuid4().hex
            if preview.can_commit:
                cache.set(f"sales-import:{token}", {"data": data, "platform": platform.pk}, 3600)
            context.update(preview=preview, platform=platform, token=token)
        context["form"] = form
        return TemplateResponse(request, "admin/marketplace/sale/import.html", context)


@admin.register(Payout)
class PayoutAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["creator", "amount", "destination", "status", "requested_at", "decided_at", "decided_by", "note"]
    list_filter = ["status"]
    search_fields = ["creator__email"]
    list_select_related = ["creator__payout_method", "decided_by"]
    readonly_fields = ["creator", "amount", "destination", "status", "requested_at", "decided_at", "decided_by"]
    actions = ["approve", "mark_paid", "reject", "export_csv"]
    action_form = audit.ReasonActionForm
    show_auditlog_history_link = True

    @admin.display(description="Pay to")
    def destination(self, payout):
        method = getattr(payout.creator, "payout_method", None)
        return f"{method} · {method.legal_name} ({method.country})" if method else "— no payout method —"

    @admin.action(description="Export approved payouts as a CSV batch (bank / PayPal)")
    def export_csv(self, request, queryset):
        response = HttpResponse(payout_services.approved_payouts_csv(queryset), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="approved-payouts.csv"'
        return response

    def has_add_permission(self, request):
        return False  # creators request payouts from their earnings page; the ledger must record each one

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, service, verb, **kwargs):
        done, refused = 0, []
        fields = ["status", "decided_by", "decided_at", "note"]
        for payout in queryset:
            try:
                with audit.staff_action(request, payout, verb.lower(), fields, audit.action_reason(request)):
                    service(payout, request.user, **kwargs)
                done += 1
            except ledger.PayoutError as exc:
                refused.append(str(exc))
        if done:
            self.message_user(request, f"{verb} {done} payouts.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Approve selected payout requests")
    def approve(self, request, queryset):
        self._decide(request, queryset, ledger.approve_payout, "Approved")

    @admin.action(description="Mark selected approved payouts as paid")
    def mark_paid(self, request, queryset):
        self._decide(request, queryset, ledger.mark_payout_paid, "Marked paid")

    @admin.action(description="Reject selected payouts (releases the money to the creator)")
    def reject(self, request, queryset):
        note = audit.action_reason(request) or "Rejected by staff"
        self._decide(request, queryset, ledger.reject_payout, "Rejected", note=note)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["creator", "kind", "amount", "available_at", "created_at", "memo"]
    list_filter = ["kind"]
    search_fields = ["creator__email", "memo"]
    list_select_related = ["creator"]
    readonly_fields = ["sale", "payout"]

    # Entries are written only by services (sales, payouts, rejections); never edited by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FeaturedPlacement)
class FeaturedPlacementAdmin(admin.ModelAdmin):
    list_display = ["track", "kind", "genre", "starts_at", "ends_at", "price", "sponsored"]
    list_filter = ["kind", "sponsored"]
    search_fields = ["track__title"]
    autocomplete_fields = ["track"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["email", "interest", "created_at", "confirmed_at"]
    list_filter = ["interest"]
    search_fields = ["email"]


admin.site.register(TrackDailyStats, list_display=["track", "day", "views", "plays", "clicks"])
admin.site.register(PlayEvent, list_display=["track", "listener", "day"])
admin.site.register(Favourite, list_display=["user", "track", "created_at"])

from marketplace.analysis import admin as analysis_admin  # noqa: E402, F401  (re-uploads in moderation)
from marketplace.moderation import admin as _moderation_admin  # noqa: E402, F401  (registers the moderation queue)
from marketplace.newsletter import admin as newsletter_admin  # noqa: E402,F401
from marketplace.notifications import admin as notifications_admin  # noqa: E402,F401
from marketplace.playlists import admin as playlists_admin  # noqa: E402,F401
from marketplace.purchases import admin as purchases_admin  # noqa: E402,F401  (held postbacks)
from marketplace.reviews import admin as reviews_admin  # noqa: E402,F401
from marketplace.webhooks import admin as _webhooks_admin  # noqa: E402, F401  (webhooks and deliveries)
