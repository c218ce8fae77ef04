"""The API's track and tool objects, and the track upload/edit input (CONTRACT.md's shapes)."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from aimusicstore.strict import JsonInput
from marketplace.analysis.selectors import finished_analysis
from marketplace.catalogue import validators
from marketplace.catalogue.vocabulary import GENRES, MOODS
from marketplace.licensing.serializers import RightsFieldsMixin, RightsInputMixin, rights_data
from marketplace.models import Platform, Tool, Track

# The mood filter works on an array column, which the schema generator cannot describe by itself.
MOOD_PARAM = OpenApiParameter("mood", str, many=True, explode=True, enum=[m for m, _ in MOODS],
                              description="Any of these moods (repeatable)")


def absolute_url(request, url):
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.SITE_URL.rstrip("/") + url


def score_of(obj):
    """The target's score row, or None before its first vote is counted."""
    try:
        return obj.score
    except ObjectDoesNotExist:
        return None


class VotedOnMixin:
    """The weighted score, the vote count and the page URL of anything people vote on (tracks, tools)."""

    @extend_schema_field(serializers.FloatField())
    def get_score(self, target):
        score = score_of(target)
        return round(score.score, 3) if score else 0.0

    @extend_schema_field(serializers.IntegerField())
    def get_vote_count(self, target):
        score = score_of(target)
        return score.vote_count if score else 0

    @extend_schema_field(serializers.URLField())
    def get_url(self, target):
        return absolute_url(self.context.get("request"), target.get_absolute_url())


def measured(track):
    """The track's finished analysis, or None (for_listing() selects it, so no query)."""
    return finished_analysis(track)


