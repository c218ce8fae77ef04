"""The accounts API: sign-up, login (a key), agents and the caller's own tracks and figures."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Agent, User
from accounts.serializers import (
    AgentCreatedSerializer,
    AgentMeSerializer,
    AgentRegisterSerializer,
    AnalyticsSerializer,
    LoginKeySerializer,
    LoginSerializer,
    RegisteredSerializer,
    RegisterSerializer,
)
from aimusicstore import throttles
from aimusicstore.paging import Pagination
from marketplace.catalogue.serializers import MOOD_PARAM, TrackSerializer
from marketplace.discovery.filters import TrackFilter
from marketplace.models import Track
from marketplace.studio.selectors import creator_analytics


class RegisterView(APIView):
    authentication_classes = []

    @extend_schema(summary="Create a creator account", request=RegisterSerializer,
                   responses={201: RegisteredSerializer}, auth=[])
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.register_user(**data.validated_data)
        return Response({"user_id": user.pk}, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    authentication_classes = []

    def get_authenticate_header(self, request):
        return "Bearer"  # a wrong password is a 401, like a wrong key

    @extend_schema(summary="Log in: answers a new API key that expires", request=LoginSerializer,
                   responses=LoginKeySerializer, auth=[])
    def post(self, request):
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.login_user(data.validated_data["email"], data.validated_data["password"])
        if user is None:
            raise exceptions.AuthenticationFailed("Wrong email or password.")
        key, raw = services.issue_login_key(user)
        return Response({"api_key": raw, "expires_at": key.expires_at})


class IsPerson(permissions.BasePermission):
    message = "Agents cannot register agents: use your own (a person's) key."

    def has_permission(self, request, view):
        return request.user.role != User.Role.AGENT


class AgentRegisterView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsPerson]

    @extend_schema(summary="Register an agent you own; its key is shown once", request=AgentRegisterSerializer,
                   responses={201: AgentCreatedSerializer})
    def post(self, request):
        data = AgentRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            agent, key, raw = services.register_agent(request.user, tier=request.auth.tier, **data.validated_data)
        return Response({"agent_id": agent.pk, "name": agent.name, "api_key": raw, "tier": key.tier},
                        status=status.HTTP_201_CREATED)


class AgentMeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="The calling agent: owner, tier, rate limits and usage", responses=AgentMeSerializer)
    def get(self, request):
        agent = Agent.objects.select_related("owner", "user").filter(user=request.user).first()
        if agent is None:
            raise exceptions.NotFound(
                "This key belongs to a person, not an agent. Register one with POST /api/v1/agents/register."
            )
        identity, tier = throttles.caller(request)
        agent.tier = tier
        agent.limits = throttles.usage(identity, tier)
        agent.votes_cast = request.user.votes.count()
        agent.tracks_uploaded = Track.objects.owned_by(request.user).count()
        agent.reputation = request.user.reputation
        return Response(AgentMeSerializer(agent).data)


class MyTracksView(generics.ListAPIView):
    """Your tracks, whatever their status (except removed), with the filters of /browse/."""

    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Track.objects.owned_by(self.request.user).for_listing()

    @extend_schema(summary="Your tracks", parameters=[MOOD_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyAnalyticsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Your totals and daily figures",
        parameters=[OpenApiParameter("days", int, description="1 to 365, default 30")],
        responses=AnalyticsSerializer,
    )
    def get(self, request):
        raw = request.query_params.get("days", "30")
        if not raw.isdigit() or not 1 <= int(raw) <= 365:
            raise exceptions.ValidationError({"days": ["Enter a whole number of days from 1 to 365."]})
        return Response(creator_analytics(request.user, int(raw)))
