"""Rights pages: a licence in plain words, the buyer's purchases and each receipt (printable)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aimusicstore import paging
from marketplace.licensing import selectors, services
from marketplace.licensing.models import Licence
from marketplace.models import Track


def licence_detail(request, code):
    licence = get_object_or_404(Licence, code=code)
    return render(request, "marketplace/licensing/licence_detail.html", {"licence": licence})


@login_required
def purchases(request):
    paginator = paging.CappedPaginator(selectors.receipts_for(request.user))
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "marketplace/licensing/purchases.html", {"page": page, "paginator": paginator})


@login_required
def receipt(request, pk):
    receipt = get_object_or_404(selectors.receipts_for(request.user), pk=pk)  # someone else's is a 404
    return render(request, "marketplace/licensing/receipt.html", {"receipt": receipt})


class ClaimForm(forms.Form):
    video_url = forms.URLField(label="Link to the claimed video", max_length=500, assume_scheme="https")
    note = forms.CharField(label="What happened", max_length=500, required=False)


@login_required
@require_POST
def report_claim(request, pk):
    """A buyer reports a content-ID claim on a YouTube-safe track; staff decide it in the admin."""
    track = get_object_or_404(Track.objects.published().select_related("licence"), pk=pk, youtube_safe_attested=True)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return render(request, "marketplace/licensing/report_claim.html", {"track": track, "form": form}, status=400)
    services.report_claim(track, request.user, **form.cleaned_data)
    messages.success(request, "Thanks: staff will check the claim; an upheld claim removes the YouTube-safe badge.")
    return redirect(track)
