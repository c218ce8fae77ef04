"""The API's review object and review input."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aimusicstore.strict import JsonInput
from marketplace.catalogue.serializers import absolute_url
from marketplace.discovery.text import render_markdown
from marketplace.reviews.models import Review


class ReviewAuthorSerializer(serializers.Serializer):
    handle = serializers.CharField()
    name = serializers.CharField()


class ReviewSerializer(serializers.ModelSerializer):
    track_id = serializers.IntegerField()
    author = ReviewAuthorSerializer()
    text_html = serializers.SerializerMethodField(help_text="`text` as limited Markdown, rendered safe")
    verified_buyer = serializers.SerializerMethodField(
        help_text="True when the author's own purchase click on this track became a recorded sale")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "track_id", "author", "rating", "text", "text_html", "verified_buyer", "helpful_count",
                  "created_at", "updated_at", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_text_html(self, review):
        return str(render_markdown(review.text))

    @extend_schema_field(serializers.BooleanField())
    def get_verified_buyer(self, review):
        return bool(getattr(review, "verified_buyer", False))

    @extend_schema_field(serializers.URLField())
    def get_url(self, review):
        return absolute_url(self.context.get("request"), review.get_absolute_url())


class ReviewInputSerializer(JsonInput, serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, help_text="1 to 5 stars")
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                 help_text="Plain text or limited Markdown")


class HelpfulSerializer(JsonInput, serializers.Serializer):
    counted = serializers.BooleanField(help_text="False when you had already marked it helpful")
    helpful_count = serializers.IntegerField()
