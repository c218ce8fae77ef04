"""The creator's earnings page and payout requests (/dashboard/earnings/)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import ledger, services
from .models import LedgerEntry, Payout


class PayoutRequestForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (USD)", max_digits=10, decimal_places=2, required=False,
        min_value=ledger.PAYOUT_THRESHOLD, help_text="Leave empty to request everything available.",
    )


def _page(request, form, status=200):
    context = {
        "balances": ledger.balances(request.user),
        "threshold": ledger.PAYOUT_THRESHOLD,
        "hold_days": services.EARNINGS_HOLD.days,
        "form": form,
        "payouts": Payout.objects.filter(creator=request.user).order_by("-requested_at")[:20],
        "entries": LedgerEntry.objects.filter(creator=request.user)
        .order_by("-created_at", "-id")[:50],
    }
    return render(request, "marketplace/earnings.html", context, status=status)


@login_required
def earnings(request):
    return _page(request, PayoutRequestForm())


@login_required
@require_POST
def request_payout(request):
    form = PayoutRequestForm(request.POST)
    if form.is_valid():
        try:
            payout = ledger.request_payout(request.user, form.cleaned_data["amount"])
        except ledger.PayoutError as exc:
            form.add_error("amount", str(exc))
    if form.errors:
        return _page(request, form, status=400)
    messages.success(request, f"Payout of ${payout.amount} requested; staff review it within a few days.")
    return redirect("marketplace:earnings")
