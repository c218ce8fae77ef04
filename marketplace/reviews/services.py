"""Writing reviews: the one place the review rules live, for the track page and the API alike.

Every change recomputes the track's denormalised `rating_average` and `rating_count` under a lock
on the track row, so concurrent reviews of one track queue up and lists never aggregate.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F

from aimusicstore import pagecache
from marketplace.models import Track
from marketplace.reviews.models import Review, ReviewHelpful

TWO_PLACES = Decimal("0.01")


def _check(author, track, rating, text):
    if author.pk == track.creator_id:
        # 403 over the API (aimusicstore.api.RULE_STATUSES), as a vote on one's own work
        raise ValidationError({"rating": [ValidationError("You can't review your own track.", code="own_work")]})
    if track.status != Track.Status.PUBLISHED:
        raise ValidationError({"track": ["Only published tracks can be reviewed."]})
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": ["Choose a rating from 1 to 5 stars."]})
    if len(text) > 5000:
        raise ValidationError({"text": ["Keep the review under 5,000 characters."]})


def refresh_rating(track_id):
    """Store the track's average rating and review count (call inside the transaction that changed them)."""
    totals = Review.objects.filter(track_id=track_id).aggregate(average=Avg("rating"), count=Count("id"))
    average = Decimal(totals["average"] or 0).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    Track.objects.filter(pk=track_id).update(rating_average=average, rating_count=totals["count"])
    transaction.on_commit(pagecache.invalidate)


def save_review(author, track, *, rating, text=""):
    """Create the author's review of `track`, or change it if they already wrote one.

    Returns (review, created). One row per author and track even under concurrent posts: the
    track row lock serialises writers, and the unique constraint backs it.
    """
    text = (text or "").strip()
    _check(author, track, rating, text)
    with transaction.atomic():
        Track.objects.select_for_update().filter(pk=track.pk).values_list("pk", flat=True).get()
        review = Review.objects.filter(track=track, author=author).first()
        created = review is None
        if created:
            try:
                with transaction.atomic():
                    review = Review.objects.create(track=track, author=author, rating=rating, text=text)
            except IntegrityError:  # a writer that did not take the lock got there first
                review = Review.objects.get(track=track, author=author)
                created = False
        if not created:
            review.rating, review.text = rating, text
            review.save(update_fields=["rating", "text", "updated_at"])
        refresh_rating(track.pk)
        if created:
            from marketplace.notifications.services import Kind, notify

            notify(track.creator, Kind.REVIEW_RECEIVED, title=f"{author.name} reviewed {track.title}",
                   url=f"{track.get_absolute_url()}#review-{review.pk}", dedupe_key=f"review:{review.pk}")
            from marketplace.webhooks import events as webhook_events

            webhook_events.review_posted(review)
    return review, created


def update_review(review, *, rating=None, text=None):
    """Change the rating and/or text of an existing review (its author's edit)."""
    return save_review(review.author, review.track,
                       rating=review.rating if rating is None else rating,
                       text=review.text if text is None else text)[0]


def delete_review(review):
    """Delete a review and recompute its track's rating."""
    with transaction.atomic():
        Track.objects.select_for_update().filter(pk=review.track_id).values_list("pk", flat=True).get()
        track_id = review.track_id
        review.delete()
        refresh_rating(track_id)


def mark_helpful(user, review):
    """Count `user` as finding `review` helpful, once; returns True if this call counted it."""
    if user.pk == review.author_id:
        raise ValidationError({"review": [ValidationError("You can't mark your own review helpful.", code="own_work")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReviewHelpful.objects.create(review=review, user=user)
        except IntegrityError:
            return False
        Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    transaction.on_commit(pagecache.invalidate)
    review.refresh_from_db(fields=["helpful_count"])
    return True
