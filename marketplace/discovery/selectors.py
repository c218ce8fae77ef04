"""Read-side selectors behind the discovery pages: paging, search, autocomplete, similar tracks.

Everything here is built to stay bounded at a million tracks: counts are capped
(``COUNT(*)`` over ``LIMIT cap+1``), full-text ranking happens inside a bounded
candidate set, autocomplete walks a trigram GiST index nearest-first.

Search reads a query in the site's own words (marketplace.discovery.terms): "chill" is the mood,
"lofi" the genre Lo-Fi, "suno" the tool Suno AI, "kairo" the creator Kairo; each such term matches
the tracks that have it or say it, and the rest of the query is full text. /search/, /browse/?q=
and the API's ?q= all filter through ``match_text``.
"""

import hashlib
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, F, FloatField, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least, Lower
from django.urls import reverse

from accounts.models import User
from aimusicstore import pagecache
from marketplace.analysis.selectors import sound_points
from marketplace.discovery import terms
from marketplace.discovery.models import SimilarList
from marketplace.discovery.terms import MAX_QUERY_LENGTH
from marketplace.models import Tool, Track
from voting.models import Vote

SEARCH_CANDIDATES = 1000
SUGGEST_LIMIT = 8
SUGGEST_GROUP_LIMITS = {"tracks": 6, "creators": 4, "tools": 3, "vocabulary": 4}
TOOL_TERMS_TTL = 300
SUGGEST_TTL = 300
SUGGEST_THRESHOLD = 0.45
SIMILAR_TTL = 600
SIMILAR_KEPT = 12  # ids a worked-out list keeps: the API's 12, of which the page shows 6


