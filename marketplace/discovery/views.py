"""The public discovery pages: home, trending, top, browse, search, track and tool pages, robots.txt."""

import hashlib

from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from aimusicstore import paging
from aimusicstore.pagecache import cache_for_visitors, count_once, private_for
from marketplace.catalogue.vocabulary import GENRE_LABELS, GENRES, MOODS
from marketplace.discovery import selectors
from marketplace.discovery.filters import DURATIONS, FACET_FIELDS, VIEWS, YOUTUBE_SAFE, TrackFilter
from marketplace.discovery.text import highlight, render_markdown, snippet
from marketplace.licensing.models import AI_SUMMARIES, USES
from marketplace.listening import services
from marketplace.models import FeaturedPlacement, Tool, Track
from marketplace.playlists.selectors import public_playlists_with
from marketplace.reviews.views import reviews_context
from voting import rankings

PERIODS = [("daily", "Today"), ("weekly", "This week"), ("monthly", "This month"), ("alltime", "All time")]


def _top_genres():
    """The eight genres with the most published tracks: browse's genre counts for no filter, which
    discovery.tasks.refresh_facet_counts keeps warm (a GROUP BY over the catalogue otherwise)."""
    counts = TrackFilter(QueryDict(), queryset=Track.objects.published()).facet_counts(names=("genre",))["genre"]
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:8]
    return [(slug, GENRE_LABELS.get(slug, slug), n) for slug, n in ranked]


def _with_movement(period, tracks):
    movement = rankings.rank_movement(period, [t.pk for t in tracks])
    return [(rank, track, movement.get(track.pk)) for rank, track in enumerate(tracks, start=1)]


@cache_for_visitors()
def home(request):
    featured = list(FeaturedPlacement.objects.active(FeaturedPlacement.Kind.HOMEPAGE)[:4])
    # One indexed read (track_new_idx); signed-out visitors get the whole page from the page cache.
    new_releases = Track.objects.published().for_listing().order_by("-created_at", "-id")[:12]
    context = {
        "featured": featured,
        "trending": _with_movement("trending", rankings.cached_trending_tracks(10)),
        "tools": rankings.cached_top_tools(10),
        "new_releases": new_releases,
        "top_genres": _top_genres(),
    }
    return render(request, "marketplace/home.html", context)


@cache_for_visitors()
def trending(request):
    context = {
        "ranked": _with_movement("trending", rankings.cached_trending_tracks(10)),
        "tools": rankings.cached_top_tools(10),
    }
    return render(request, "marketplace/trending.html", context)


@cache_for_visitors()
def top(request, period="weekly"):
    if period not in dict(PERIODS):
        raise Http404("Unknown period")
    tracks = rankings.cached_top_tracks(period, 50)
    for track in tracks:
        track.period_score = getattr(track.score, rankings.PERIOD_FIELDS[period], 0)
    context = {
        "ranked": _with_movement(period, tracks),
        "period": period,
        "period_label": dict(PERIODS)[period],
        "periods": PERIODS,
    }
    return render(request, "marketplace/top.html", context)


@cache_for_visitors()
def browse(request):
    filterset = TrackFilter(request.GET, queryset=Track.objects.published().for_listing())
    paginator = paging.CappedPaginator(filterset.qs, cache_key=f"browse:{filterset.state_key()}")
    page = paginator.get_page(request.GET.get("page"))
    view = request.GET.get("view") if request.GET.get("view") in dict(VIEWS) else "grid"
    counts = filterset.facet_counts()
    form = filterset.form
    selected = {name: set(request.GET.getlist(name)) for name in FACET_FIELDS}
    options = {
        "genre": GENRES,
        "mood": MOODS,
        "platform": [(p.slug, p.name) for p in form.fields["platform"].queryset],
        "use": USES, "youtube_safe": YOUTUBE_SAFE, "ai": AI_SUMMARIES,
    }
    facets = [
        (name, label, [(slug, text, counts[name].get(slug, 0), slug in selected[name]) for slug, text in options[name]])
        for name, label in (("genre", "Genre"), ("mood", "Mood"), ("platform", "Platform"),
                            ("use", "Licence allows"), ("youtube_safe", "Content ID"), ("ai", "AI credits"))
    ]
    context = {
        "active": _active_filters(request, facets),
        "filter": filterset,
        "form": form,
        "page": page,
        "paginator": paginator,
        "view": view,
        "views": VIEWS,
        "facets": facets,
        "durations": DURATIONS,
        # A category sponsorship shows when exactly one genre is picked.
        "genre": next(iter(selected["genre"])) if len(selected["genre"]) == 1 else "",
    }
    template = "marketplace/browse.html"
    if request.htmx and not request.htmx.history_restore_request and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


def _active_filters(request, facets):
    """[(label, url without that one choice)] for the chosen facet values: one-click removal."""
    active = []
    for name, _label, options in facets:
        for slug, text, _count, checked in options:
            if checked:
                query = request.GET.copy()
                query.setlist(name, [v for v in query.getlist(name) if v != slug])
                query.pop("page", None)
                active.append((text, "?" + query.urlencode() if query else "?"))
    return active


