"""Writes behind the creator's analytics: the per-day counters every feature bumps."""

from django.db.models import F
from django.utils import timezone

from marketplace.models import TrackDailyStats


def bump_daily(track_id, day=None, **counters):
    """Add to a track's per-day counters with one upsert-style statement pair."""
    day = day or timezone.localdate()
    updates = {name: F(name) + amount for name, amount in counters.items()}
    if not TrackDailyStats.objects.filter(track_id=track_id, day=day).update(**updates):
        TrackDailyStats.objects.get_or_create(track_id=track_id, day=day)
        TrackDailyStats.objects.filter(track_id=track_id, day=day).update(**updates)
