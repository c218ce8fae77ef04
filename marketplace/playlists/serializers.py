"""The API's playlist object and playlist input."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aimusicstore.strict import JsonInput
from marketplace.catalogue.serializers import TrackSerializer, absolute_url
from marketplace.playlists.models import Playlist


class PlaylistOwnerSerializer(serializers.Serializer):
    handle = serializers.CharField()
    name = serializers.CharField()


class PlaylistItemSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="0 = first")
    track = TrackSerializer()


class PlaylistSerializer(serializers.ModelSerializer):
    owner = PlaylistOwnerSerializer()
    track_count = serializers.IntegerField(help_text="Playable tracks in the playlist")
    url = serializers.SerializerMethodField()
    embed_url = serializers.SerializerMethodField(help_text="A player other sites may frame (public playlists)")

    class Meta:
        model = Playlist
        fields = ["id", "title", "description", "is_public", "owner", "track_count", "created_at", "updated_at",
                  "url", "embed_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, playlist):
        return absolute_url(self.context.get("request"), playlist.get_absolute_url())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_embed_url(self, playlist):
        if not playlist.is_public:
            return None
        return absolute_url(self.context.get("request"), reverse("marketplace:embed-playlist", args=[playlist.pk]))


class PlaylistDetailSerializer(PlaylistSerializer):
    tracks = serializers.SerializerMethodField(help_text="The playable tracks in order")

    class Meta(PlaylistSerializer.Meta):
        fields = [*PlaylistSerializer.Meta.fields, "tracks"]
        read_only_fields = fields

    @extend_schema_field(PlaylistItemSerializer(many=True))
    def get_tracks(self, playlist):
        return PlaylistItemSerializer(playlist.visible_items, many=True, context=self.context).data


class PlaylistInputSerializer(JsonInput, serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(required=False, default=True)


class PlaylistTrackInputSerializer(JsonInput, serializers.Serializer):
    track_id = serializers.IntegerField(min_value=1)
    position = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None,
                                        help_text="0 = first; leave out to add at the end. A track already in the "
                                                  "playlist moves to this position.")
