from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Vote(models.Model):
    """One voter's up or down vote on one track or tool; the log scores derive from."""

    class Status(models.TextChoices):
        COUNTED = "counted", "Counted"
        SUSPECTED = "suspected", "Suspected abuse (weighs zero until reviewed)"
        CONFIRMED = "confirmed", "Confirmed abuse"
        CLEARED = "cleared", "Cleared by a moderator"

    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    track = models.ForeignKey(
        "marketplace.Track", null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    tool = models.ForeignKey("marketplace.Tool", null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()
    weight = models.FloatField(default=1.0, help_text="The voter's weight when the vote was counted")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COUNTED)
    flag_reason = models.CharField(max_length=200, blank=True)
    listened = models.BooleanField(
        default=False, db_default=False, help_text="The voter had heard the preview before voting")
    shared = models.BooleanField(
        default=False, db_default=False, help_text="Another vote of the voter's family carries its weight")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="vote_value_up_or_down"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=10), name="vote_weight_bounded"),
            models.CheckConstraint(
                condition=(Q(track__isnull=False, tool__isnull=True) | Q(track__isnull=True, tool__isnull=False)),
                name="vote_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["voter", "track"], condition=Q(track__isnull=False), name="one_vote_per_voter_track"
            ),
            models.UniqueConstraint(
                fields=["voter", "tool"], condition=Q(tool__isnull=False), name="one_vote_per_voter_tool"
            ),
        ]
        indexes = [
            models.Index(fields=["track", "created_at"], name="vote_track_time_idx"),
            models.Index(fields=["tool", "created_at"], name="vote_tool_time_idx"),
            models.Index(fields=["voter", "-created_at"], name="vote_voter_idx"),
            models.Index(fields=["created_at"], name="vote_time_idx"),  # the detectors' recent windows
            models.Index(fields=["status"], name="vote_flagged_idx", condition=~Q(status="counted")),
        ]

    def __str__(self):
        return f"{self.voter_id} {self.value:+d} on {self.track_id or self.tool_id}"

    @property
    def target(self):
        return self.track or self.tool


class ScoreFields(models.Model):
    """Weighted aggregates of the vote log; rewritten by Celery, bumped by each vote."""

    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.FloatField(default=0, help_text="All-time weighted score")
    score_daily = models.FloatField(default=0)
    score_weekly = models.FloatField(default=0)
    score_monthly = models.FloatField(default=0)
    trending_at_epoch = models.FloatField(
        default=0, help_text="Σ value·weight·2^((vote time − epoch)/half-life): sorts as trending (voting.trending)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def vote_count(self):
        return self.upvotes + self.downvotes

    @property
    def trending(self):
        """The public trending value now: Σ value·weight·0.5^(age_hours / half-life)."""
        from voting.trending import decayed

        return decayed(self.trending_at_epoch)


class TrackScore(ScoreFields):
    track = models.OneToOneField("marketplace.Track", primary_key=True, on_delete=models.CASCADE, related_name="score")

    class Meta:
        indexes = [
            models.Index(fields=["-score", "track"], name="trackscore_alltime_idx"),
            models.Index(fields=["-score_daily", "track"], name="trackscore_daily_idx"),
            models.Index(fields=["-score_weekly", "track"], name="trackscore_weekly_idx"),
            models.Index(fields=["-score_monthly", "track"], name="trackscore_monthly_idx"),
            models.Index(fields=["-trending_at_epoch", "track"], name="trackscore_trending_idx"),
        ]

    def __str__(self):
        return f"score of track {self.track_id}"


class ToolScore(ScoreFields):
    tool = models.OneToOneField("marketplace.Tool", primary_key=True, on_delete=models.CASCADE, related_name="score")

    def __str__(self):
        return f"score of tool {self.tool_id}"


class TrendingEpoch(models.Model):
    """The one instant stored trending values are relative to (voting.trending); moved only by a rebase."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="trendingepoch_single_row")]

    def __str__(self):
        return f"trending epoch {self.epoch:%Y-%m-%d %H:%M}"

    @classmethod
    def current(cls):
        from voting.trending import DEFAULT_EPOCH

        return cls.objects.values_list("epoch", flat=True).filter(pk=1).first() or DEFAULT_EPOCH


class ReputationEvent(models.Model):
    """Every change to a user's reputation, with why and who/what caused it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_events")
    delta = models.FloatField()
    reason = models.CharField(max_length=200)
    source = models.CharField(max_length=60, help_text="system task, moderator, ...")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="reputation_user_idx")]

    def __str__(self):
        return f"{self.user_id} {self.delta:+} ({self.reason})"


from voting.trust.models import Listen, SignupFingerprint, Trust  # noqa: E402,F401
