"""The Buy flow: a confirmation that discloses our commission, then a POST that records the
click and sends the buyer to the stored purchase link, tagged. Plus the disclosure page."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from . import affiliate, services
from .models import Platform, Track


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _buyable_track(pk):
    track = get_object_or_404(Track.objects.for_listing(), pk=pk)
    if not affiliate.is_buyable(track):
        raise Http404("This track cannot be bought here")
    return track


@require_http_methods(["GET", "POST"])
def buy(request, pk):
    """GET shows the confirmation (in the page's dialog, or as a page without JavaScript), recording nothing.

    POST records the click and answers 303 to the stored link with our tag and the click id;
    the target comes only from the database, never from the request, so there is no open redirect.
    """
    track = _buyable_track(pk)
    if request.method == "GET":
        # The Buy button loads just the confirmation into the page's dialog; a plain GET is its own page.
        template = "marketplace/partials/buy_confirmation.html" if request.htmx else "marketplace/buy.html"
        return render(request, template, {"offer": affiliate.offer_for(track), "in_dialog": bool(request.htmx)})
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if affiliate.is_crawler(user_agent):
        return SeeOther(affiliate.tagged_url(track.purchase_url))
    if not request.session.session_key:
        request.session.save()
    click = services.record_purchase_click(
        track, user=request.user, session_key=request.session.session_key,
        referrer=request.META.get("HTTP_REFERER", ""), ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=user_agent,
    )
    return SeeOther(affiliate.tagged_url(track.purchase_url, click.click_id))


def how_buying_works(request):
    platforms = Platform.objects.filter(requires_approval=False).order_by("name")
    return render(request, "marketplace/how_buying_works.html", {"platforms": platforms})
