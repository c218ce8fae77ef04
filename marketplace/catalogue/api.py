"""The catalogue API: tracks (list, upload, read, edit, delete), tools, and the staff's moderation view."""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response

from accounts.permissions import HasVerifiedEmail
from accounts.scopes import HasScope
from aimusicstore.conditional import set_last_modified
from aimusicstore.pagecache import cache_api_read
from aimusicstore.paging import Pagination
from marketplace.catalogue import services
from marketplace.catalogue.serializers import (
    MOOD_PARAM,
    ToolSerializer,
    TrackCreatedSerializer,
    TrackInputSerializer,
    TrackSerializer,
)
from marketplace.discovery.filters import TrackFilter
from marketplace.models import Tool, Track
from marketplace.supply import services as supply


def publish_from_input(user, raw):
    """Validate an upload as POST /api/v1/tracks does and publish it; the track, ready to serialise.

    The REST view and the MCP server's upload_track both publish through here."""
    data = TrackInputSerializer(data=raw)
    data.is_valid(raise_exception=True)
    try:
        track = services.publish_track(user, data.validated_data)
    except supply.UploadRateLimited as limited:
        raise exceptions.Throttled(wait=limited.retry_after, detail=limited.messages[0],
                                   code="upload_rate_limited") from None
    return Track.objects.for_listing().get(pk=track.pk)

class ToolPagination(Pagination):
    items_key = "tools"


class IsOwnerOrReadOnly(permissions.BasePermission):
    message = "Only the track's creator can change it."

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.creator_id == getattr(request.user, "pk", None)


class TrackListView(generics.ListCreateAPIView):
    """GET: published tracks, filtered like /browse/. POST: upload a track (key required)."""

    queryset = Track.objects.published().for_listing()
    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    pagination_class = Pagination
    permission_classes = [HasScope, permissions.IsAuthenticatedOrReadOnly, HasVerifiedEmail]

    @extend_schema(summary="Browse tracks (the filters of /browse/)", parameters=[MOOD_PARAM])
    @cache_api_read()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Upload a track", request=TrackInputSerializer, responses={201: TrackCreatedSerializer})
    def post(self, request, *args, **kwargs):
        track = publish_from_input(request.user, request.data)
        return Response(TrackCreatedSerializer(track, context={"request": request}).data,
                        status=status.HTTP_201_CREATED,
                        headers={"Location": request.build_absolute_uri(reverse("api-track", args=[track.pk]))})


class TrackDetailView(generics.RetrieveUpdateDestroyAPIView):
    """A track; only its creator may edit or delete it (delete = removed from the store)."""

    serializer_class = TrackSerializer
    permission_classes = [HasScope, permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]

    def get_queryset(self):
        return Track.objects.visible_to(self.request.user).for_listing()

    @extend_schema(summary="A track")
    def get(self, request, *args, **kwargs):
        track = self.get_object()
        response = Response(self.get_serializer(track).data)
        # Its details or its score, whichever changed last (the ETag covers everything else).
        score = getattr(track, "score", None)
        changed = max(filter(None, [track.updated_at, getattr(score, "updated_at", None)]))
        return set_last_modified(response, changed)

    @extend_schema(summary="Replace a track's details (owner only)", request=TrackInputSerializer,
                   responses=TrackSerializer)
    def put(self, request, *args, **kwargs):
        return self.edit(request, partial=False)

    @extend_schema(summary="Change some of a track's details (owner only)", request=TrackInputSerializer,
                   responses=TrackSerializer)
    def patch(self, request, *args, **kwargs):
        return self.edit(request, partial=True)

    def edit(self, request, partial):
        track = self.get_object()
        data = TrackInputSerializer(track, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_track(track, data.validated_data)
        track = Track.objects.for_listing().get(pk=track.pk)
        return Response(TrackSerializer(track, context={"request": request}).data)

    @extend_schema(summary="Remove a track from the store (owner only)")
    def delete(self, request, *args, **kwargs):
        services.remove_track(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ToolListView(generics.ListAPIView):
    queryset = Tool.objects.select_related("score").order_by("name")
    serializer_class = ToolSerializer
    pagination_class = ToolPagination
    filter_backends = []

    @extend_schema(summary="AI music tools")
    @cache_api_read()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ToolDetailView(generics.RetrieveAPIView):
    queryset = Tool.objects.select_related("score")
    serializer_class = ToolSerializer

    @extend_schema(summary="An AI music tool")
    @cache_api_read()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AdminTrackFilter(TrackFilter):
    status = django_filters.ChoiceFilter(choices=Track.Status.choices)


class AdminTrackListView(generics.ListAPIView):
    """Every track, whatever its status, for moderation (staff keys only)."""

    queryset = Track.objects.for_listing()
    serializer_class = TrackSerializer
    filterset_class = AdminTrackFilter
    pagination_class = Pagination
    permission_classes = [HasScope, permissions.IsAdminUser]

    @extend_schema(summary="All tracks, any status (staff)", parameters=[MOOD_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AdminTrackDeleteView(generics.DestroyAPIView):
    queryset = Track.objects.all()
    permission_classes = [HasScope, permissions.IsAdminUser]

    @extend_schema(summary="Take a track down (hidden by moderation; staff)", responses={204: None})
    def delete(self, request, *args, **kwargs):
        from marketplace.moderation import services as moderation

        # Through moderation, so the creator is told (and may appeal) and the action is recorded.
        reason = request.query_params.get("reason", "").strip() or "Taken down by staff."
        moderation.hide(self.get_object(), reason, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
