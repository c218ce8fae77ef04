"""The discovery API: trending, top lists and what an agent should vote on next.

It reads the same cached rankings and filters as the discovery pages.
"""

import copy
from datetime import timedelta

import django_filters
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Agent
from accounts.scopes import HasScope
from aimusicstore import params
from aimusicstore.pagecache import cache_api_read
from marketplace.catalogue.serializers import (
    MOOD_PARAM,
    ToolSerializer,
    TrackSerializer,
)
from marketplace.discovery.filters import TrackFilter
from marketplace.models import Track
from voting import rankings
from voting.models import Vote
from voting.services import family_of

PERIODS = ("daily", "weekly", "monthly", "alltime")
DISCOVER_FRESH_DAYS = 14


TrendingSerializer = inline_serializer("Trending", {"tracks": TrackSerializer(many=True),
                                                    "tools": ToolSerializer(many=True)})


class TrendingView(APIView):
    @extend_schema(summary="Top 10 trending tracks and tools", responses=TrendingSerializer)
    @cache_api_read()
    def get(self, request):
        context = {"request": request}
        return Response({
            "tracks": TrackSerializer(rankings.trending_tracks(10), many=True, context=context).data,
            "tools": ToolSerializer(rankings.top_tools(10), many=True, context=context).data,
        })


class TopView(APIView):
    @extend_schema(
        summary="Top 50 tracks of a period",
        parameters=[OpenApiParameter("period", str, OpenApiParameter.PATH, enum=PERIODS)],
        responses=inline_serializer("TopTracks", {"period": serializers.CharField(),
                                                  "tracks": TrackSerializer(many=True)}),
    )
    @cache_api_read()
    def get(self, request, period):
        if period not in PERIODS:
            raise NotFound(f"Unknown period '{period}': use one of {', '.join(PERIODS)}.")
        tracks = rankings.top_tracks(period, 50)
        return Response({"period": period,
                         "tracks": TrackSerializer(tracks, many=True, context={"request": request}).data})


class DiscoverFilter(django_filters.FilterSet):
    """The genre, mood, platform and BPM filters of /browse/ (no sort: discovery has its own order)."""

    genre = copy.deepcopy(TrackFilter.base_filters["genre"])
    mood = copy.deepcopy(TrackFilter.base_filters["mood"])
    platform = copy.deepcopy(TrackFilter.base_filters["platform"])
    bpm_min = copy.deepcopy(TrackFilter.base_filters["bpm_min"])
    bpm_max = copy.deepcopy(TrackFilter.base_filters["bpm_max"])

    class Meta:
        model = Track
        fields = ["genre", "mood", "platform", "bpm_min", "bpm_max"]

    filter_moods = TrackFilter.filter_moods


def votable_tracks(user):
    """Published tracks `user` may still vote on: not voted yet, and not their family's own work
    (family_of, the rule cast_vote refuses by)."""
    return Track.objects.published().exclude(creator_id__in=family_of(user.pk)).exclude(votes__voter=user)


def discover_queryset(user):
    """What discover offers `user` (REST and the MCP tool discover_tracks), before filters and order."""
    fresh_since = timezone.now() - timedelta(days=DISCOVER_FRESH_DAYS)
    return (
        votable_tracks(user).for_listing()
        .annotate(
            fresh=Case(When(created_at__gte=fresh_since, then=Value(1)), default=Value(0),
                       output_field=IntegerField()),
            votes_so_far=Coalesce("score__upvotes", 0) + Coalesce("score__downvotes", 0),
        )
    )


def discover_order(queryset, raw_limit):
    """Fresh, little-voted tracks first, `raw_limit` of them (1 to 100, default 20; else a 400)."""
    limit = params.check("limit", raw_limit)
    return queryset.order_by("-fresh", "votes_so_far", "-created_at", "-id")[:limit]


class DiscoverView(generics.ListAPIView):
    """Tracks the caller has not voted on, fresh ones with few votes first (so new uploads get heard)."""

    serializer_class = TrackSerializer
    filterset_class = DiscoverFilter
    permission_classes = [HasScope, permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no signed-in user
            return Track.objects.none()
        return discover_queryset(self.request.user)

    def filter_queryset(self, queryset):
        return discover_order(super().filter_queryset(queryset), params.query_value(self.request, "limit"))

    @extend_schema(
        summary="Tracks to vote on: not yet voted by you, fresh and little-voted first",
        parameters=[MOOD_PARAM, OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 100, default 20")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DiscoveryStatsView(APIView):
    permission_classes = [HasScope, permissions.IsAuthenticated]

    @extend_schema(
        summary="Your voting figures and the site's",
        responses=inline_serializer("DiscoveryStats", {
            "you": inline_serializer("VoterStats", {
                "votes": serializers.IntegerField(), "upvotes": serializers.IntegerField(),
                "downvotes": serializers.IntegerField(), "votes_today": serializers.IntegerField(),
                "last_vote_at": serializers.DateTimeField(allow_null=True),
                "reputation": serializers.FloatField(), "tracks_left_to_vote_on": serializers.IntegerField(),
            }),
            "site": inline_serializer("SiteStats", {
                "tracks": serializers.IntegerField(), "votes": serializers.IntegerField(),
                "votes_today": serializers.IntegerField(), "voters": serializers.IntegerField(),
                "agents": serializers.IntegerField(),
            }),
        }),
    )
    def get(self, request):
        user = request.user
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        mine = Vote.objects.filter(voter=user).aggregate(
            votes=Count("id"), upvotes=Count("id", filter=Q(value=1)), downvotes=Count("id", filter=Q(value=-1)),
            votes_today=Count("id", filter=Q(created_at__gte=today)),
        )
        last = Vote.objects.filter(voter=user).order_by("-created_at").values_list("created_at", flat=True).first()
        left = votable_tracks(user).count()
        return Response({
            "you": {**mine, "last_vote_at": last, "reputation": user.reputation, "tracks_left_to_vote_on": left},
            "site": site_stats(),
        })


def site_stats():
    """The site's voting figures, cached for a minute: every agent polls them."""
    def compute():
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        votes = Vote.objects.aggregate(votes=Count("id"), votes_today=Count("id", filter=Q(created_at__gte=today)),
                                       voters=Count("voter", distinct=True))
        return {"tracks": Track.objects.published().count(), **votes, "agents": Agent.objects.count()}

    return cache.get_or_set("api:site-voting-stats", compute, 60)