@cache_for_visitors()
def search(request):
    text = selectors.clean_query(request.GET.get("q"))
    context = {"q": text, "page": None, "near": [], "popular": [], "elsewhere": []}
    if text:
        # Creators, tools, genres and moods the words name: links beside the matching tracks.
        context["elsewhere"] = [group for group in selectors.suggestions(text)["groups"] if group["kind"] != "tracks"]
        paginator = paging.CappedPaginator(
            selectors.search_tracks(text), max_pages=10, cache_key=f"search:{hash_text(text)}"
        )
        page = paginator.get_page(request.GET.get("page"))
        for track in page:
            track.title_html = highlight(track.title, text)
            track.artist_html = highlight(track.artist, text)
            track.snippet_html = snippet(" ".join([" ".join(track.tags), track.description]), text)
        context.update(page=page, paginator=paginator)
        if not page.object_list:
            context["near"] = selectors.near_matches(text)
    if not text or not context["page"].object_list:
        context["popular"] = rankings.cached_trending_tracks(10)[:8]
    return render(request, "marketplace/search.html", context)


def hash_text(text):
    return hashlib.sha1(text.lower().encode()).hexdigest()[:20]


@require_GET
@cache_for_visitors()
def search_suggest(request):
    """Autocomplete: JSON {"query", "results": [{id, title, artist, match, url}], "groups": [{kind, label,
    items: [{label, detail, url}]}]}: tracks (also as the older flat "results"), creators, tools, genres/moods."""
    text = selectors.clean_query(request.GET.get("q"))
    found = selectors.suggestions(text)
    return JsonResponse({"query": text, "results": found["tracks"], "groups": found["groups"]})


def _visit(request, pk):
    """A view of track `pk` as the listening services count it: the track, its referrer, this site's host."""
    return pk, request.headers.get("Referer", ""), request.get_host().split(":")[0]


def _visit_fields(request, pk, slug=None):
    """What a view of this track page adds to (counted in the page cache's own round trip when it is stored)."""
    return services.view_fields(*_visit(request, pk))


def _count_visit(request, pk):
    """One view per request, however many times the page is rendered for it, stored or not (pagecache.count_once)."""
    if count_once(request):
        services.count_view(*_visit(request, pk))


@cache_for_visitors(counts=_visit_fields)
def track_detail(request, pk, slug=None):
    tracks = Track.objects.visible_to(request.user).for_listing().select_related("tool", "similar_list")
    track = get_object_or_404(tracks, pk=pk)
    if slug != track.slug and track.slug:
        return redirect(track, permanent=True)
    private_for(request, track.creator_id)  # its creator sees notices nobody else does
    _count_visit(request, track.pk)
    context = {
        "track": track,
        "rank": rankings.rank_of(track.pk, "weekly"),
        "similar": selectors.similar_tracks(track),
        "description_html": render_markdown(track.description),
        "absolute_url": request.build_absolute_uri(track.get_absolute_url()),
        "cover_absolute_url": request.build_absolute_uri(track.cover_url) if track.cover_url else "",
        "licence_absolute_url": request.build_absolute_uri(track.licence.get_absolute_url()) if track.licence else "",
    }
    context.update(reviews_context(request, track))
    context["in_playlists"] = public_playlists_with(track)
    context["json_ld"] = _music_recording(track, context)
    return render(request, "marketplace/track_detail.html", context)


def _music_recording(track, context):
    """schema.org MusicRecording for search engines (rendered as escaped JSON data, never executed)."""
    data = {
        "@context": "https://schema.org",
        "@type": "MusicRecording",
        "name": track.title,
        "url": context["absolute_url"],
        "byArtist": {"@type": "MusicGroup", "name": track.artist},
        "genre": track.get_genre_display(),
        "datePublished": track.created_at.date().isoformat(),
        "offers": {
            "@type": "Offer", "price": str(track.price), "priceCurrency": "USD", "url": track.purchase_url,
        },
    }
    if track.licence_id:
        data["license"] = context["licence_absolute_url"]
    if track.duration:
        minutes, seconds = divmod(track.duration, 60)
        data["duration"] = f"PT{minutes}M{seconds}S"
    if context["cover_absolute_url"]:
        data["image"] = context["cover_absolute_url"]
    if track.tags:
        data["keywords"] = ", ".join(track.tags)
    if track.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating", "ratingValue": str(track.rating_average), "ratingCount": track.rating_count,
            "reviewCount": track.rating_count, "bestRating": 5, "worstRating": 1,
        }
    score = getattr(track, "score", None)
    if score and score.vote_count:
        data["interactionStatistic"] = {
            "@type": "InteractionCounter", "interactionType": "https://schema.org/LikeAction",
            "userInteractionCount": score.upvotes,
        }
    return data


@cache_for_visitors(ttl=120)
def tools(request):
    """/tools/: every AI music tool, voted, with how many tracks were made with each."""
    return render(request, "marketplace/tools.html", {"tools": selectors.tool_directory()})


@cache_for_visitors()
def tool_detail(request, pk):
    tool = get_object_or_404(Tool.objects.select_related("score"), pk=pk)
    tracks = (
        Track.objects.published().for_listing().filter(tool=tool)
        .order_by(F("score__score").desc(nulls_last=True), "-created_at")[:12]
    )
    rank = next((i for i, t in enumerate(rankings.cached_top_tools(10), start=1) if t.pk == tool.pk), None)
    return render(request, "marketplace/tool_detail.html", {"tool": tool, "tracks": tracks, "rank": rank})


@require_GET
@cache_page(3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /accounts/",
        "Disallow: /dashboard/",
        "Disallow: /api/",
        "Disallow: /search/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
