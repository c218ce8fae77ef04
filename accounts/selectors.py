"""Read-side selectors for people: the creators directory."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Follow, User
from marketplace.models import Track

CREATOR_SORTS = [("top", "Top"), ("newest", "Newest"), ("tracks", "Most tracks"), ("followed", "Most followed")]
CREATOR_ORDERINGS = {
    "top": ["-upvotes", "-track_count", "-pk"],
    "newest": ["-date_joined", "-pk"],
    "tracks": ["-track_count", "-upvotes", "-pk"],
    "followed": ["-follower_count", "-upvotes", "-pk"],
}


def _per_creator(queryset, value):
    """One grouped figure per creator as a correlated subquery (0 when there is none)."""
    rows = queryset.filter(creator=OuterRef("pk")).order_by().values("creator").annotate(n=value).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def creator_directory(sort="top"):
    """Active creators with at least one published track, with their track, upvote and follower counts,
    ordered by ``sort`` (top: upvotes on their tracks; newest; most tracks; most followed).

    One query a page: each figure is a subquery over an indexed foreign key (track_creator_idx,
    the follow_once constraint's index), and only creators with tracks are kept.
    """
    published = Track.objects.published()
    return (
        User.objects.filter(is_active=True)
        .annotate(
            track_count=_per_creator(published, Count("id")),
            upvotes=_per_creator(published, Sum("score__upvotes")),
            follower_count=_per_creator(Follow.objects.all(), Count("id")),
        )
        .filter(track_count__gt=0)
        .order_by(*CREATOR_ORDERINGS.get(sort, CREATOR_ORDERINGS["top"]))
    )
