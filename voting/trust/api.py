"""GET /api/v1/tracks/<id>/preview: an agent's way to fetch a preview, and its listening proof."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyAuthentication
from accounts.scopes import HasScope
from marketplace.catalogue.serializers import absolute_url
from marketplace.models import Track
from voting.trust.services import record_listen
from voting.weights import LISTEN_SECONDS


class PreviewView(APIView):
    """The track's preview URL for the caller to fetch; fetching it this way is the caller's listening proof,
    so the caller's vote on the track then carries its full weight."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="A track's preview URL; fetching it this way counts as listening",
                   responses={200: inline_serializer("Preview", {
                       "track_id": serializers.IntegerField(), "audio_url": serializers.URLField(),
                       "listened": serializers.BooleanField(help_text="Recorded as your listen to this track"),
                   })})
    def get(self, request, pk):
        track = Track.objects.published().filter(pk=pk).first()
        if track is None:
            raise exceptions.NotFound(f"No published track with id {pk}.")
        seconds = max(float(track.preview_duration or 0), float(LISTEN_SECONDS))
        listened = record_listen(request.user, track, seconds, source="api")
        return Response({"track_id": track.pk, "audio_url": absolute_url(request, track.audio_url),
                         "listened": listened})
