import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from aimusicstore.urltag import reverse  # kept per process (a page asks for the same URLs often)
from marketplace.catalogue.vocabulary import GENRES, MOOD_LABELS

MONEY = {"max_digits": 10, "decimal_places": 2}
MIN_PRICE, MAX_PRICE = Decimal("0.50"), Decimal("999.99")


class Platform(models.Model):
    """Where tracks are sold: its domains (purchase URLs must match) and our commission."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    domains = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    commission_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.2000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="Our share of each sale, 0.2000 = 20 %",
    )
    requires_approval = models.BooleanField(
        default=False, help_text="'Other' platforms: staff approve each track before its Buy button shows"
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0, commission_rate__lte=1), name="platform_rate_0_to_1"
            )
        ]

    def __str__(self):
        return self.name


class Tool(models.Model):
    """An AI music tool (Suno, Udio, ...), listed and voted on like tracks."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    company = models.CharField(max_length=80, blank=True)
    website = models.URLField(blank=True)
    tagline = models.CharField(max_length=160, blank=True)
    description = models.TextField(blank=True)
    platform = models.OneToOneField(Platform, null=True, blank=True, on_delete=models.SET_NULL, related_name="tool")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("marketplace:tool-detail", args=[self.pk])


class TrackQuerySet(models.QuerySet):
    ORDERINGS = {  # each ends on id, so pages of equal scores never overlap
        "newest": [models.F("created_at").desc(), models.F("id").desc()],
        "top": [models.F("score__score").desc(), models.F("id").desc()],
        "trending": [models.F("score__trending_at_epoch").desc(), models.F("id").desc()],
        "votes": [models.F("score__upvotes").desc(), models.F("id").desc()],
        "rating": [models.F("rating_average").desc(), models.F("rating_count").desc(), models.F("id").desc()],
    }

    def ordered(self, sort):
        """Newest, top, trending, most votes or best rated first (anything else: newest), for every list of tracks."""
        return self.order_by(*self.ORDERINGS.get(sort, self.ORDERINGS["newest"]))

    def published(self):
        return self.filter(status=Track.Status.PUBLISHED, preview_problem="")

    def owned_by(self, user):
        """A creator's own tracks, whatever moderation did to them, except those they deleted."""
        return self.filter(creator_id=getattr(user, "pk", None)).exclude(status=Track.Status.REMOVED)

    def visible_to(self, user):
        """What `user` may open: every published track, plus their own (pending or hidden) but not deleted ones.

        The one visibility rule of the track page, the API's track object and the studio.
        """
        if not getattr(user, "is_authenticated", False):
            return self.published()
        return self.filter(Q(status=Track.Status.PUBLISHED) | Q(creator_id=user.pk)).exclude(
            status=Track.Status.REMOVED
        )

    def for_listing(self):
        return self.select_related("creator", "platform", "score", "licence", "tool", "analysis")


