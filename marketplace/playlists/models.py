"""Playlists: a member's ordered, public or private collection of tracks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class PlaylistQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public playlists, plus the user's own private ones: what `user` may open."""
        if not getattr(user, "is_authenticated", False):
            return self.filter(is_public=True)
        return self.filter(Q(is_public=True) | Q(owner_id=user.pk))

    def owned_by(self, user):
        return self.filter(owner_id=getattr(user, "pk", None))


class Playlist(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playlists")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    is_public = models.BooleanField(default=True, help_text="Public playlists can be opened, shared and embedded")
    tracks = models.ManyToManyField("marketplace.Track", through="PlaylistItem", related_name="playlists")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaylistQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="playlist_owner_idx"),
            models.Index(fields=["is_public", "-updated_at"], name="playlist_public_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("marketplace:playlist-detail", args=[self.pk])


class PlaylistItem(models.Model):
    """A track at a position (0 = first) in a playlist; positions are rewritten 0..n-1 on every change."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="items")
    track = models.ForeignKey("marketplace.Track", on_delete=models.CASCADE, related_name="playlist_items")
    position = models.PositiveIntegerField()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["playlist", "track"], name="playlist_track_once"),
            # Deferred: a reorder rewrites every position in one transaction and may pass through duplicates.
            models.UniqueConstraint(fields=["playlist", "position"], name="playlist_position_unique",
                                    deferrable=models.Deferrable.DEFERRED),
        ]

    def __str__(self):
        return f"{self.track_id} at {self.position} in {self.playlist_id}"
