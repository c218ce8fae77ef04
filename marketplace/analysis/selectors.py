"""Reads of the analysis: re-upload matches through the sub-hash index, and similar-by-sound."""

from collections import Counter

import numpy as np
from django.db import connection

from marketplace.analysis import fingerprint
from marketplace.analysis.models import FingerprintHash, TrackAnalysis
from marketplace.models import Track

CANDIDATES = 5


def candidate_tracks(subhashes, exclude=None, before=None, limit=CANDIDATES, table=None):
    """[(track_id, shared sub-hashes)] of the tracks sharing the most sub-hashes, best first.

    One grouped query over the (hash, track) index: its cost follows the rows that share a
    sub-hash with the query (a few hundred), whatever the size of the catalogue.
    """
    if not subhashes:
        return []
    table = table or FingerprintHash._meta.db_table  # the benchmark passes a scratch table of the same shape
    sql = f"SELECT track_id, count(*) AS n FROM {table} WHERE hash = ANY(%s)"  # noqa: S608 (our own table name)
    params = [list(subhashes)]
    if exclude is not None:
        sql += " AND track_id <> %s"
        params.append(exclude)
    if before is not None:
        sql += " AND track_id < %s"
        params.append(before)
    sql += " GROUP BY track_id HAVING count(*) >= %s ORDER BY n DESC LIMIT %s"
    params += [fingerprint.MIN_SHARED_SUBHASHES, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def matching_track(track, words):
    """(earlier track with the same audio, bit error) or (None, None): candidates from the index,
    confirmed by comparing the fingerprints bit by bit at their best alignment."""
    candidates = candidate_tracks(fingerprint.subhashes(words), exclude=track.pk, before=track.pk)
    if not candidates:
        return None, None
    prints = dict(
        TrackAnalysis.objects.filter(track_id__in=[pk for pk, _n in candidates])
        .exclude(track__status=Track.Status.REMOVED).values_list("track_id", "fingerprint")
    )
    best = (None, None)
    for pk, _shared in candidates:
        if not prints.get(pk):
            continue
        error = fingerprint.bit_error(words, fingerprint.decode(prints[pk]))
        if error <= fingerprint.MATCH_MAX_BIT_ERROR and (best[1] is None or error < best[1]):
            best = (pk, error)
    if best[0] is None:
        return None, None
    return Track.objects.select_related("creator").get(pk=best[0]), best[1]


SOUND_POINTS = 4.0
SOUND_NEIGHBOURS = 50
SOUND_POOL = 2000  # the newest analysed published tracks a track's sound is compared with


def sound_points(track, limit=SOUND_NEIGHBOURS, pool=None):
    """{track_id: 0-4 points} for the tracks that sound most like `track`: the nearest gets 4, the
    50th nearly 0. Ranks rather than raw distances, so the blend with the metadata points does not
    depend on the feature scale. `pool`: a SoundPool to compare with, loaded once for many tracks."""
    nearest = nearest_by_sound(track, limit, pool)
    return {pk: round(SOUND_POINTS * (1 - rank / limit), 2) for rank, pk in enumerate(nearest)}


class SoundPool:
    """The feature vectors of the newest analysed published tracks (SOUND_POOL, and one more), loaded once.

    A batch working out many tracks' similar lists loads 2,000 vectors once instead of once a
    track. Each track is compared with what its own query would have loaded: the pool without the
    track itself, cut to SOUND_POOL.
    """

    def __init__(self):
        rows = _newest_vectors(SOUND_POOL + 1)
        self.ids = np.asarray([pk for pk, _vector in rows], dtype=np.int64)
        widths = Counter(len(vector) for _pk, vector in rows)
        self.width = widths.most_common(1)[0][0] if rows else 0
        self.same_width = np.asarray([len(vector) == self.width for _pk, vector in rows], dtype=bool)
        self.matrix = np.asarray([vector if len(vector) == self.width else [0.0] * self.width for _pk, vector in rows])

    def nearest(self, pk, mine, limit):
        """Ids nearest to the vector `mine` of track `pk`, or None where its width is not the pool's."""
        if len(mine) != self.width:
            return None
        keep = self.ids != pk
        if keep.all() and len(self.ids) > SOUND_POOL:
            keep[-1] = False  # the 2,001st stands in only for a track that is in the pool
        keep &= self.same_width
        return _closest(self.ids[keep], self.matrix[keep], mine, limit)


def _newest_vectors(limit, exclude=None):
    """[(track id, feature vector)] of the newest analysed published tracks, at most `limit`, without `exclude`."""
    published = Track.objects.published() if exclude is None else Track.objects.published().exclude(pk=exclude)
    return list(TrackAnalysis.objects.filter(track__in=published).exclude(features=[])
                .order_by("-track_id").values_list("track_id", "features")[:limit])


def _closest(ids, matrix, mine, limit):
    """The `limit` of `ids` whose rows of `matrix` are nearest to the vector `mine`, nearest first."""
    distances = np.linalg.norm(matrix - np.asarray(mine), axis=1)
    return np.asarray(ids)[np.argsort(distances)[:limit]].tolist()


def nearest_by_sound(track, limit=SOUND_NEIGHBOURS, pool=None):
    """Ids of the published tracks whose feature vectors are nearest to `track`'s (bounded: newest 2,000)."""
    if Track.analysis.is_cached(track):  # for_listing() joined it: no query
        analysis = getattr(track, "analysis", None)  # a cached "none" raises an AttributeError
        mine = analysis.features if analysis else None
    else:
        mine = TrackAnalysis.objects.filter(track=track).values_list("features", flat=True).first()
    if not mine:
        return []
    nearest = pool.nearest(track.pk, mine, limit) if pool is not None else None
    if nearest is not None:
        return nearest
    rows = [(pk, vector) for pk, vector in _newest_vectors(SOUND_POOL, exclude=track.pk) if len(vector) == len(mine)]
    if not rows:
        return []
    return _closest([pk for pk, _vector in rows], [vector for _pk, vector in rows], mine, limit)


def finished_analysis(track):
    """The track's analysis if it measured the current preview, else None; no query when selected."""
    try:
        analysis = track.analysis
    except TrackAnalysis.DoesNotExist:
        return None
    return analysis if analysis.status == TrackAnalysis.Status.DONE else None
