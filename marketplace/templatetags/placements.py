from django import template

from marketplace.models import FeaturedPlacement

register = template.Library()


@register.inclusion_tag("marketplace/partials/placements.html", takes_context=True)
def featured_strip(context, kind, genre=None, limit=4, heading=""):
    """A row of running placements of one kind (category sponsorships by genre), labelled."""
    placements = []
    if genre or kind != FeaturedPlacement.Kind.CATEGORY:
        placements = FeaturedPlacement.objects.active(kind, genre=genre)[:limit]
    # The cards inside need the request (memoised badges) and the CSRF token (the Buy form).
    return {"placements": placements, "heading": heading, "request": context.get("request"),
            "csrf_token": context.get("csrf_token"), "user": context.get("user")}


@register.simple_tag(takes_context=True)
def is_editors_pick(context, track):
    """One query per page, however many cards ask: the running picks are memoised on the request."""
    request = context.get("request")
    picks = getattr(request, "_editors_picks", None)
    if picks is None:
        picks = set(FeaturedPlacement.objects.active(FeaturedPlacement.Kind.EDITORS_PICK)
                    .values_list("track_id", flat=True))
        if request is not None:
            request._editors_picks = picks
    return track.pk in picks
