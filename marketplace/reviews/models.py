"""Reviews and ratings: one per listener per track, and the "helpful" marks others give them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class ReviewQuerySet(models.QuerySet):
    SORTS = {  # each ends on id, so equal values never shuffle between pages
        "helpful": ["-helpful_count", "-created_at", "-id"],
        "newest": ["-created_at", "-id"],
        "highest": ["-rating", "-created_at", "-id"],
        "lowest": ["rating", "-created_at", "-id"],
    }

    def ordered(self, sort):
        """Most helpful, newest, highest or lowest first (anything else: most helpful)."""
        return self.order_by(*self.SORTS.get(sort, self.SORTS["helpful"]))

    def with_verified_buyer(self):
        """`verified_buyer`: the author's own purchase click on this track became a recorded sale."""
        from marketplace.models import Sale

        return self.annotate(verified_buyer=Exists(
            Sale.objects.filter(track_id=OuterRef("track_id"), click__user_id=OuterRef("author_id"))
        ))

    def marked_helpful_by(self, user):
        """`marked_helpful`: whether `user` already marked each review helpful (False for visitors)."""
        if not getattr(user, "is_authenticated", False):
            return self.annotate(marked_helpful=models.Value(False))
        return self.annotate(marked_helpful=Exists(
            ReviewHelpful.objects.filter(review_id=OuterRef("pk"), user_id=user.pk)
        ))

    def on_published_tracks(self):
        return self.filter(track__status="published")


class Review(models.Model):
    """A listener's 1–5 rating of a track, with optional text (limited Markdown, rendered safe)."""

    RATINGS = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]

    track = models.ForeignKey("marketplace.Track", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        choices=RATINGS, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True, max_length=5000)
    helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "author"], name="review_one_per_user_track"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["track", "-helpful_count", "-created_at"], name="review_track_helpful_idx"),
            models.Index(fields=["track", "-created_at"], name="review_track_new_idx"),
        ]

    def __str__(self):
        return f"{self.rating}★ on {self.track_id} by {self.author_id}"

    def get_absolute_url(self):
        return f"{self.track.get_absolute_url()}#review-{self.pk}"


class ReviewHelpful(models.Model):
    """One listener found one review helpful; at most once each."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="review_helpful_once")]

    def __str__(self):
        return f"{self.user_id} found {self.review_id} helpful"