def clean_query(text):
    return " ".join((text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def search_query(text):
    """The websearch-style tsquery the rest of a query (what is not a known term) is matched with."""
    return SearchQuery(text, search_type="websearch", config="english")


def _phrase_query(words):
    """Any of ``words`` as a phrase: "lo fi" finds a tag "lo-fi" ('lo' <-> 'fi'), "lofi" the word lofi."""
    query = None
    for word in words:
        part = SearchQuery(word, search_type="phrase", config="english")
        query = part if query is None else query | part
    return query


def _tool_terms():
    """key → Term for every tool (a dozen rows), cached briefly: every search reads them."""
    def compute():
        known = {}
        for pk, name, slug in Tool.objects.order_by("name").values_list("pk", "name", "slug"):
            term = terms.Term("tool", pk, name, (name,))
            for alias in terms.tool_aliases(name, slug):
                known.setdefault(alias, term)
        return known

    return cache.get_or_set(f"search:tool-terms:{pagecache.current_generation()}", compute, TOOL_TERMS_TTL)


def _creator_terms(words):
    """key → Term for creators whose handle or display name is a run of the query's words (one indexed query)."""
    phrases = {phrase for _start, _length, phrase in terms.windows(words) if not phrase.startswith("-")}
    if not phrases:
        return {}
    names = {phrase.lower() for phrase in phrases}
    handles = set()
    for phrase in phrases:
        handles |= {terms.key(phrase), "_".join(phrase.lower().split()), "-".join(phrase.lower().split())}
    rows = (
        User.objects.filter(is_active=True, role__in=[User.Role.CREATOR, User.Role.AGENT])
        .annotate(name_lower=Lower("display_name"))
        .filter(Q(handle__in=handles) | Q(name_lower__in=names))
        .values_list("pk", "handle", "display_name")[:20]
    )
    known = {}
    for pk, handle, display_name in rows:
        term = terms.Term("creator", pk, display_name or handle, tuple(filter(None, (display_name,))))
        for spelling in (handle, display_name):
            if spelling:
                known.setdefault(terms.key(spelling), term)
    return known


def parse_query(text):
    """``text`` as known terms (genres, moods, tools, creators) and the full-text rest, cached briefly:
    browse asks once per facet count."""
    words = terms.scanned_words(text)
    if not words:
        return terms.ParsedQuery(rest=text)

    def compute():
        known = {**_creator_terms(words), **_tool_terms(), **terms.VOCABULARY}  # a genre wins over a namesake
        parsed = terms.parse(text, known)
        if parsed.terms and parsed.rest and _rest_is_empty(parsed.rest):
            parsed.rest = ""  # "the chill": websearch reads nothing in "the", which must not veto the mood
        return parsed

    key = f"search:parsed:{pagecache.current_generation()}:" + hashlib.sha1(text.encode()).hexdigest()
    return cache.get_or_set(key, compute, TOOL_TERMS_TTL)


def _rest_is_empty(rest):
    """True when websearch reads nothing in ``rest`` ("the", "!!!")."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s)) = 0", [rest])
        return cursor.fetchone()[0]


TERM_FIELDS = {
    "genre": lambda value: Q(genre=value),
    "mood": lambda value: Q(moods__contains=[value]),
    "tool": lambda value: Q(tool_id=value),
    "creator": lambda value: Q(creator_id=value),
}


def text_match(text):
    """(condition, rank query) for ``text``: every known term (its field, or its words in the text) and the rest."""
    parsed = parse_query(text)
    condition, rank_query = Q(), None
    for term in parsed.terms:
        words = _phrase_query(term.words)
        condition &= TERM_FIELDS[term.kind](term.value) | Q(search_vector=words)
        rank_query = words if rank_query is None else rank_query | words
    for term in parsed.excluded:
        condition &= ~(TERM_FIELDS[term.kind](term.value) | Q(search_vector=_phrase_query(term.words)))
    if parsed.rest:
        rest = search_query(parsed.rest)
        condition &= Q(search_vector=rest)
        rank_query = rest if rank_query is None else rank_query | rest
    return condition, rank_query or search_query(text)


def match_text(queryset, text):
    """``queryset`` narrowed to tracks matching ``text``: the one filter of /search/, /browse/?q= and the API's ?q=."""
    condition, _rank = text_match(text)
    return queryset.filter(condition)


def search_tracks(text):
    """Published tracks matching ``text``, best first.

    The GIN indexes (text, moods) and the genre/tool/creator indexes find up to SEARCH_CANDIDATES
    matches (newest first), then only those are ranked: title > artist > tags > description (the
    stored vector's weights), lifted slightly by the all-time score so a loved track beats a twin.
    """
    condition, query = text_match(text)
    candidates = (
        Track.objects.published().filter(condition).order_by("-created_at").values("pk")[:SEARCH_CANDIDATES]
    )
    return (
        Track.objects.for_listing()
        .filter(pk__in=Subquery(candidates))
        .annotate(rank=SearchRank(F("search_vector"), query, weights=[0.1, 0.2, 0.4, 1.0]))
        .annotate(boost=Coalesce(F("score__score"), Value(0.0), output_field=FloatField()))
        .order_by(F("rank").desc(), F("boost").desc(), F("id").desc())
    )


TOOL_STATS_TTL = 300


def tool_directory():
    """Every tool for /tools/, best first: the tool's own weighted score, then the votes on the tracks
    made with it, then its name; each with ``track_count`` and ``track_votes`` (published tracks only).

    The per-tool figures are one grouped query over the tracks, cached for TOOL_STATS_TTL (a vote
    moves them by one); the tools themselves are a dozen rows read with their score.
    """
    def compute():
        rows = (
            Track.objects.published().filter(tool__isnull=False).order_by().values("tool")
            .annotate(n=Count("id"), votes=Coalesce(Sum(F("score__upvotes") + F("score__downvotes")), 0))
        )
        return {row["tool"]: (row["n"], row["votes"]) for row in rows}

    stats = cache.get_or_set(f"tools:directory:{pagecache.current_generation()}", compute, TOOL_STATS_TTL)
    tools = list(Tool.objects.select_related("score"))
    for tool in tools:
        tool.track_count, tool.track_votes = stats.get(tool.pk, (0, 0))

    def order(tool):
        score = tool.score.score if getattr(tool, "score", None) else 0.0
        return (-score, -tool.track_votes, -tool.track_count, tool.name.lower())

    return sorted(tools, key=order)


class WordDistance(Func):
    """``column <->> 'text'``: trigram word distance, served nearest-first by a gist_trgm_ops index."""

    function = ""
    arg_joiner = " <->> "
    output_field = FloatField()

    def __init__(self, column, text):
        super().__init__(F(column), Value(text))


def suggestions(text):
    """What the header search box offers for ``text``, grouped, typo-tolerant and cached briefly.

    {"tracks": [{id, title, artist, match, url}], "groups": [{kind, label, items: [{label, detail, url}]}]}
    with groups Tracks, Creators, Tools and Genres & moods (plus Tags when a tag is typed whole),
    each item linking where it belongs: a track or a creator to its page, a tool to its page, a
    genre or a mood to /browse/ filtered by it.
    """
    text = clean_query(text).lower()
    if len(text) < 2:
        return {"tracks": [], "groups": []}
    # The page cache's generation in the key: a track hidden or published retires every stored answer.
    key = f"suggest:v2:{pagecache.current_generation()}:" + hashlib.sha1(text.encode()).hexdigest()

    def compute():
        with transaction.atomic(), connection.cursor() as cursor:
            # `col %> text` lets the GiST index prune whole subtrees (a bare distance filter
            # would walk the index when nothing is close); 0.45 forgives a typo or two.
            # set_config, not SET: a SET takes no bound parameter (server-side binding, settings.DATABASES)
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(SUGGEST_THRESHOLD)])
            tracks = _suggest_tracks(text)
            creators = _suggest_creators(text)
            tools, vocabulary = _suggest_tools_and_vocabulary(cursor, text)
        tags = _suggest_tag(text)
        groups = [
            ("tracks", "Tracks", [{"label": t["title"], "detail": t["artist"], "url": t["url"]}
                                  for t in tracks[:SUGGEST_GROUP_LIMITS["tracks"]]]),
            ("creators", "Creators", creators),
            ("tools", "Tools", tools),
            ("vocabulary", "Genres & moods", vocabulary),
            ("tags", "Tags", tags),
        ]
        return {"tracks": tracks, "groups": [{"kind": kind, "label": label, "items": items}
                                             for kind, label, items in groups if items]}

    return cache.get_or_set(key, compute, SUGGEST_TTL)