class Track(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending review"
        HIDDEN = "hidden", "Hidden by moderation"
        REMOVED = "removed", "Removed by creator"

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tracks")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, blank=True)
    artist = models.CharField(max_length=120)
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="tracks")
    tool = models.ForeignKey(Tool, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracks")
    genre = models.CharField(max_length=30, choices=GENRES)
    moods = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    bpm = models.PositiveSmallIntegerField(null=True, blank=True)
    key = models.CharField(max_length=12, blank=True, help_text="As the creator gives it, e.g. 'A minor'")
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Full track length, seconds")
    preview_audio = models.FileField(upload_to="previews/%Y/%m/", blank=True)
    preview_url = models.URLField(blank=True, max_length=500)
    preview_duration = models.FloatField(null=True, blank=True)
    waveform = models.JSONField(default=list, blank=True, help_text="Peak list computed by a Celery task")
    preview_normalised = models.FileField(upload_to="previews/normalised/%Y/%m/", blank=True, editable=False,
                                          help_text="The preview at -14 LUFS, what the player serves")
    preview_problem = models.CharField(max_length=200, blank=True,
                                       help_text="Why the preview is not playable; hidden from listings while set")
    cover = models.ImageField(upload_to="covers/%Y/%m/", blank=True)
    cover_thumbnails = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text='{"of": cover name, "widths": [96, …]}: its WebP thumbnails (marketplace/catalogue/covers.py)',
    )
    purchase_url = models.URLField(max_length=500)
    price = models.DecimalField(**MONEY, default=Decimal("1.99"))
    description = models.TextField(blank=True, max_length=5000)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    buy_approved = models.BooleanField(default=True, help_text="False until staff approve an 'Other' platform URL")
    moderation_reason = models.CharField(
        max_length=500, blank=True, help_text="Why moderation hid the track; shown to its creator"
    )
    review_reason = models.CharField(max_length=300, blank=True, help_text="Why an upload is held for review")
    # Rights (marketplace/licensing): the licence, the creator's attestations, honest AI credits, C2PA summary.
    licence = models.ForeignKey("marketplace.Licence", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="tracks")
    licence_attestation = models.CharField(
        max_length=200, blank=True, help_text='How the generation plan allows it, e.g. "made on a paid Suno plan"'
    )
    youtube_safe_attested = models.BooleanField(default=False, help_text="Not registered with a content-ID system")
    youtube_claim_upheld = models.BooleanField(default=False, help_text="Staff upheld a content-ID claim")
    ai_credits = models.JSONField(default=dict, blank=True, help_text="{part: ai/human/mixed/none}")
    ai_model_version = models.CharField(max_length=60, blank=True)
    human_contribution = models.CharField(max_length=500, blank=True)
    ai_summary = models.CharField(max_length=20, blank=True, editable=False)
    content_credentials = models.JSONField(default=dict, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Denormalised by marketplace.reviews.services on every review change, so lists never aggregate.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0.00"))
    rating_count = models.PositiveIntegerField(default=0)

    objects = TrackQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=MIN_PRICE, price__lte=MAX_PRICE), name="track_price_range"),
            models.CheckConstraint(
                condition=Q(bpm__isnull=True) | Q(bpm__gte=20, bpm__lte=300), name="track_bpm_range"
            ),
            models.CheckConstraint(
                condition=~Q(preview_audio="") | ~Q(preview_url=""), name="track_has_preview"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="track_new_idx"),
            models.Index(fields=["status", "genre", "-created_at"], name="track_genre_idx"),
            models.Index(fields=["creator", "-created_at"], name="track_creator_idx"),
            models.Index(fields=["status", "price"], name="track_price_idx"),
            models.Index(fields=["status", "bpm"], name="track_bpm_idx"),
            GinIndex(fields=["moods"], name="track_moods_gin"),
            GinIndex(fields=["tags"], name="track_tags_gin"),
            GinIndex(fields=["search_vector"], name="track_search_gin"),
            # Autocomplete: nearest-neighbour trigram search (ORDER BY title <->> q LIMIT n).
            GistIndex(fields=["title"], opclasses=["gist_trgm_ops"], name="track_title_trgm_gist"),
            GistIndex(fields=["artist"], opclasses=["gist_trgm_ops"], name="track_artist_trgm_gist"),
            models.Index(fields=["tool", "status"], name="track_tool_idx"),
            models.Index(fields=["status", "-rating_average", "-rating_count", "-id"], name="track_rating_idx"),
            models.Index(fields=["status", "ai_summary"], name="track_ai_summary_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:200]
        from marketplace.licensing.services import apply_track_defaults

        apply_track_defaults(self)
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None or "cover" in kwargs["update_fields"]:
            from marketplace.catalogue import covers

            if self.cover and not covers.made_of_current(self):
                covers.schedule_thumbnails(self)  # a new cover, however it came (studio, API, admin)

    def get_absolute_url(self):
        if self.slug:
            return reverse("marketplace:track-detail-slug", args=[self.pk, self.slug])
        return reverse("marketplace:track-detail", args=[self.pk])

    @property
    def audio_url(self):
        if self.preview_normalised:
            return self.preview_normalised.url
        return self.preview_audio.url if self.preview_audio else self.preview_url

    @property
    def cover_url(self):
        return self.cover.url if self.cover else ""

    @property
    def youtube_safe(self):
        return self.youtube_safe_attested and not self.youtube_claim_upheld

    @property
    def primary_mood(self):
        return self.moods[0] if self.moods else ""

    @property
    def mood_labels(self):
        return [MOOD_LABELS.get(m, m) for m in self.moods]


class TrackDailyStats(models.Model):
    """Per-track, per-day counters behind creator analytics (one row per day, upserted)."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    plays = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["track", "day"], name="track_stats_one_per_day")]

    def __str__(self):
        return f"{self.track_id} on {self.day}"


class PlayEvent(models.Model):
    """A preview listened to for 5 s; at most one per listener, track and day."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="plays")
    listener = models.CharField(max_length=64, help_text="user id or hashed session key")
    day = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "listener", "day"], name="play_once_per_listener_day")
        ]

    def __str__(self):
        return f"play of {self.track_id} on {self.day}"


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="favourited_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "track"], name="favourite_once")]

    def __str__(self):
        return f"{self.user} ♥ {self.track_id}"


class PurchaseClick(models.Model):
    """A buyer who confirmed "Continue to purchase": the start of an affiliate sale."""

    click_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="clicks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    session_key = models.CharField(max_length=64, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, help_text="Salted hash; raw IPs are never stored")
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["track", "-created_at"], name="click_track_idx")]

    def __str__(self):
        return str(self.click_id)


class Sale(models.Model):
    """An affiliate sale reported by a platform; money split at that day's rate."""

    class Source(models.TextChoices):
        POSTBACK = "postback", "Postback"
        CSV = "csv", "CSV import"
        DEMO = "demo", "Demo data"

    order_id = models.CharField(max_length=100, unique=True)
    click = models.ForeignKey(PurchaseClick, null=True, blank=True, on_delete=models.PROTECT, related_name="sales")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="sales")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="USD")
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    commission = models.DecimalField(**MONEY)
    earnings = models.DecimalField(**MONEY)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.POSTBACK)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sale_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount=models.F("commission") + models.F("earnings")), name="sale_split_reconciles"
            ),
        ]
        indexes = [models.Index(fields=["track", "-created_at"], name="sale_track_idx")]

    def __str__(self):
        return f"{self.order_id} ({self.amount} {self.currency})"


