"""Read-side selectors behind the discovery pages: paging, search, autocomplete, similar tracks.

Everything here is built to stay bounded at a million tracks: counts are capped
(``COUNT(*)`` over ``LIMIT cap+1``), full-text ranking happens inside a bounded
candidate set, autocomplete walks a trigram GiST index nearest-first.
"""

import hashlib

from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Func, Subquery, Value
from django.db.models.functions import Coalesce

from aimusicstore import pagecache
from marketplace.analysis.selectors import sound_points
from marketplace.discovery.filters import MAX_QUERY_LENGTH, search_query
from marketplace.models import Track
from voting.models import Vote

SEARCH_CANDIDATES = 1000
SUGGEST_LIMIT = 8
SUGGEST_TTL = 300
SUGGEST_THRESHOLD = 0.45
SIMILAR_TTL = 600


def clean_query(text):
    return " ".join((text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def search_tracks(text):
    """Published tracks matching ``text``, best first.

    The GIN index finds up to SEARCH_CANDIDATES matches (newest first), then only
    those are ranked: title > artist > tags > description (the stored vector's
    weights), lifted slightly by the all-time score so a loved track beats a twin.
    """
    query = search_query(text)
    candidates = (
        Track.objects.published().filter(search_vector=query).order_by("-created_at").values("pk")[:SEARCH_CANDIDATES]
    )
    return (
        Track.objects.for_listing()
        .filter(pk__in=Subquery(candidates))
        .annotate(rank=SearchRank(F("search_vector"), query, weights=[0.1, 0.2, 0.4, 1.0]))
        .annotate(boost=Coalesce(F("score__score"), Value(0.0), output_field=FloatField()))
        .order_by(F("rank").desc(), F("boost").desc(), F("id").desc())
    )


class WordDistance(Func):
    """``column <->> 'text'``: trigram word distance, served nearest-first by a gist_trgm_ops index."""

    function = ""
    arg_joiner = " <->> "
    output_field = FloatField()

    def __init__(self, column, text):
        super().__init__(F(column), Value(text))


def suggest(text):
    """Up to SUGGEST_LIMIT typo-tolerant title/artist matches for the search box, cached briefly."""
    text = clean_query(text).lower()
    if len(text) < 2:
        return []
    # The page cache's generation in the key: a track hidden or published retires every stored answer.
    key = f"suggest:{pagecache.current_generation()}:" + hashlib.sha1(text.encode()).hexdigest()

    def compute():
        found = {}
        with transaction.atomic(), connection.cursor() as cursor:
            # `col %> text` lets the GiST index prune whole subtrees (a bare distance filter
            # would walk the index when nothing is close); 0.45 forgives a typo or two.
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [SUGGEST_THRESHOLD])
            for column in ("title", "artist"):
                rows = (
                    Track.objects.published()
                    .filter(**{f"{column}__trigram_word_similar": text})
                    .annotate(distance=WordDistance(column, text))
                    .order_by("distance")
                    .values("pk", "title", "slug", "artist", "distance")[:SUGGEST_LIMIT]
                )
                for row in rows:
                    if row["pk"] not in found or row["distance"] < found[row["pk"]]["distance"]:
                        found[row["pk"]] = {**row, "match": column}
        best = sorted(found.values(), key=lambda row: (row["distance"], row["title"]))[:SUGGEST_LIMIT]
        return [
            {
                "id": row["pk"],
                "title": row["title"],
                "artist": row["artist"],
                "match": row["match"],
                "url": f"/tracks/{row['pk']}/{row['slug']}/" if row["slug"] else f"/tracks/{row['pk']}/",
            }
            for row in best
        ]

    return cache.get_or_set(key, compute, SUGGEST_TTL)


def near_matches(text, limit=6):
    """Titles close to a query that found nothing (spelling slips): the "Did you mean" list."""
    return suggest(text)[:limit]


def similar_tracks(track, limit=6):
    """Tracks a listener of ``track`` is likely to want next, cached per track.

    Candidates (bounded): the 300 newest in the same genre, plus up to 300 tracks
    upvoted by this track's upvoters, plus the 50 nearest by sound. Each is scored: same genre 3,
    each shared mood 2, BPM within 8 → 2 or within 20 → 1, 1 per shared upvoter (capped at 5),
    and up to 4 for sounding alike (marketplace.analysis.selectors.sound_points).
    """
    key = f"similar:{track.pk}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = _similar_ids(track, limit)
        cache.set(key, ids, SIMILAR_TTL)
    tracks = Track.objects.published().for_listing().in_bulk(ids)
    return [tracks[pk] for pk in ids if pk in tracks]


def _similar_ids(track, limit):
    """Three small indexed queries, then the scoring in Python over at most 600 candidates."""
    published = Track.objects.published().exclude(pk=track.pk)
    same_genre = published.filter(genre=track.genre).order_by("-created_at").values_list("pk", flat=True)[:300]
    upvoters = Vote.objects.filter(track=track, value=1).order_by("-created_at").values("voter")[:200]
    # One grouped pass over the upvoters' other upvotes gives both candidates and shared-voter counts.
    shared = dict(
        Vote.objects.filter(voter__in=upvoters, value=1, track__isnull=False).exclude(track=track)
        .order_by().values("track").annotate(n=Count("*")).order_by("-n").values_list("track", "n")[:300]
    )
    by_sound = sound_points(track)
    candidates = published.filter(pk__in=set(same_genre) | set(shared) | set(by_sound)).values_list(
        "pk", "genre", "moods", "bpm", "created_at"
    )
    moods = set(track.moods[:6])

    def similarity(row):
        pk, genre, track_moods, bpm, _created = row
        points = 3 if genre == track.genre else 0
        points += 2 * len(moods.intersection(track_moods or ()))
        if track.bpm and bpm:
            points += 2 if abs(bpm - track.bpm) <= 8 else 1 if abs(bpm - track.bpm) <= 20 else 0
        return points + min(5, shared.get(pk, 0)) + by_sound.get(pk, 0)

    ranked = sorted(candidates, key=lambda row: (similarity(row), row[4]), reverse=True)
    return [row[0] for row in ranked[:limit]]

