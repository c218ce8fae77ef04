"""The playlists API: list and create, read/edit/delete one, add/move and remove its tracks.

A private playlist is a 404 to everyone but its owner; a public one is readable without a key.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import HasScope
from aimusicstore.paging import Pagination
from marketplace.models import Track
from marketplace.playlists import selectors, services
from marketplace.playlists.models import Playlist
from marketplace.playlists.serializers import (
    PlaylistDetailSerializer,
    PlaylistInputSerializer,
    PlaylistSerializer,
    PlaylistTrackInputSerializer,
)


class PlaylistPagination(Pagination):
    items_key = "playlists"


def _detail(request, pk, status_code=status.HTTP_200_OK):
    playlist = selectors.with_items(selectors.playlists_for(request.user)).get(pk=pk)
    return Response(PlaylistDetailSerializer(playlist, context={"request": request}).data, status=status_code)


def _visible(request, pk):
    return get_object_or_404(Playlist.objects.visible_to(request.user), pk=pk)


def _own(request, pk):
    playlist = _visible(request, pk)
    if playlist.owner_id != request.user.pk:
        raise PermissionDenied("Only the playlist's owner can change it.")
    return playlist


class PlaylistListView(generics.ListAPIView):
    """GET: public playlists and your own. POST: create one (key required)."""

    serializer_class = PlaylistSerializer
    pagination_class = PlaylistPagination
    permission_classes = [HasScope, permissions.IsAuthenticatedOrReadOnly]
    filter_backends = []

    def get_queryset(self):
        return selectors.playlists_for(self.request.user)

    @extend_schema(summary="Public playlists, and your own")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Create a playlist", request=PlaylistInputSerializer,
                   responses={201: PlaylistDetailSerializer})
    def post(self, request, *args, **kwargs):
        data = PlaylistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist = services.create_playlist(request.user, **data.validated_data)
        response = _detail(request, playlist.pk, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api-playlist", args=[playlist.pk]))
        return response


class PlaylistDetailView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(summary="A playlist and its tracks", responses=PlaylistDetailSerializer)
    def get(self, request, pk):
        _visible(request, pk)
        return _detail(request, pk)

    @extend_schema(summary="Change a playlist's title, description or visibility (owner)",
                   request=PlaylistInputSerializer, responses=PlaylistDetailSerializer)
    def patch(self, request, pk):
        playlist = _own(request, pk)
        data = PlaylistInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_playlist(playlist, **data.validated_data)
        return _detail(request, pk)

    @extend_schema(summary="Delete a playlist (owner)", responses={204: None})
    def delete(self, request, pk):
        services.delete_playlist(_own(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlaylistTracksView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="Add a track at a position, or move one already there (owner)",
                   request=PlaylistTrackInputSerializer, responses={201: PlaylistDetailSerializer,
                                                                    200: PlaylistDetailSerializer})
    def post(self, request, pk):
        playlist = _own(request, pk)
        data = PlaylistTrackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        track = Track.objects.published().filter(pk=data.validated_data["track_id"]).first()
        if track is None:
            raise ValidationError({"track_id": [f"No published track with id {data.validated_data['track_id']}."]},
                                  code="not_found")  # a 404 (aimusicstore.api.RULE_STATUSES)
        added = services.add_track(playlist, track, data.validated_data["position"])
        return _detail(request, pk, status.HTTP_201_CREATED if added else status.HTTP_200_OK)


class PlaylistTrackView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(summary="Take a track out of a playlist (owner)", responses={204: None})
    def delete(self, request, pk, track_id):
        playlist = _own(request, pk)
        if not services.remove_track(playlist, track_id):
            return Response({"error": {"code": "not_found", "message": "That track is not in this playlist.",
                                       "fields": {"track_id": ["That track is not in this playlist."]}}},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
