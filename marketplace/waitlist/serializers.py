"""The waitlist API's input."""

from rest_framework import serializers

from aimusicstore.strict import JsonInput
from marketplace.models import WaitlistEntry


class WaitlistInputSerializer(JsonInput, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    interest = serializers.ChoiceField(choices=WaitlistEntry.Interest.choices, required=False,
                                       default=WaitlistEntry.Interest.BUYER)
