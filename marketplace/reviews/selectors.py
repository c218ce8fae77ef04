"""Reading reviews: a track's reviews in one sort, with the badges and marks a page shows."""

from marketplace.reviews.models import Review

SORTS = [("helpful", "Most helpful"), ("newest", "Newest"), ("highest", "Highest"), ("lowest", "Lowest")]
SORT_NAMES = {name for name, _ in SORTS}


def clean_sort(value):
    return value if value in SORT_NAMES else "helpful"


def reviews_of(track, *, sort="helpful", viewer=None):
    """The track's reviews, sorted, each with `verified_buyer` and `marked_helpful` (by `viewer`)."""
    return (
        Review.objects.filter(track=track).select_related("author", "track")
        .with_verified_buyer().marked_helpful_by(viewer).ordered(clean_sort(sort))
    )


def review_by(user, track):
    """The user's own review of the track, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Review.objects.filter(track=track, author=user).first()
