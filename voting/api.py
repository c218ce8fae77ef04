"""Agent API of the voting app: POST /api/v1/votes and a user's reputation for staff."""

from django.db import connection
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyAuthentication
from accounts.models import User
from accounts.permissions import HasVerifiedEmail
from accounts.scopes import HasScope
from aimusicstore import throttles
from aimusicstore.strict import JsonInput
from voting import services, weights
from voting.models import ReputationEvent
from voting.ratelimit import RateLimited

TARGETS = ["tool", "track"]


class VoteSerializer(JsonInput, serializers.Serializer):
    target_id = serializers.IntegerField(min_value=1)
    target_type = serializers.ChoiceField(choices=TARGETS)
    vote = serializers.ChoiceField(choices=[1, -1, 0])

    def validate(self, data):
        # Looked up by cast_vote's own query, which refuses a target that is not there (vote_refusal() below).
        data["target"] = services.vote_target(data["target_type"], data["target_id"])
        return data


VoteAnswer = inline_serializer("VoteAnswer", {
    "target_id": serializers.IntegerField(), "target_type": serializers.ChoiceField(choices=TARGETS),
    "vote": serializers.ChoiceField(choices=[1, -1, 0], help_text="Your vote now (0: none)"),
    "weight": serializers.FloatField(help_text="What your vote counts for (0 to 1): earned by listening, "
                                               "account age and trust; 0 when your family already voted"),
    "score": serializers.FloatField(help_text="The target's weighted score after this vote"),
    "upvotes": serializers.IntegerField(), "downvotes": serializers.IntegerField(),
    "vote_count": serializers.IntegerField(),
})
ReputationAnswer = inline_serializer("Reputation", {
    "user_id": serializers.IntegerField(),
    "principal_id": serializers.IntegerField(help_text="The person an agent belongs to (the user when a person)"),
    "reputation": serializers.FloatField(), "weight": serializers.FloatField(), "verified": serializers.BooleanField(),
    "events": inline_serializer("ReputationEvent", {
        "delta": serializers.FloatField(), "reason": serializers.CharField(), "source": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
    }, many=True),
})


class VoteRefusedError(exceptions.PermissionDenied):
    """A vote the rules forbid (own work): 403 with the rule's message."""


class VoteRateLimited(exceptions.Throttled):
    default_code = "rate_limited"


def vote_refusal(refused):
    """The API's answer to a vote the rules refuse: 403 for one's own work; 404 (aimusicstore.api.RULE_STATUSES)
    for a well-formed target that names nothing there is to vote on; a 400 naming the field otherwise."""
    if refused.code == "self_vote":
        return VoteRefusedError(refused.message, refused.code)
    return serializers.ValidationError({refused.field or "vote": [refused.message]},
                                       code="not_found" if refused.code == "not_found" else None)


def report_rate(request, voter_window):
    """X-RateLimit-* describe whichever limit is closer to refusing: the key's vote bucket or the voter's own
    (REST's POST votes and the MCP tool vote alike)."""
    request = getattr(request, "_request", request)
    key_window = getattr(request, "rate_limit", None)
    if voter_window and (key_window is None or voter_window["remaining"] < key_window["remaining"]):
        request.rate_limit = voter_window


class VoteView(APIView):
    """Cast, change (1 or -1) or withdraw (0) the caller's vote on a track or tool."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope, permissions.IsAuthenticated, HasVerifiedEmail]
    required_scope = "vote"
    throttle_kind = "vote"  # the API-wide per-key throttle's vote bucket; per-voter limits are in cast_vote

    @extend_schema(
        summary="Vote on a track or tool (1 up, -1 down, 0 withdraw)", request=VoteSerializer,
        responses={200: VoteAnswer},
        description="403 `self_vote` for your own or your agents' work (discover never offers it); 429 past "
                    "your own vote limit (a new account: 5 a minute) or your key's, with `Retry-After`. "
                    "The rate limit headers describe whichever of the two is closer to refusing.",
        examples=[
            OpenApiExample("Upvote a track", request_only=True,
                           value={"target_id": 42, "target_type": "track", "vote": 1}),
            OpenApiExample("The new score", response_only=True, status_codes=["200"],
                           value={"target_id": 42, "target_type": "track", "vote": 1, "weight": 0.8,
                                  "score": 12.4, "upvotes": 15, "downvotes": 2, "vote_count": 17}),
        ],
    )
    def post(self, request):
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            result = services.cast_vote(request.user, data["target"], data["vote"],
                                        counted=throttles.voter_hits(request))
        except services.VoteRefused as refused:
            raise vote_refusal(refused) from refused
        except RateLimited as limited:
            report_rate(request, limited.state)
            raise VoteRateLimited(wait=limited.retry_after, detail=str(limited)) from limited
        report_rate(request, result.rate)
        return Response(vote_answer(data, result))


def vote_answer(data, result):
    """The answer to a vote (POST votes and the MCP tool `vote`): the vote as counted and the new score."""
    return {
        "target_id": data["target"].pk, "target_type": data["target_type"], "vote": result.value,
        "weight": result.weight, "score": round(result.score, 4), "upvotes": result.upvotes,
        "downvotes": result.downvotes, "vote_count": result.vote_count,
    }


class ReputationView(APIView):
    """A user's reputation, current vote weight and every reputation event (staff keys only)."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope, permissions.IsAuthenticated, permissions.IsAdminUser]

    @extend_schema(summary="A user's reputation and its events (staff)", responses={200: ReputationAnswer})
    def get(self, request, user_id):
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise exceptions.NotFound("No user with this id.")
        principal_id = services.principal_of(user.pk)
        with connection.cursor() as cursor:
            standing = weights.standings(cursor, [user.pk])[principal_id]
        events = ReputationEvent.objects.filter(user_id=principal_id).order_by("-created_at", "-id")[:200]
        return Response({
            "user_id": user.pk, "principal_id": principal_id, "reputation": standing.reputation,
            "weight": weights.weight_for(standing), "verified": standing.verified,
            "events": [
                {"delta": e.delta, "reason": e.reason, "source": e.source, "created_at": e.created_at}
                for e in events
            ],
        })
