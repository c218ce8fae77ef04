"""The marketplace's API views: thin, over the same querysets, filters and services as the pages."""

import copy
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import django_filters
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Agent
from aimusicstore.pagecache import cache_api_read
from aimusicstore.throttles import client_ip
from voting import rankings
from voting.models import Vote

from . import services
from .catalog import MOODS
from .filters import TrackFilter
from .models import Tool, Track, WaitlistEntry
from .serializers import (
    ToolSerializer,
    TrackCreatedSerializer,
    TrackInputSerializer,
    TrackSerializer,
    WaitlistInputSerializer,
)

PERIODS = ("daily", "weekly", "monthly", "alltime")
# The mood filter works on an array column, which the schema generator cannot describe by itself.
MOOD_PARAM = OpenApiParameter("mood", str, many=True, explode=True, enum=[m for m, _ in MOODS],
                              description="Any of these moods (repeatable)")
DISCOVER_FRESH_DAYS = 14


class Pagination(PageNumberPagination):
    """`{"<items>": [...], "total", "page", "pages"}`, 24 a page like /browse/."""

    page_size = 24
    page_size_query_param = "per_page"
    max_page_size = 100
    items_key = "tracks"

    def get_paginated_response(self, data):
        return Response({
            self.items_key: data,
            "total": self.page.paginator.count,
            "page": self.page.number,
            "pages": self.page.paginator.num_pages,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [self.items_key, "total", "page", "pages"],
            "properties": {
                self.items_key: schema,
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
            },
        }


class ToolPagination(Pagination):
    items_key = "tools"


class IsOwnerOrReadOnly(permissions.BasePermission):
    message = "Only the track's creator can change it."

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.creator_id == getattr(request.user, "pk", None)


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


class TrackListView(generics.ListCreateAPIView):
    """GET: published tracks, filtered like /browse/. POST: upload a track (key required)."""

    queryset = Track.objects.published().for_listing()
    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(summary="Browse tracks (the filters of /browse/)", parameters=[MOOD_PARAM])
    @cache_api_read()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Upload a track", request=TrackInputSerializer, responses={201: TrackCreatedSerializer})
    def post(self, request, *args, **kwargs):
        data = TrackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        track = services.publish_track(request.user, data.validated_data)
        track = Track.objects.for_listing().get(pk=track.pk)
        return Response(TrackCreatedSerializer(track, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class TrackDetailView(generics.RetrieveUpdateDestroyAPIView):
    """A track; only its creator may edit or delete it (delete = removed from the store)."""

    serializer_class = TrackSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]

    def get_queryset(self):
        return Track.objects.for_listing().exclude(status=Track.Status.REMOVED)

    def get_object(self):
        track = super().get_object()
        if track.status != Track.Status.PUBLISHED and track.creator_id != getattr(self.request.user, "pk", None):
            raise NotFound("This track is not available.")
        return track

    @extend_schema(summary="A track")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Replace a track's details (owner only)", request=TrackInputSerializer,
                   responses=TrackSerializer)
    def put(self, request, *args, **kwargs):
        return self.edit(request, partial=False)

    @extend_schema(summary="Change some of a track's details (owner only)", request=TrackInputSerializer,
                   responses=TrackSerializer)
    def patch(self, request, *args, **kwargs):
        return self.edit(request, partial=True)

    def edit(self, request, partial):
        track = self.get_object()
        data = TrackInputSerializer(track, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_track(track, data.validated_data)
        track = Track.objects.for_listing().get(pk=track.pk)
        return Response(TrackSerializer(track, context={"request": request}).data)

    @extend_schema(summary="Remove a track from the store (owner only)")
    def delete(self, request, *args, **kwargs):
        services.remove_track(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ToolListView(generics.ListAPIView):
    queryset = Tool.objects.select_related("score").order_by("name")
    serializer_class = ToolSerializer
    pagination_class = ToolPagination
    filter_backends = []

    @extend_schema(summary="AI music tools")
    @cache_api_read()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ToolDetailView(generics.RetrieveAPIView):
    queryset = Tool.objects.select_related("score")
    serializer_class = ToolSerializer

    @extend_schema(summary="An AI music tool")
    @cache_api_read()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


WaitlistCount = inline_serializer("WaitlistCount", {"count": serializers.IntegerField()})


class WaitlistCountView(APIView):
    @extend_schema(summary="How many people are on the waitlist", responses=WaitlistCount)
    def get(self, request):
        return Response({"count": WaitlistEntry.objects.count()})


class WaitlistJoinView(APIView):
    @extend_schema(
        summary="Join the waitlist (joining twice changes nothing)", request=WaitlistInputSerializer,
        responses={201: WaitlistCount, 200: WaitlistCount},
    )
    def post(self, request):
        data = WaitlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, created = services.join_waitlist(data.validated_data["email"], data.validated_data["interest"])
        return Response({"count": WaitlistEntry.objects.count()},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def purchase_redirect_url(track, click):
    """The track's purchase URL with our affiliate tag and the click id the platform reports back."""
    parts = urlsplit(track.purchase_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("affiliate", "click_id")]
    query += [("affiliate", settings.AFFILIATE_TAG), ("click_id", str(click.click_id))]
    return urlunsplit(parts._replace(query=urlencode(query)))


class PurchaseClickView(APIView):
    @extend_schema(
        summary="Record a purchase click; answers the URL to send the buyer to", request=None,
        responses={201: inline_serializer("PurchaseClick", {"click_id": serializers.UUIDField(),
                                                            "purchase_url": serializers.URLField()})},
    )
    def post(self, request, pk):
        track = get_object_or_404(Track.objects.published().select_related("platform"), pk=pk)
        if not track.buy_approved:
            raise PermissionDenied("This track's purchase link is waiting for staff approval.")
        click = services.record_purchase_click(
            track, user=request.user, referrer=request.headers.get("Referer", ""),
            ip=client_ip(request), user_agent=request.headers.get("User-Agent", ""),
        )
        return Response({"click_id": str(click.click_id), "purchase_url": purchase_redirect_url(track, click)},
                        status=status.HTTP_201_CREATED)


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


class DiscoverView(generics.ListAPIView):
    """Tracks the caller has not voted on, fresh ones with few votes first (so new uploads get heard)."""

    serializer_class = TrackSerializer
    filterset_class = DiscoverFilter
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        user = self.request.user
        fresh_since = timezone.now() - timedelta(days=DISCOVER_FRESH_DAYS)
        return (
            Track.objects.published().for_listing()
            .exclude(creator=user)
            .exclude(votes__voter=user)
            .annotate(
                fresh=Case(When(created_at__gte=fresh_since, then=Value(1)), default=Value(0),
                           output_field=IntegerField()),
                votes_so_far=Coalesce("score__upvotes", 0) + Coalesce("score__downvotes", 0),
            )
        )

    def filter_queryset(self, queryset):
        try:
            limit = min(max(int(self.request.query_params.get("limit", 20)), 1), 100)
        except ValueError:
            limit = 20
        return super().filter_queryset(queryset).order_by("-fresh", "votes_so_far", "-created_at", "-id")[:limit]

    @extend_schema(
        summary="Tracks to vote on: not yet voted by you, fresh and little-voted first",
        parameters=[MOOD_PARAM, OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 100, default 20")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DiscoveryStatsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

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
        left = (Track.objects.published().exclude(creator=user).exclude(votes__voter=user).count())
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


class AdminTrackFilter(TrackFilter):
    status = django_filters.ChoiceFilter(choices=Track.Status.choices)


class AdminTrackListView(generics.ListAPIView):
    """Every track, whatever its status, for moderation (staff keys only)."""

    queryset = Track.objects.for_listing()
    serializer_class = TrackSerializer
    filterset_class = AdminTrackFilter
    pagination_class = Pagination
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(summary="All tracks, any status (staff)", parameters=[MOOD_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AdminTrackDeleteView(generics.DestroyAPIView):
    queryset = Track.objects.all()
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(summary="Take a track down (hidden by moderation; staff)", responses={204: None})
    def delete(self, request, *args, **kwargs):
        services.hide_track(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
