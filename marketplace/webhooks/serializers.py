"""The API's webhook and delivery objects, and the webhook input."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aimusicstore.strict import JsonInput
from marketplace.webhooks.models import Webhook, WebhookDelivery

MONEY_EVENTS = {Webhook.Event.SALE_RECORDED, Webhook.Event.PAYOUT_UPDATED}


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=Webhook.Event.choices))
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "description", "active", "disabled_at", "disabled_reason",
                  "failure_streak", "created_at"]
        read_only_fields = fields


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="Signs every delivery (X-Signature). Shown only now: keep it.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookInputSerializer(JsonInput, serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="An https URL on a public host; we POST each event here")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Webhook.Event.choices), min_length=1, max_length=len(Webhook.Event),
        help_text="The events to receive; sale.recorded and payout.updated need a key with the analytics scope")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WebhookChangeSerializer(JsonInput, serializers.Serializer):
    """PATCH: any of the fields, each optional."""

    url = serializers.URLField(max_length=500, required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=Webhook.Event.choices), min_length=1,
                                   max_length=len(Webhook.Event), required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, help_text="true turns a disabled webhook back on")


class DeliverySerializer(serializers.ModelSerializer):
    payload = serializers.SerializerMethodField(
        help_text="The JSON body sent; null for sales and payouts unless the key has the analytics scope")

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event", "status", "attempts", "created_at", "last_attempt_at",
                  "next_attempt_at", "delivered_at", "response_status", "response_body", "error", "duration_ms",
                  "redelivery_of", "payload"]
        read_only_fields = fields

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_payload(self, delivery):
        if delivery.event in MONEY_EVENTS and not self.context.get("sees_money", True):
            return None
        return delivery.payload
