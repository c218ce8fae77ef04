"""The accounts API: sign-up, login (a key) and agents. The caller's own tracks and figures are the studio's."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Agent, ApiKey, User
from accounts.permissions import HasVerifiedEmail
from accounts.scopes import HasScope
from accounts.serializers import (
    AgentCreatedSerializer,
    AgentMeSerializer,
    AgentRegisterSerializer,
    ApiKeyCreatedSerializer,
    ApiKeyInputSerializer,
    ApiKeySerializer,
    LoginKeySerializer,
    LoginSerializer,
    RegisteredSerializer,
    RegisterSerializer,
)
from aimusicstore import throttles
from aimusicstore.paging import Pagination
from marketplace.models import Track


class RegisterView(APIView):
    authentication_classes = []

    @extend_schema(summary="Create a creator account", request=RegisterSerializer,
                   responses={201: RegisteredSerializer}, auth=[])
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The same answer for a new and a known address (services.register_user says how).
        user_id = services.register_user(request._request, **data.validated_data)
        return Response({"user_id": user_id}, status=status.HTTP_201_CREATED)


# One answer for a wrong password and for an address not yet verified (services.login_user says why).
WRONG_LOGIN = ("Wrong email or password, or the address is not verified yet: a new account logs in once "
               "the link we emailed has been opened.")

# The longest window of ACCOUNT_RATE_LIMITS["login_failed"] ("5/5m/key"): when a locked account may try again.
LOGIN_LOCKOUT_SECONDS = 300


class LoginView(APIView):
    authentication_classes = []

    def get_authenticate_header(self, request):
        return "Bearer"  # a wrong password is a 401, like a wrong key

    @extend_schema(summary="Log in: answers a new API key that expires", request=LoginSerializer,
                   responses=LoginKeySerializer, auth=[])
    def post(self, request):
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.login_user(request._request, data.validated_data["email"],
                                       data.validated_data["password"])
            if user is None:
                raise exceptions.AuthenticationFailed(WRONG_LOGIN)
            services.check_second_factor(user, data.validated_data.get("code", ""))
        except services.LoginLocked:
            raise exceptions.Throttled(wait=LOGIN_LOCKOUT_SECONDS, detail=(
                "Too many wrong passwords for this account or from this address: try again later, "
                "or reset your password.")) from None
        except services.SecondFactorRequired as refused:
            raise exceptions.AuthenticationFailed(str(refused), code="two_factor_required") from None
        key, raw = services.issue_login_key(user)
        return Response({"api_key": raw, "expires_at": key.expires_at})


class KeyPagination(Pagination):
    items_key = "keys"


class KeyListView(generics.ListAPIView):
    """Your API keys (and your agents'): list them, or make a new one narrowed to some scopes."""

    serializer_class = ApiKeySerializer
    pagination_class = KeyPagination
    permission_classes = [HasScope, permissions.IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        return services.own_keys(self.request.user)

    @extend_schema(summary="Your API keys and your agents' (never the keys themselves)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Make a key, shown once; never with a scope the calling key lacks",
        request=ApiKeyInputSerializer, responses={201: ApiKeyCreatedSerializer},
        examples=[OpenApiExample("A read-only key", request_only=True,
                                 value={"name": "dashboard reader", "scopes": ["read"], "expires_in_days": 90})],
    )
    def post(self, request, *args, **kwargs):
        data = ApiKeyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        days = data.validated_data.get("expires_in_days")
        try:
            key, raw = services.create_key(
                request.user, data.validated_data["name"], scopes=data.validated_data.get("scopes"),
                expires_at=timezone.now() + timedelta(days=days) if days else None,
                granted_by=request.auth if isinstance(request.auth, ApiKey) else None,
            )
        except services.ScopesTooWide as wider:
            raise exceptions.PermissionDenied(str(wider), code="scope_too_wide") from None
        return _key_created(request, key, raw)


def _key_created(request, key, raw):
    key.api_key = raw
    response = Response(ApiKeyCreatedSerializer(key).data, status=status.HTTP_201_CREATED)
    response["Location"] = request.build_absolute_uri(reverse("api-key", args=[key.pk]))
    return response


class KeyDetailView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="One of your keys", responses=ApiKeySerializer)
    def get(self, request, pk):
        key = services.own_keys(request.user).filter(pk=pk).first()
        if key is None:
            raise exceptions.NotFound("You have no key with this id.")
        return Response(ApiKeySerializer(key).data)

    @extend_schema(summary="Revoke a key: requests with it get 401 at once", responses={204: None})
    def delete(self, request, pk):
        if not services.revoke_key(request.user, pk):
            raise exceptions.NotFound("You have no usable key with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class KeyRotateView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]
    required_scope = "read"  # any key may rotate itself; never one wider than itself (rotate_key)

    @extend_schema(summary="Rotate a key: a new one (shown once) with the same name, tier and scopes; "
                           "the old one stops working at once", request=None,
                   responses={201: ApiKeyCreatedSerializer})
    def post(self, request, pk):
        try:
            rotated = services.rotate_key(request.user, pk,
                                          granted_by=request.auth if isinstance(request.auth, ApiKey) else None)
        except services.ScopesTooWide as wider:
            raise exceptions.PermissionDenied(str(wider), code="scope_too_wide") from None
        if rotated is None:
            raise exceptions.NotFound("You have no usable key with this id.")
        return _key_created(request, *rotated)


class IsPerson(permissions.BasePermission):
    message = "Agents cannot register agents: use your own (a person's) key."

    def has_permission(self, request, view):
        return request.user.role != User.Role.AGENT


class AgentRegisterView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated, IsPerson, HasVerifiedEmail]

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
    permission_classes = [HasScope, permissions.IsAuthenticated]

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
