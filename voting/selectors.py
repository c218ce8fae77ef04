"""Reads of the voting app used by templates and views."""

from marketplace.models import Tool, Track
from voting.models import Vote

_REQUEST_CACHE = "_voting_my_votes"


def my_votes(request):
    """{("track"|"tool", id): value} for the signed-in user, loaded once per request (one query)."""
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    cached = getattr(request, _REQUEST_CACHE, None)
    if cached is None:
        cached = {}
        for track_id, tool_id, value in Vote.objects.filter(voter=request.user).values_list("track_id", "tool_id",
                                                                                              "value"):
            cached[("track", track_id) if track_id else ("tool", tool_id)] = value
        setattr(request, _REQUEST_CACHE, cached)
    return cached


def target_type(target):
    return "track" if isinstance(target, Track) else "tool" if isinstance(target, Tool) else None


def vote_state(request, target):
    kind = target_type(target)
    try:
        score = target.score
    except (Track.score.RelatedObjectDoesNotExist, Tool.score.RelatedObjectDoesNotExist):
        score = None
    return {
        "type": kind,
        "id": target.pk,
        "title": str(target),
        "score": score.score if score else 0.0,
        "upvotes": score.upvotes if score else 0,
        "downvotes": score.downvotes if score else 0,
        "mine": my_votes(request).get((kind, target.pk), 0),
    }


def vote_history(user):
    return (
        Vote.objects.filter(voter=user)
        .select_related("track", "tool")
        .order_by("-created_at", "-id")
    )


def creator_vote_standing(creator):
    """How the votes on a creator's tracks count — {"counted", "discounted", "held"} — in one query.

    counted: carry their voter's full weight (the voter had heard the preview); discounted: carry
    less (voted without listening); held: weigh nothing for now (accounts still earning trust, an
    agent family's extra votes, votes under review). The thresholds behind these are not shown.
    """
    from django.db.models import Count, Q

    live = Q(status__in=[Vote.Status.COUNTED, Vote.Status.CLEARED])
    return Vote.objects.filter(track__creator=creator).exclude(status=Vote.Status.CONFIRMED).aggregate(
        counted=Count("pk", filter=live & Q(weight__gt=0, listened=True)),
        discounted=Count("pk", filter=live & Q(weight__gt=0, listened=False)),
        held=Count("pk", filter=Q(weight=0) | Q(status=Vote.Status.SUSPECTED)),
    )
