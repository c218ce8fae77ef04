"""Payout destinations in the admin: masked in lists and forms; the full account is not editable here."""

from django.contrib import admin

from marketplace.payouts.models import PayoutMethod


@admin.register(PayoutMethod)
class PayoutMethodAdmin(admin.ModelAdmin):
    list_display = ["creator", "kind", "masked", "legal_name", "country", "updated_at"]
    list_filter = ["kind", "country"]
    search_fields = ["creator__email", "legal_name"]
    list_select_related = ["creator"]
    fields = ["creator", "kind", "masked", "account_name", "legal_name", "country", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # creators enter their own destination on the earnings page
