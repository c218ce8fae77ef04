"""Reading playlists: what a visitor may open, and the tracks a page or the API shows."""

from django.db.models import Count, Prefetch, Q

from marketplace.models import Track
from marketplace.playlists.models import Playlist, PlaylistItem

VISIBLE_TRACKS = Q(track__status=Track.Status.PUBLISHED)


def items_of(playlist):
    """The playlist's items in order, each with its track ready for a card; hidden or removed tracks
    vanish (for the owner too: they can no longer be played or bought)."""
    return (
        PlaylistItem.objects.filter(VISIBLE_TRACKS, playlist=playlist)
        .select_related("track__creator", "track__platform", "track__score").order_by("position")
    )


def with_counts(playlists):
    """`track_count`: how many playable tracks each playlist holds."""
    return playlists.annotate(track_count=Count("items", filter=Q(items__track__status=Track.Status.PUBLISHED)))


def playlists_for(viewer):
    """Public playlists and the viewer's own, newest change first."""
    return with_counts(Playlist.objects.visible_to(viewer).select_related("owner")).order_by("-updated_at", "-id")


def own_playlists(user):
    return with_counts(Playlist.objects.owned_by(user)).order_by("-updated_at", "-id")


def public_playlists_with(track, limit=6):
    """Public playlists holding `track`, for its page.

    Most tracks are in none: asking that first is one plain EXISTS, where the listing's joins and
    counts cost 3-4 ms to build for nothing (a first-visit track page, 100k tracks)."""
    holding = Playlist.objects.filter(is_public=True, items__track=track)
    if not holding.exists():
        return []
    return list(with_counts(holding.select_related("owner")).order_by("-updated_at")[:limit])


def with_items(queryset):
    """Each playlist with `visible_items`: its playable items in order (two queries for any number)."""
    items = (PlaylistItem.objects.filter(VISIBLE_TRACKS)
             .select_related("track__creator", "track__platform", "track__score").order_by("position"))
    return queryset.prefetch_related(Prefetch("items", queryset=items, to_attr="visible_items"))
