"""The terms and the privacy notice: plain pages, the same for everyone, cached like visitor pages."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from aimusicstore.pagecache import cache_for_visitors
from marketplace.licensing.models import Licence
from marketplace.models import Platform

UPDATED = "1 December 2026"  # the date the words below last changed; shown on both pages


@cache_for_visitors(ttl=3600)
@require_safe
def terms(request):
    licences = Licence.objects.order_by("position", "code").only("code", "name", "summary")
    platforms = Platform.objects.filter(requires_approval=False).order_by("name").only("name", "commission_rate")
    return render(request, "marketplace/legal/terms.html",
                  {"licences": licences, "platforms": platforms, "updated": UPDATED})


@cache_for_visitors(ttl=3600)
@require_safe
def privacy(request):
    return render(request, "marketplace/legal/privacy.html", {"updated": UPDATED})
