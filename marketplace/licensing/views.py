"""Rights pages: a licence in plain words, the buyer's purchases and each receipt (printable)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from aimusicstore import paging
from marketplace.licensing import selectors
from marketplace.licensing.models import Licence


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
