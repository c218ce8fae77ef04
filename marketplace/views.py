from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from voting import rankings

from . import services
from .catalog import GENRES
from .filters import TrackFilter
from .models import FeaturedPlacement, Tool, Track

PERIODS = [("daily", "Today"), ("weekly", "This week"), ("monthly", "This month"), ("alltime", "All time")]


def home(request):
    featured = FeaturedPlacement.objects.active(FeaturedPlacement.Kind.HOMEPAGE)[:4]
    context = {
        "featured": featured,
        "trending": rankings.trending_tracks(10),
        "tools": rankings.top_tools(10),
        "new_releases": Track.objects.published().for_listing().order_by("-created_at", "-id")[:12],
        "genres": GENRES,
    }
    return render(request, "marketplace/home.html", context)


def trending(request):
    context = {"tracks": rankings.trending_tracks(10), "tools": rankings.top_tools(10)}
    return render(request, "marketplace/trending.html", context)


def top(request, period="weekly"):
    if period not in dict(PERIODS):
        raise Http404("Unknown period")
    context = {"tracks": rankings.top_tracks(period, 50), "period": period, "periods": PERIODS}
    return render(request, "marketplace/top.html", context)


def browse(request):
    filterset = TrackFilter(request.GET, queryset=Track.objects.published().for_listing())
    page = Paginator(filterset.qs, 24).get_page(request.GET.get("page"))
    genre = request.GET.get("genre")
    return render(
        request, "marketplace/browse.html", {"page": page, "genres": GENRES, "genre": genre, "filter": filterset}
    )


def track_detail(request, pk, slug=None):
    track = get_object_or_404(Track.objects.for_listing().select_related("tool"), pk=pk)
    if track.status != Track.Status.PUBLISHED and track.creator_id != request.user.pk:
        raise Http404("This track is not available")
    if slug != track.slug and track.slug:
        return redirect(track, permanent=True)
    services.count_view(track.pk, request.headers.get("Referer", ""), request.get_host().split(":")[0])
    return render(request, "marketplace/track_detail.html", {"track": track})


def tool_detail(request, pk):
    tool = get_object_or_404(Tool.objects.select_related("score"), pk=pk)
    tracks = Track.objects.published().for_listing().filter(tool=tool).order_by("-created_at")[:12]
    return render(request, "marketplace/tool_detail.html", {"tool": tool, "tracks": tracks})

