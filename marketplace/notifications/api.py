"""`GET me/notifications` and `POST me/notifications/read`: the centre for API keys."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import HasScope
from aimusicstore import params
from aimusicstore.paging import Pagination
from marketplace.notifications import selectors, services
from marketplace.notifications.serializers import MarkReadSerializer, NotificationSerializer

Unread = inline_serializer("NotificationsRead", {"marked": serializers.IntegerField(),
                                                 "unread": serializers.IntegerField()})


class NotificationPagination(Pagination):
    items_key = "notifications"

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread"] = selectors.unread_count(self.request.user)
        return response

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["required"].append("unread")
        shape["properties"]["unread"] = {"type": "integer"}
        return shape


class MyNotificationsView(generics.ListAPIView):
    """Your notifications, newest first, with how many are unread."""

    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    permission_classes = [HasScope, permissions.IsAuthenticated]

    def get_queryset(self):
        queryset = selectors.centre(self.request.user)
        if params.query_value(self.request, "unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(summary="Your notifications",
                   parameters=[OpenApiParameter("unread", bool, description="Only unread ones")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MarkNotificationsReadView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="Mark notifications read (all of them without `ids`)", request=MarkReadSerializer,
                   responses=Unread)
    def post(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.mark_read(request.user, data.validated_data.get("ids"))
        return Response({"marked": marked, "unread": selectors.unread_count(request.user)})
