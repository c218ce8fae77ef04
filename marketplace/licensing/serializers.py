"""The track object's rights fields (output) and the upload/edit input for them (CONTRACT.md shapes)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from marketplace.licensing import selectors, services
from marketplace.licensing.models import CREDIT_PARTS, CREDIT_VALUES, USE_CODES

LicenceObject = inline_serializer("Licence", {
    "code": serializers.CharField(), "name": serializers.CharField(),
    "uses": inline_serializer("LicenceUses", {use: serializers.BooleanField() for use in USE_CODES}),
    "attribution_required": serializers.BooleanField(), "url": serializers.URLField(),
})
AiCreditsObject = inline_serializer("AiCredits", {
    **{part: serializers.ChoiceField(choices=CREDIT_VALUES) for part in CREDIT_PARTS},
    "tool": serializers.CharField(allow_null=True), "model_version": serializers.CharField(),
    "human_contribution": serializers.CharField(),
    "summary": serializers.ChoiceField(choices=["ai-native", "human-assisted"], allow_null=True),
})
CREDIT_EXTRAS = {"tool", "model_version", "human_contribution", "summary"}
NO_NUL = "^[^\\x00]*$"  # PostgreSQL text (and jsonb) cannot hold a NUL character
# What validate_ai_credits accepts, as the schema shows it (the track object's `ai_credits` can be sent back).
AI_CREDITS_INPUT = {
    "type": "object", "additionalProperties": False,
    "properties": {
        **{part: {"type": "string", "enum": CREDIT_VALUES} for part in CREDIT_PARTS},
        "model_version": {"type": "string", "maxLength": 60, "pattern": NO_NUL},
        "human_contribution": {"type": "string", "maxLength": 500, "pattern": NO_NUL},
        "tool": {"type": "string", "nullable": True, "maxLength": 200, "pattern": NO_NUL,
                 "description": "A tool's name or slug, as GET tools lists them"},
        "summary": {"description": "Ignored: the summary is worked out from the parts"},
    },
    "example": {"vocals": "ai", "composition": "human", "model_version": "v4"},
}


@extend_schema_field(AI_CREDITS_INPUT)
class AiCreditsField(serializers.JSONField):
    """`ai_credits` on upload and edit: an object (see AI_CREDITS_INPUT), checked by validate_ai_credits."""


class RightsFieldsMixin(serializers.Serializer):
    """`licence`, `youtube_safe`, `ai_credits`, `content_credentials` on the API's track object."""

    licence = serializers.SerializerMethodField()
    youtube_safe = serializers.BooleanField(read_only=True, help_text="Attested not in content ID, no upheld claim")
    ai_credits = serializers.SerializerMethodField()
    content_credentials = serializers.SerializerMethodField(help_text="C2PA: present/valid/invalid/absent")

    def _absolute(self, url):
        from marketplace.catalogue.serializers import absolute_url

        return absolute_url(self.context.get("request"), url)

    @extend_schema_field(LicenceObject)
    def get_licence(self, track):
        return selectors.licence_json(track.licence, self._absolute)

    @extend_schema_field(AiCreditsObject)
    def get_ai_credits(self, track):
        return selectors.ai_credits_json(track)

    @extend_schema_field(serializers.ChoiceField(choices=["present", "valid", "invalid", "absent"]))
    def get_content_credentials(self, track):
        return selectors.content_credentials_status(track)


class RightsInputMixin(serializers.Serializer):
    """Optional on upload and edit: without them the brief's upload bot gets the defaults."""

    licence = serializers.CharField(required=False, max_length=40, help_text="A licence code, e.g. 'creator'")
    licence_attestation = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                                help_text='e.g. "made on a paid Suno plan"')
    youtube_safe = serializers.BooleanField(required=False, source="youtube_safe_attested",
                                            help_text="You attest the track is not registered with content ID")
    ai_credits = AiCreditsField(required=False, help_text="{part: ai/human/mixed/none, model_version, "
                                                                 "human_contribution, tool}")

    def validate_licence(self, value):
        try:
            return services.licence_by_code(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_ai_credits(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Give an object of part: value, e.g. {\"vocals\": \"ai\"}.")
        parts = {k: v for k, v in value.items() if k not in CREDIT_EXTRAS}
        try:
            cleaned = {"credits": services.clean_credits(parts)}
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        for name, limit in (("model_version", 60), ("human_contribution", 500)):
            text = value.get(name, "")
            if not isinstance(text, str) or len(text) > limit or "\x00" in text:
                raise serializers.ValidationError(f"'{name}' must be text of at most {limit} characters.")
            cleaned[name] = text
        tool = value.get("tool")
        if tool is not None and (not isinstance(tool, str) or len(tool) > 200 or "\x00" in tool):
            raise serializers.ValidationError("'tool' must be a tool's name or slug.")
        if tool:
            from marketplace.models import Tool

            found = Tool.objects.filter(Q(name__iexact=str(tool)) | Q(slug__iexact=str(tool))).first()
            if found is None:
                raise serializers.ValidationError(f"Unknown tool '{tool}'.")
            cleaned["tool"] = found
        return cleaned


def rights_data(attrs):
    """Turn validated rights input into Track field values (for catalogue.services' TRACK_FIELDS)."""
    data = {}
    for name in ("licence", "licence_attestation", "youtube_safe_attested"):
        if name in attrs:
            data[name] = attrs[name]
    credits = attrs.get("ai_credits")
    if credits is not None:
        data["ai_credits"] = credits["credits"]
        for name in ("model_version", "human_contribution"):
            if name in credits:
                data["ai_model_version" if name == "model_version" else name] = credits[name]
        if "tool" in credits:
            data["tool"] = credits["tool"]
    return data


class ReceiptSerializer(serializers.Serializer):
    """A buyer's receipt in `GET me/purchases`: the sale and the licence terms as they were then."""

    id = serializers.IntegerField()
    order_id = serializers.CharField()
    track_id = serializers.IntegerField()
    track_title = serializers.CharField()
    creator_name = serializers.CharField()
    platform = serializers.CharField(source="platform_name")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()
    purchased_at = serializers.DateTimeField()
    licence = serializers.JSONField(
        source="licence_terms", help_text="code, name, summary, uses, attribution_required, territory, term"
    )
    receipt_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_receipt_url(self, receipt):
        from marketplace.catalogue.serializers import absolute_url

        return absolute_url(self.context.get("request"), receipt.get_absolute_url())
