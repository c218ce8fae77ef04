"""/api/v1/webhooks…: a member's endpoints, their delivery log, and redelivery.

Scopes (accounts/scopes.py): reading webhooks and their log needs `read`; creating, changing,
deleting, rotating a secret and redelivering need `write`. Subscribing to `sale.recorded` or
`payout.updated` also needs `analytics` (the scope for earnings), and without it a delivery log
shows those deliveries' status but not their body. A signed-in session holds every scope.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasVerifiedEmail
from accounts.scopes import HasScope, Scope, caller_allows
from aimusicstore.paging import Pagination
from marketplace.webhooks import services
from marketplace.webhooks.models import Webhook, WebhookDelivery
from marketplace.webhooks.serializers import (
    MONEY_EVENTS,
    DeliverySerializer,
    WebhookChangeSerializer,
    WebhookCreatedSerializer,
    WebhookInputSerializer,
    WebhookSerializer,
)

# Reads need the key's `read` scope, everything else `write` (HasScope's default rule).
PERMISSIONS = [HasScope, permissions.IsAuthenticated, HasVerifiedEmail]


def _check_money_scope(request, events):
    if set(events or ()) & MONEY_EVENTS and not caller_allows(request.auth, Scope.ANALYTICS):
        raise exceptions.PermissionDenied(
            "sale.recorded and payout.updated carry your earnings: they need a key with the 'analytics' scope.",
            code="scope_missing")


class WebhookPagination(Pagination):
    items_key = "webhooks"


class DeliveryPagination(Pagination):
    items_key = "deliveries"


def _own_webhook(request, pk):
    return get_object_or_404(Webhook.objects.filter(user=request.user), pk=pk)


class WebhookListView(generics.ListAPIView):
    """GET: your webhooks, newest first. POST: a new one (its signing secret is in this answer only)."""

    serializer_class = WebhookSerializer
    pagination_class = WebhookPagination
    permission_classes = PERMISSIONS
    filter_backends = []

    def get_queryset(self):
        return Webhook.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(summary="Your webhooks")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Create a webhook (201, with its secret, shown once)", request=WebhookInputSerializer,
                   responses={201: WebhookCreatedSerializer})
    def post(self, request):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _check_money_scope(request, data.validated_data["events"])
        webhook = services.create_webhook(request.user, **data.validated_data)
        response = Response(WebhookCreatedSerializer(webhook).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"/api/v1/webhooks/{webhook.pk}")
        return response


class WebhookDetailView(APIView):
    """One of your webhooks: read, change (PATCH; `active: true` turns a disabled one back on), delete."""

    permission_classes = PERMISSIONS

    @extend_schema(summary="A webhook", responses=WebhookSerializer)
    def get(self, request, pk):
        return Response(WebhookSerializer(_own_webhook(request, pk)).data)

    @extend_schema(summary="Change a webhook", request=WebhookChangeSerializer, responses=WebhookSerializer)
    def patch(self, request, pk):
        webhook = _own_webhook(request, pk)
        data = WebhookChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _check_money_scope(request, data.validated_data.get("events"))
        webhook = services.update_webhook(webhook, **data.validated_data)
        return Response(WebhookSerializer(webhook).data)

    @extend_schema(summary="Delete a webhook and its delivery log", responses={204: None})
    def delete(self, request, pk):
        services.delete_webhook(_own_webhook(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSecretView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(summary="Rotate a webhook's signing secret (the new one is shown once)", request=None,
                   responses=WebhookCreatedSerializer)
    def post(self, request, pk):
        webhook = services.rotate_secret(_own_webhook(request, pk))
        return Response(WebhookCreatedSerializer(webhook).data)


class DeliveryListView(generics.ListAPIView):
    """What was sent to one of your webhooks, newest first: status, attempts, the last answer, the body."""

    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination
    permission_classes = PERMISSIONS
    filter_backends = []

    def get_queryset(self):
        webhook = _own_webhook(self.request, self.kwargs["pk"])
        return WebhookDelivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_money": caller_allows(self.request.auth, Scope.ANALYTICS)}

    @extend_schema(summary="A webhook's delivery log")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RedeliverView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(summary="Send a logged delivery again now (202: the new delivery, same event id)", request=None,
                   responses={202: DeliverySerializer})
    def post(self, request, pk, delivery_id):
        webhook = _own_webhook(request, pk)
        delivery = get_object_or_404(WebhookDelivery.objects.filter(webhook=webhook), pk=delivery_id)
        if delivery.event in MONEY_EVENTS:
            _check_money_scope(request, [delivery.event])
        if not webhook.is_active:
            raise exceptions.PermissionDenied(
                'This webhook is turned off; turn it back on (PATCH {"active": true}) first.', code="webhook_disabled")
        again = services.redeliver(delivery)
        context = {"sees_money": caller_allows(request.auth, Scope.ANALYTICS)}
        return Response(DeliverySerializer(again, context=context).data, status=status.HTTP_202_ACCEPTED)
