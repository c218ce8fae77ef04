"""Input and output of the accounts API: sign-up, login, agents."""

from rest_framework import serializers

from accounts.models import Agent, ApiKey
from aimusicstore.strict import JsonInput


def password_min_length():
    """The length Django's MinimumLengthValidator asks for (AUTH_PASSWORD_VALIDATORS), so the schema says it."""
    from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators

    lengths = [v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    return max(lengths, default=None)


class RegisterSerializer(JsonInput, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    # The other validators (not too common, not all digits, not like the email) answer 400 naming `password`.
    password = serializers.CharField(min_length=password_min_length(), max_length=128, write_only=True,
                                     trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=80, required=False, allow_blank=True, help_text="Display name")


class RegisteredSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()


class LoginSerializer(JsonInput, serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False,
                                     style={"input_type": "password"})
    code = serializers.CharField(max_length=12, required=False, allow_blank=True, write_only=True,
                                 help_text="The authenticator app's current code, for accounts with two-factor "
                                           "(every staff account)")


class LoginKeySerializer(serializers.Serializer):
    api_key = serializers.CharField(help_text="Shown once; send it as `Authorization: Bearer <api_key>`")
    expires_at = serializers.DateTimeField()


class AgentRegisterSerializer(JsonInput, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AgentCreatedSerializer(serializers.Serializer):
    agent_id = serializers.IntegerField()
    name = serializers.CharField()
    api_key = serializers.CharField(help_text="The agent's key, shown once")
    tier = serializers.ChoiceField(choices=["starter", "pro", "enterprise"])


class RateLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    period_seconds = serializers.IntegerField()
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()
    reset = serializers.IntegerField(help_text="Unix time the current window ends")


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    handle = serializers.CharField()
    name = serializers.CharField()


class AgentSerializer(serializers.ModelSerializer):
    agent_id = serializers.IntegerField(source="pk")
    owner = serializers.SerializerMethodField()
    user_id = serializers.IntegerField()

    class Meta:
        model = Agent
        fields = ["agent_id", "user_id", "name", "description", "owner", "created_at"]

    def get_owner(self, agent) -> OwnerSerializer:
        return {"id": agent.owner_id, "handle": agent.owner.handle, "name": agent.owner.name}


class AgentMeSerializer(AgentSerializer):
    tier = serializers.CharField()
    limits = serializers.DictField(child=RateLimitSerializer(), help_text="read, write and vote limits")
    votes_cast = serializers.IntegerField()
    tracks_uploaded = serializers.IntegerField()
    reputation = serializers.FloatField()

    class Meta(AgentSerializer.Meta):
        fields = [*AgentSerializer.Meta.fields, "tier", "limits", "votes_cast", "tracks_uploaded", "reputation"]


SCOPE_CHOICES = [scope.value for scope in ApiKey.Scope]


class ApiKeySerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=SCOPE_CHOICES))
    tier = serializers.ChoiceField(choices=ApiKey.Tier.values)
    usable = serializers.BooleanField(source="is_usable")

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "tier", "scopes", "created_at", "last_used", "expires_at", "revoked_at",
                  "usable"]


class ApiKeyCreatedSerializer(ApiKeySerializer):
    api_key = serializers.CharField(help_text="The new key, shown once: send it as `Authorization: Bearer <api_key>`")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "api_key"]


class ApiKeyInputSerializer(JsonInput, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=SCOPE_CHOICES), min_length=1, max_length=len(SCOPE_CHOICES),
        required=False, help_text="What the key may do; by default every scope of the key you call with. "
                                  "read: the catalogue and your data; write: publish and edit; vote: vote; "
                                  "analytics: your analytics and earnings.",
    )
    expires_in_days = serializers.IntegerField(min_value=1, max_value=365, required=False,
                                               help_text="Days until it stops working; no expiry when absent")