class Payout(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        REJECTED = "rejected", "Rejected"

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive")]
        indexes = [models.Index(fields=["status", "requested_at"], name="payout_status_idx")]

    def __str__(self):
        return f"{self.creator} ${self.amount} ({self.status})"


class LedgerEntry(models.Model):
    """The creator money ledger: every balance is a sum over these rows, none is stored."""

    class Kind(models.TextChoices):
        SALE = "sale", "Sale earnings"
        PAYOUT = "payout", "Payout"
        ADJUSTMENT = "adjustment", "Adjustment"

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(**MONEY, help_text="Positive credits the creator, negative debits")
    sale = models.OneToOneField(Sale, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entry")
    payout = models.OneToOneField(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entry"
    )
    available_at = models.DateTimeField(default=timezone.now, help_text="Sale earnings clear after a hold")
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["creator", "created_at"], name="ledger_creator_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="sale", sale__isnull=False, amount__gt=0)
                           | Q(kind="payout", payout__isnull=False, amount__lt=0)
                           | Q(kind="adjustment")),
                name="ledger_kind_matches_source",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.amount}"


class FeaturedPlacementQuerySet(models.QuerySet):
    def active(self, kind=None, now=None, genre=None):
        """Placements running now on published tracks; expired ones drop out on their own."""
        now = now or timezone.now()
        placements = self.filter(starts_at__lte=now, ends_at__gt=now, track__status=Track.Status.PUBLISHED)
        if kind:
            placements = placements.filter(kind=kind)
        if genre:
            placements = placements.filter(genre=genre)
        return placements.select_related("track__creator", "track__platform", "track__score").order_by("starts_at")


class FeaturedPlacement(models.Model):
    """A paid or editorial placement, shown only between its start and end."""

    class Kind(models.TextChoices):
        HOMEPAGE = "homepage", "Homepage featured"
        CATEGORY = "category", "Category sponsorship"
        EDITORS_PICK = "editors_pick", "Editor's pick"
        TRENDING = "trending", "Trending placement"

    kind = models.CharField(max_length=14, choices=Kind.choices)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="placements")
    genre = models.CharField(max_length=30, choices=GENRES, blank=True, help_text="For category sponsorships")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    price = models.DecimalField(**MONEY, default=Decimal("0.00"))
    sponsored = models.BooleanField(default=True, help_text="Paid placements are labelled 'Sponsored'")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeaturedPlacementQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="placement_ends_after_start"),
            models.CheckConstraint(condition=Q(price__gte=0), name="placement_price_not_negative"),
        ]
        indexes = [models.Index(fields=["kind", "starts_at", "ends_at"], name="placement_window_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.track_id}"


class WaitlistEntry(models.Model):
    class Interest(models.TextChoices):
        BUYER = "buyer", "Buying music"
        CREATOR = "creator", "Selling my AI music"
        AGENT = "agent", "Building an agent"

    email = models.EmailField(unique=True)
    interest = models.CharField(max_length=10, choices=Interest.choices, default=Interest.BUYER)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Followed the double-opt-in link")
    newsletter_unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "waitlist entries"

    def __str__(self):
        return self.email


class TrackReferrerDaily(models.Model):
    """Page views of a track per referring domain and day (flushed from Redis by Celery)."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="referrers")
    day = models.DateField()
    domain = models.CharField(max_length=100)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "day", "domain"], name="referrer_one_per_track_day_domain")
        ]
        indexes = [models.Index(fields=["track", "day"], name="referrer_track_day_idx")]

    def __str__(self):
        return f"{self.domain} → {self.track_id} on {self.day}"


from marketplace.analysis.models import FingerprintHash, TrackAnalysis  # noqa: E402, F401
from marketplace.discovery.models import SimilarList  # noqa: E402, F401
from marketplace.licensing.models import ContentIdClaim, Licence, Receipt  # noqa: E402,F401
from marketplace.moderation.models import Appeal, ModerationNotice, Report, Suspension, Takedown  # noqa: E402, F401
from marketplace.newsletter.models import NewsletterSend  # noqa: E402,F401
from marketplace.notifications.models import Notification, NotificationPreference  # noqa: E402,F401
from marketplace.payouts.models import PayoutMethod  # noqa: E402,F401
from marketplace.playlists.models import Playlist, PlaylistItem  # noqa: E402,F401
from marketplace.purchases.models import HeldSale  # noqa: E402,F401  (postbacks held for review)
from marketplace.reviews.models import Review, ReviewHelpful  # noqa: E402,F401
from marketplace.webhooks.models import Webhook, WebhookDelivery  # noqa: E402,F401