def suggest(text):
    """Up to SUGGEST_LIMIT typo-tolerant title/artist matches (the Tracks of ``suggestions``)."""
    return suggestions(text)["tracks"]


def _suggest_tracks(text):
    found = {}
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


def _suggest_creators(text):
    """Creators with a published track whose name or handle is near ``text`` (trigram GiST indexes, one query)."""
    rows = (
        User.objects.filter(is_active=True)
        .filter(Q(display_name__trigram_word_similar=text) | Q(handle__trigram_word_similar=text))
        .filter(Exists(Track.objects.published().filter(creator=OuterRef("pk"))))
        .annotate(distance=Least(WordDistance("display_name", text), WordDistance("handle", text)))
        .order_by("distance", "handle")
        .values("handle", "display_name")[:SUGGEST_GROUP_LIMITS["creators"]]
    )
    return [{"label": row["display_name"] or row["handle"], "detail": f"@{row['handle']}",
             "url": reverse("accounts:creator-profile", args=[row["handle"]])} for row in rows]


def _suggest_tools_and_vocabulary(cursor, text):
    """Tools (a dozen rows) and genre/mood spellings near ``text``, in one query over both."""
    spellings = terms.vocabulary_rows()
    values = ", ".join(["(%s, %s, %s, %s)"] * len(spellings))
    cursor.execute(
        f"""
        SELECT kind, value, label, max(word_similarity(%s, spelling)) AS similarity
        FROM (
            SELECT 'tool', id::text, name, name FROM marketplace_tool
            UNION ALL SELECT 'tool', id::text, name, slug FROM marketplace_tool
            UNION ALL VALUES {values}
        ) AS known (kind, value, label, spelling)
        WHERE %s <%% spelling
        GROUP BY kind, value, label
        ORDER BY similarity DESC, label
        LIMIT 20
        """,
        [text, *[part for row in spellings for part in row], text],
    )
    tools, vocabulary = [], []
    browse = reverse("marketplace:browse")
    for kind, value, label, _similarity in cursor.fetchall():
        if kind == "tool" and len(tools) < SUGGEST_GROUP_LIMITS["tools"]:
            tools.append({"label": label, "detail": "AI music tool",
                          "url": reverse("marketplace:tool-detail", args=[int(value)])})
        elif kind != "tool" and len(vocabulary) < SUGGEST_GROUP_LIMITS["vocabulary"]:
            vocabulary.append({"label": label, "detail": kind.capitalize(),
                               "url": f"{browse}?{urlencode({kind: value})}"})
    return tools, vocabulary


def _suggest_tag(text):
    """The tag typed whole, when a published track carries it (the tags GIN index answers)."""
    tag = text.strip()
    if terms.key(tag) in terms.VOCABULARY or not Track.objects.published().filter(tags__contains=[tag]).exists():
        return []
    return [{"label": f"#{tag}", "detail": "Tag", "url": f"{reverse('marketplace:search')}?{urlencode({'q': tag})}"}]


def near_matches(text, limit=6):
    """Titles close to a query that found nothing (spelling slips): the "Did you mean" list."""
    return suggest(text)[:limit]


