"""The Buy flow: a confirmation that discloses our commission, then a POST that records the
click and sends the buyer to the stored purchase link, tagged. Plus the disclosure page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.models import LedgerEntry, Payout, PayoutMethod, Platform, Track
from marketplace.purchases import affiliate, ledger, services


class SeeOther(HttpResponseRedirect):
    status_code = 303


@require_http_methods(["GET", "POST"])
def buy(request, pk):
    """GET shows the confirmation (in the page's dialog, or as a page without JavaScript), recording nothing;
    POST goes through services.buy and answers 303 to the link it returns."""
    track = get_object_or_404(Track.objects.for_listing(), pk=pk)
    if not affiliate.is_buyable(track):
        raise Http404("This track cannot be bought here")
    if request.method == "GET":
        # The Buy button loads just the confirmation into the page's dialog; a plain GET is its own page.
        template = "marketplace/partials/buy_confirmation.html" if request.htmx else "marketplace/buy.html"
        return render(request, template, {"offer": affiliate.offer_for(track), "in_dialog": bool(request.htmx)})
    if not request.session.session_key:
        request.session.save()
    _, url = services.buy(
        track, user=request.user, session_key=request.session.session_key,
        referrer=request.META.get("HTTP_REFERER", ""), ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return SeeOther(url)


def how_buying_works(request):
    platforms = Platform.objects.filter(requires_approval=False).order_by("name")
    return render(request, "marketplace/how_buying_works.html", {"platforms": platforms})


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
        "payout_method": PayoutMethod.objects.filter(creator=request.user).first(),
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
