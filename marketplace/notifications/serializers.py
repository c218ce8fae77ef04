"""The notification object of `me/notifications` and the input of `me/notifications/read`."""

from rest_framework import serializers

from aimusicstore.strict import JsonInput
from marketplace.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.url) if request and obj.url else obj.url


class MarkReadSerializer(JsonInput, serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500,
                                help_text="The notifications to mark read; all of yours when left out")