def similar_tracks(track, limit=6):
    """Tracks a listener of ``track`` is likely to want next, best first.

    The list a Celery task worked out ahead (marketplace.discovery.services.refresh_similar_lists)
    where it is newer than the track's last edit: no ranking on the page, and no query when the
    track's own query joined it. Otherwise ranked here and kept in Redis for SIMILAR_TTL.
    """
    ids = _kept_similar_ids(track, limit)
    if ids is None:
        key = f"similar:{track.pk}:{limit}"
        ids = cache.get(key)
        if ids is None:
            ids = similar_ids(track, limit)
            cache.set(key, ids, SIMILAR_TTL)
    listing = Track.objects.published().for_listing()
    tracks = listing.in_bulk(ids[:limit])
    if len(tracks) < limit and len(ids) > limit:  # some unpublished since the list was worked out
        tracks |= listing.in_bulk(ids[limit:])
    return [tracks[pk] for pk in ids if pk in tracks][:limit]


def _kept_similar_ids(track, limit):
    """The worked-out ids for `track` (SIMILAR_KEPT of them), or None where there are none or they are stale."""
    if limit > SIMILAR_KEPT:
        return None
    if Track.similar_list.is_cached(track):
        kept = getattr(track, "similar_list", None)  # a joined "none" is cached as None
    else:
        kept = SimilarList.objects.filter(track=track).first()
    if kept is None or not kept.fresh_for(track):
        return None
    return kept.ids


def similar_ids(track, limit, pool=None):
    """The ids of the tracks most like `track`, best first (at most `limit`).

    Candidates (bounded): the 300 newest in the same genre, plus up to 300 tracks
    upvoted by this track's upvoters (most shared first), plus the 50 nearest by sound. Each is scored
    (in one query): same genre 3, each shared mood 2, BPM within 8 → 2 or within 20 → 1, 1 per shared
    upvoter (capped at 5), and up to 4 for sounding alike (marketplace.analysis.selectors.sound_points;
    `pool`: a SoundPool loaded once for a batch of tracks). Ties go to the newer track.

    The candidate sets and the published rule are the ORM's own SQL; the points are summed in SQL so
    that only the winners cross the wire (the candidates are up to 650 rows with their moods).
    """
    published = Track.objects.published().exclude(pk=track.pk)
    same_genre = published.filter(genre=track.genre).order_by("-created_at").values("pk")[:300]
    upvoters = Vote.objects.filter(track=track, value=1).order_by("-created_at").values("voter")[:200]
    shared = (
        Vote.objects.filter(voter__in=upvoters, value=1, track__isnull=False).exclude(track=track)
        .order_by().values("track").annotate(n=Count("*")).order_by("-n", "-track").values_list("track", "n")[:300]
    )
    by_sound = sound_points(track, pool=pool)
    parts = [query.query.sql_with_params() for query in (same_genre, shared, published.values("pk"))]
    sql = f"""
        WITH same_genre (id) AS ({parts[0][0]}),
             shared (id, n) AS ({parts[1][0]}),
             sound (id, points) AS (SELECT * FROM unnest(%s::bigint[], %s::float8[]))
        SELECT t.id
        FROM marketplace_track t
        LEFT JOIN shared ON shared.id = t.id
        LEFT JOIN sound ON sound.id = t.id
        WHERE t.id IN (SELECT id FROM same_genre UNION SELECT id FROM shared UNION SELECT id FROM sound)
          AND t.id IN ({parts[2][0]})
        ORDER BY (CASE WHEN t.genre = %s THEN 3 ELSE 0 END)
                 + 2 * cardinality(ARRAY(SELECT unnest(t.moods) INTERSECT SELECT unnest(%s::varchar[])))
                 + (CASE WHEN NULLIF(%s::integer, 0) IS NULL OR NULLIF(t.bpm, 0) IS NULL THEN 0
                         WHEN abs(t.bpm - %s::integer) <= 8 THEN 2 WHEN abs(t.bpm - %s::integer) <= 20 THEN 1
                         ELSE 0 END)
                 + LEAST(5, COALESCE(shared.n, 0)) + COALESCE(sound.points, 0) DESC,
                 t.created_at DESC, t.id DESC
        LIMIT %s
    """
    params = [*parts[0][1], *parts[1][1], list(by_sound), list(by_sound.values()), *parts[2][1],
              track.genre, list(dict.fromkeys(track.moods[:6])), track.bpm, track.bpm, track.bpm, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
