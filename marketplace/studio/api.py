"""The studio's API: `me/tracks` and `me/analytics`, the same reads as /dashboard/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import HasScope
from aimusicstore import params
from aimusicstore.paging import Pagination
from marketplace.catalogue.serializers import MOOD_PARAM, TrackSerializer
from marketplace.discovery.filters import TrackFilter
from marketplace.models import Track
from marketplace.studio.selectors import creator_analytics
from marketplace.studio.serializers import AnalyticsSerializer


class MyTracksView(generics.ListAPIView):
    """Your tracks, whatever their status (except removed), with the filters of /browse/."""

    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    pagination_class = Pagination
    permission_classes = [HasScope, permissions.IsAuthenticated]

    def get_queryset(self):
        return Track.objects.owned_by(self.request.user).for_listing()

    @extend_schema(summary="Your tracks", parameters=[MOOD_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyAnalyticsView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]
    required_scopes = {"GET": "analytics"}

    @extend_schema(
        summary="Your totals and daily figures",
        parameters=[OpenApiParameter("days", {"type": "integer", "minimum": 1, "maximum": 365, "default": 30},
                                    description="1 to 365, default 30")],
        responses=AnalyticsSerializer,
    )
    def get(self, request):
        return Response(creator_analytics(request.user, params.query_value(request, "days")))


def analytics_days(raw):
    """The `days` of me/analytics (and the MCP tool my_analytics): a whole number from 1 to 365."""
    return params.check("days", raw)
