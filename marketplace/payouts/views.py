"""The creator's payout destination page (beside the earnings page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.payouts import services
from marketplace.payouts.forms import PayoutMethodForm


@login_required
@require_http_methods(["GET", "POST"])
def payout_method(request):
    current = services.method_of(request.user)
    if request.method == "POST":
        form = PayoutMethodForm(request.POST)
        if form.is_valid():
            method = services.save_payout_method(request.user, **form.cleaned_data)
            messages.success(request, f"Payouts will go to {method}.")
            return redirect("marketplace:earnings")
        status = 400
    else:
        initial = {}
        if current:
            initial = {"legal_name": current.legal_name, "country": current.country, "kind": current.kind}
        form, status = PayoutMethodForm(initial=initial), 200
    return render(request, "marketplace/payouts/payout_method.html", {"form": form, "current": current}, status=status)
