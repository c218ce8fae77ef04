"""Writing playlists: create, edit, delete, and add/move/remove tracks, for the pages and the API alike.

Each change to a playlist's tracks locks the playlist row and rewrites every position 0..n-1, so
concurrent edits queue up and the order is always a gapless list.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.models import Track
from marketplace.playlists.models import Playlist, PlaylistItem

MAX_TRACKS = 500
MAX_PLAYLISTS = 200


def create_playlist(owner, *, title, description="", is_public=True):
    """A new, empty playlist of `owner`'s."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ["Give the playlist a title."]})
    if Playlist.objects.owned_by(owner).count() >= MAX_PLAYLISTS:
        full = ValidationError(f"You already have {MAX_PLAYLISTS} playlists; delete one first.", code="limit_reached")
        raise ValidationError({"title": [full]})  # a 409
    return Playlist.objects.create(owner=owner, title=title[:120], description=(description or "").strip(),
                                   is_public=is_public)


def update_playlist(playlist, **changes):
    """Change the title, description and/or visibility."""
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationError({"title": ["Give the playlist a title."]})
    for name in ("title", "description", "is_public"):
        if name in changes:
            setattr(playlist, name, changes[name])
    playlist.save()
    return playlist


def delete_playlist(playlist):
    playlist.delete()


def _locked_order(playlist):
    Playlist.objects.select_for_update().filter(pk=playlist.pk).values_list("pk", flat=True).get()
    return list(PlaylistItem.objects.filter(playlist=playlist).order_by("position", "id"))


def _rewrite(playlist, items):
    for position, item in enumerate(items):
        item.position = position
    PlaylistItem.objects.bulk_update([i for i in items if i.pk], ["position"])
    Playlist.objects.filter(pk=playlist.pk).update(updated_at=timezone.now())


def add_track(playlist, track, position=None):
    """Put `track` at `position` (0 = first; None = the end). A track already there moves to
    `position`, or stays where it is when no position is given.

    Returns True when the track was new to the playlist.
    """
    if track.status != Track.Status.PUBLISHED:
        raise ValidationError({"track_id": ["Only published tracks can be added to a playlist."]})
    if position is not None and position < 0:
        raise ValidationError({"position": ["Enter a position of 0 or more."]})
    with transaction.atomic():
        items = _locked_order(playlist)
        existing = next((item for item in items if item.track_id == track.pk), None)
        if existing is not None and position is None:
            return False
        if existing is not None:
            items.remove(existing)
            item = existing
        else:
            if len(items) >= MAX_TRACKS:
                raise ValidationError({"track_id": [f"A playlist holds at most {MAX_TRACKS} tracks."]})
            item = PlaylistItem(playlist=playlist, track=track, position=len(items))
        index = len(items) if position is None else min(position, len(items))
        items.insert(index, item)
        if item.pk is None:
            # Park the new row past the end, then close the order up (positions are deferred-unique).
            item.position = len(items) + 1
            item.save()
        _rewrite(playlist, items)
    return existing is None


def move_track(playlist, track_id, position):
    """Move a track already in the playlist to `position` (0 = first)."""
    with transaction.atomic():
        items = _locked_order(playlist)
        item = next((item for item in items if item.track_id == track_id), None)
        if item is None:
            raise ValidationError({"track_id": ["That track is not in this playlist."]})
        items.remove(item)
        items.insert(max(0, min(position, len(items))), item)
        _rewrite(playlist, items)


def remove_track(playlist, track_id):
    """Take a track out; returns False if it was not there."""
    with transaction.atomic():
        items = _locked_order(playlist)
        item = next((item for item in items if item.track_id == track_id), None)
        if item is None:
            return False
        items.remove(item)
        item.delete()
        _rewrite(playlist, items)
    return True