class TrackSerializer(RightsFieldsMixin, VotedOnMixin, serializers.ModelSerializer):
    mood = serializers.CharField(source="primary_mood", help_text="The primary mood (the first of `moods`)")
    moods = serializers.ListField(child=serializers.ChoiceField(choices=MOODS))
    platform = serializers.CharField(source="platform.name", help_text="Where the track is sold, e.g. 'Suno AI'")
    price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True,
                                     help_text="US dollars, two decimals")
    audio_url = serializers.SerializerMethodField(help_text="Absolute URL of the 30-second preview")
    cover_url = serializers.SerializerMethodField(help_text="Absolute URL of the cover art, null if none")
    score = serializers.SerializerMethodField(help_text="Reputation-weighted all-time score")
    vote_count = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The track's page on the site")
    rating_average = serializers.SerializerMethodField(help_text="Average review rating 1–5, null before any review")
    rating_count = serializers.IntegerField(help_text="How many members rated the track")
    detected_bpm = serializers.SerializerMethodField(help_text="Tempo measured from the preview, null until analysed")
    detected_key = serializers.SerializerMethodField(help_text="Key measured from the preview, e.g. 'A minor'")
    loudness_lufs = serializers.SerializerMethodField(help_text="Integrated loudness of the uploaded preview")

    class Meta:
        model = Track
        fields = ["id", "title", "artist", "genre", "mood", "moods", "bpm", "detected_bpm", "detected_key",
                  "loudness_lufs", "platform", "price", "audio_url", "cover_url", "purchase_url", "score",
                  "vote_count", "created_at", "url", "status", "rating_average", "rating_count", "licence",
                  "youtube_safe", "ai_credits", "content_credentials"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_detected_bpm(self, track):
        return getattr(measured(track), "detected_bpm", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_detected_key(self, track):
        return getattr(measured(track), "key", None) or None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_loudness_lufs(self, track):
        return getattr(measured(track), "loudness_lufs", None)

    @extend_schema_field(serializers.URLField())
    def get_audio_url(self, track):
        return absolute_url(self.context.get("request"), track.audio_url)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_url(self, track):
        return absolute_url(self.context.get("request"), track.cover_url)

    @extend_schema_field(serializers.FloatField(allow_null=True, min_value=1, max_value=5))
    def get_rating_average(self, track):
        return float(track.rating_average) if track.rating_count else None


class TrackCreatedSerializer(TrackSerializer):
    track_id = serializers.IntegerField(source="pk")
    review_reason = serializers.CharField(help_text="Why the upload is held for review ('' when it is live)")

    class Meta(TrackSerializer.Meta):
        fields = ["track_id", *TrackSerializer.Meta.fields, "review_reason"]
        read_only_fields = fields


def run(validator, *args):
    """Call a shared validator and report its django ValidationError as a DRF one."""
    try:
        validator(*args)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


BPM_RANGE = f"BPM must be between {validators.MIN_BPM} and {validators.MAX_BPM}."


class TrackInputSerializer(JsonInput, RightsInputMixin, serializers.Serializer):
    """Upload (POST tracks) and edit (PUT/PATCH tracks/<id>) input; the brief's upload bot payload fits."""

    title = serializers.CharField(max_length=200)
    artist = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                   help_text="Defaults to your display name")
    genre = serializers.ChoiceField(choices=GENRES)
    mood = serializers.ChoiceField(choices=MOODS, required=False, help_text="The primary mood")
    moods = serializers.ListField(child=serializers.ChoiceField(choices=MOODS), required=False, max_length=5,
                                  help_text="Further moods")
    platform = serializers.CharField(max_length=60, help_text="Platform name or slug, e.g. 'Suno AI' or 'suno-ai'")
    audio_url = serializers.URLField(max_length=500, help_text="https URL of a preview the browser can play")
    purchase_url = serializers.URLField(max_length=500, help_text="https URL on the platform's own domain")
    price = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, default="1.99",
                                     help_text="0.50 to 999.99 US dollars")
    bpm = serializers.IntegerField(
        required=False, allow_null=True, min_value=validators.MIN_BPM, max_value=validators.MAX_BPM,
        error_messages={"min_value": BPM_RANGE, "max_value": BPM_RANGE}, help_text="Tempo, 20 to 300",
    )
    duration = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=86400,
                                        help_text="Full length in seconds")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)

    def validate_platform(self, value):
        value = value.strip()
        platform = Platform.objects.filter(Q(name__iexact=value) | Q(slug__iexact=value)).first()
        if platform is None:
            names = ", ".join(Platform.objects.order_by("name").values_list("name", flat=True))
            raise serializers.ValidationError(f"Unknown platform '{value}'. Choose one of: {names}.")
        return platform

    def validate_audio_url(self, value):
        run(validators.validate_https_url, value)
        return value

    def validate_price(self, value):
        run(validators.validate_price, value)
        return value

    def validate_bpm(self, value):
        run(validators.validate_bpm, value)
        return value

    def validate(self, attrs):
        track = self.instance
        platform = attrs.get("platform") or (track.platform if track else None)
        if "purchase_url" in attrs or "platform" in attrs:
            url = attrs.get("purchase_url") or (track.purchase_url if track else "")
            try:
                validators.validate_purchase_url(url, platform)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"purchase_url": exc.messages}) from None
        rights = rights_data(attrs)
        data = {name: value for name, value in attrs.items()
                if name not in ("mood", "moods", "audio_url", "ai_credits")} | rights
        if "mood" in attrs or "moods" in attrs:
            primary = attrs.get("mood") or (attrs.get("moods") or [None])[0]
            rest = attrs["moods"] if "moods" in attrs else (track.moods if track else [])
            data["moods"] = list(dict.fromkeys([m for m in [primary, *rest] if m]))
        if "audio_url" in attrs:
            data["preview_url"] = attrs["audio_url"]
        return data


class ToolSerializer(VotedOnMixin, serializers.ModelSerializer):
    website = serializers.CharField(help_text="The tool's own site (may be empty)")
    score = serializers.SerializerMethodField()
    vote_count = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = ["id", "name", "slug", "company", "website", "tagline", "description", "score", "vote_count", "url"]
        read_only_fields = fields

