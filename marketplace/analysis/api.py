"""The API of measured audio: tracks that sound like a given one (the track page's similar list)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import HasScope
from aimusicstore.pagecache import cache_api_read
from marketplace.catalogue.serializers import TrackSerializer
from marketplace.discovery import selectors
from marketplace.models import Track


class SimilarTracksView(APIView):
    """GET tracks/<id>/similar: the track page's similar tracks (metadata blended with sound)."""

    permission_classes = [HasScope, permissions.AllowAny]

    @extend_schema(
        summary="Tracks similar to this one, by sound and by metadata",
        responses=inline_serializer("SimilarTracks", {"tracks": TrackSerializer(many=True)}),
    )
    @cache_api_read()
    def get(self, request, pk):
        track = get_object_or_404(Track.objects.published().select_related("similar_list"), pk=pk)
        similar = selectors.similar_tracks(track, limit=12)
        return Response({"tracks": TrackSerializer(similar, many=True, context={"request": request}).data})
