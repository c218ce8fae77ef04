"""Discovery's work done ahead, so a page nobody opened lately is cheap: each track's similar list."""

import time

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from marketplace.analysis.selectors import SoundPool
from marketplace.discovery.models import SimilarList
from marketplace.discovery.selectors import SIMILAR_KEPT, similar_ids
from marketplace.models import Track

WRITE_EVERY = 100  # lists written per statement


def due_similar(limit):
    """Published tracks whose similar list is due, at most `limit`: those with none (newest first),
    then those worked out before their track's last edit or longer than SIMILAR_MAX_AGE ago (oldest first)."""
    tracks = Track.objects.published().only("id", "genre", "moods", "bpm", "updated_at")
    due = list(tracks.filter(similar_list__isnull=True).order_by("-created_at")[:limit])
    if len(due) < limit:
        stale = Q(similar_list__computed_at__lt=timezone.now() - settings.SIMILAR_MAX_AGE)
        stale |= Q(similar_list__computed_at__lt=F("updated_at"))
        due += tracks.filter(stale).order_by("similar_list__computed_at")[:limit - len(due)]
    return due


def refresh_similar_lists(limit=None, seconds=None):
    """Work out the similar lists that are due: at most `limit` of them, stopping after about `seconds`.

    Each list's time is taken before it is ranked, so an edit made meanwhile leaves it stale (and
    first in line next time) rather than passing for fresh. Returns how many lists were written.
    """
    limit = settings.SIMILAR_BATCH if limit is None else limit
    seconds = settings.SIMILAR_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    pool = SoundPool()
    rows, written = [], 0
    for track in due_similar(limit):
        computed_at = timezone.now()
        rows.append(SimilarList(track=track, ids=similar_ids(track, SIMILAR_KEPT, pool), computed_at=computed_at))
        out_of_time = time.monotonic() > deadline
        if len(rows) >= WRITE_EVERY or out_of_time:
            written += _write(rows)
            rows = []
        if out_of_time:
            break
    return written + _write(rows)


def _write(rows):
    """Upsert these lists; those of tracks deleted meanwhile are dropped, not the others with them."""
    if not rows:
        return 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a deleted track refused here, not at some later commit
            _upsert(rows)
    except IntegrityError:
        live = set(Track.objects.filter(pk__in=[row.track_id for row in rows]).values_list("pk", flat=True))
        rows = [row for row in rows if row.track_id in live]
        _upsert(rows)
    return len(rows)


def _upsert(rows):
    SimilarList.objects.bulk_create(rows, update_conflicts=True, unique_fields=["track"],
                                    update_fields=["ids", "computed_at"])
