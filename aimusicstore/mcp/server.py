"""The MCP server: tools and resources over the store's own selectors, services and serializers.

Nothing here is a rule. Each tool checks the key's scope (accounts/scopes.py, as REST does),
counts one call against the key's API budget (aimusicstore/throttles.py, the REST counter), then
calls what the matching REST view calls: TrackFilter and the API's paging for lists, the discover
queryset, rankings for top lists, cast_vote for votes, publish_track for uploads, the studio's
selectors for analytics. A refusal comes back as a tool error carrying the REST API's error body
(`{"error": {"code", "message", "fields"}}`), built by the same exception handler.

Tools run synchronously in the request's own thread (sync_to_async, thread-sensitive), where
Django's ORM and database connection live.
"""

import copy
import functools
import inspect
import json
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Annotated, Any, Literal

from asgiref.sync import sync_to_async
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, QueryDict
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import ApiKey
from accounts.permissions import require_verified_email
from accounts.scopes import caller_allows, requires_scope
from aimusicstore import api, throttles
from aimusicstore.paging import Pagination
from aimusicstore.params import ApiFilterBackend
from marketplace.catalogue.api import publish_from_input
from marketplace.catalogue.serializers import (
    ToolSerializer,
    TrackCreatedSerializer,
    TrackSerializer,
)
from marketplace.discovery.api import PERIODS, DiscoverFilter, discover_order, discover_queryset
from marketplace.discovery.filters import TrackFilter
from marketplace.models import Track
from marketplace.studio.api import analytics_days
from marketplace.studio.selectors import creator_analytics
from voting import rankings
from voting import services as voting
from voting.api import VoteSerializer, report_rate, vote_answer, vote_refusal
from voting.ratelimit import RateLimited

Scope = ApiKey.Scope

INSTRUCTIONS = (
    "aimusicstore is a marketplace for AI-generated music. Find tracks (search_tracks, top_tracks, "
    "get_track), vote on tracks you have not voted on yet (discover_tracks, then vote), publish your "
    "own (upload_track) and read your figures (my_tracks, my_analytics). Every call uses your API "
    "key's scopes and rate limits, exactly as the REST API at /api/v1/ does; a refused call is a "
    'tool error holding {"error": {"code", "message", "fields"}}.'
)

server = MCPServer("aimusicstore", title="aimusicstore", version="1.0.0", instructions=INSTRUCTIONS,
                   website_url="https://aimusicstore.com/agents/")


@dataclass(frozen=True)
class Caller:
    """Who is calling: the Django request of this /mcp exchange, its user and API key."""

    request: Any
    user: Any
    key: ApiKey


CALLER: ContextVar[Caller] = ContextVar("mcp_caller")


def refusal(exc):
    """The REST API's error body for a DRF or Django exception, as JSON text."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = api.exception_handler(exc, {})
    body = response.data
    wait = getattr(exc, "wait", None)
    if wait is not None:
        body["error"]["retry_after"] = int(wait)
    return json.dumps(body)


def jsonable(data):
    """What the REST API would answer, as plain JSON values (Decimal and dates as DRF renders them)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _guarded(fn, scope, kind, kwargs, resource=False):
    """Run `fn(caller, **kwargs)` behind the key's scope and rate limit. A refusal is a tool error
    result holding the REST error body (for a resource: a protocol error with it as the message)."""
    caller = CALLER.get()
    try:
        if not caller_allows(caller.key, scope):
            raise exceptions.PermissionDenied(requires_scope(scope).message, code="scope_missing")
        allowed, window, retry_after = throttles.count_call(caller.request, kind)
        caller.request.rate_limit = window  # the answer's rate limit headers, as REST's throttle leaves them
        if not allowed:
            raise exceptions.Throttled(wait=retry_after)
        return jsonable(fn(caller, **kwargs))
    except (exceptions.APIException, DjangoValidationError, Http404) as exc:
        if not resource:
            return CallToolResult(content=[TextContent(type="text", text=refusal(exc))], is_error=True)
        not_found = isinstance(exc, exceptions.NotFound | Http404)
        raise (ResourceNotFoundError if not_found else ResourceError)(refusal(exc)) from None


def _in_request_thread(fn, scope, kind, resource):
    @functools.wraps(fn, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    async def run(**kwargs):
        return await sync_to_async(_guarded, thread_sensitive=True)(fn, scope, kind, kwargs, resource)

    # The SDK reads the parameters (and so the input schema) from the signature, without the caller.
    run.__signature__ = _without_caller(fn)
    return run


def _without_caller(fn):
    signature = inspect.signature(fn)
    return signature.replace(parameters=list(signature.parameters.values())[1:])


@dataclass(frozen=True)
class GuideEntry:
    """A tool or resource as /agents/ lists it."""

    name: str
    summary: str
    scope: str


TOOL_GUIDE: list[GuideEntry] = []
RESOURCE_GUIDE: list[GuideEntry] = []


def _summary(text):
    return " ".join((text or "").split("\n\n")[0].split())


def tool(scope, kind="read", read_only=True, **options):
    """Register `fn(caller, ...)` as a tool needing `scope`, counted as a `kind` call (read, write, vote)."""

    def register(fn):
        annotations = ToolAnnotations(read_only_hint=read_only, open_world_hint=False)
        run = _in_request_thread(fn, scope, kind, resource=False)
        run.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "caller"}
        server.add_tool(run, annotations=annotations, **options)
        TOOL_GUIDE.append(GuideEntry(options.get("name", fn.__name__), _summary(fn.__doc__), str(scope)))
        return fn

    return register


def resource(uri, scope=Scope.READ, **options):
    """Register `fn(caller, ...)` as a resource (a template when `uri` has {variables}), counted as a read."""

    def register(fn):
        run = _in_request_thread(fn, scope, "read", resource=True)
        run.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "caller"}
        server.resource(uri, mime_type="application/json", **options)(run)
        RESOURCE_GUIDE.append(GuideEntry(uri, options.get("description", ""), str(scope)))
        return fn

    return register


# --- How the REST views read: filters, paging, serializers -------------------------------------

def _query(params):
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if value in (None, "", []):
            continue
        if isinstance(value, list | tuple):
            query.setlist(name, [str(item) for item in value])
        else:
            query[name] = str(value)
    return query


def _rest_request(caller, params):
    """A DRF request carrying `params` as its query string, as the REST view would have seen them."""
    inner = copy.copy(caller.request)
    inner.GET = _query(params)
    request = Request(inner)
    request.user, request.auth = caller.user, caller.key
    return request


def _filtered(request, queryset, filterset_class):
    """The filter backend of every REST list (ApiFilterBackend): invalid values are a 400's fields."""
    return ApiFilterBackend().filter_queryset(request, queryset, SimpleNamespace(filterset_class=filterset_class))


def _track_page(caller, queryset, params):
    """`{"tracks": [...], "total", "page", "pages"}`: TrackFilter, then the API's paging, as GET tracks."""
    request = _rest_request(caller, params)
    paginator = Pagination()
    page = paginator.paginate_queryset(_filtered(request, queryset, TrackFilter), request)
    data = TrackSerializer(page, many=True, context={"request": caller.request}).data
    return paginator.get_paginated_response(data).data


def _tracks(caller, tracks):
    return TrackSerializer(tracks, many=True, context={"request": caller.request}).data


# --- Tools --------------------------------------------------------------------------------------

Text = Annotated[str | None, Field(description="Keywords over title, artist, tags and description")]
Genres = Annotated[list[str] | None, Field(description="Genre slugs, e.g. ['electronic', 'jazz']")]
Moods = Annotated[list[str] | None, Field(description="Mood slugs, e.g. ['energetic']; any of them matches")]
Platforms = Annotated[list[str] | None, Field(description="Platform names or slugs, e.g. ['Suno AI']")]
Bpm = Annotated[int | None, Field(description="Beats per minute bound")]
Price = Annotated[str | None, Field(description="US dollars, e.g. '4.99'")]
Sort = Annotated[Literal["newest", "top", "trending", "votes", "rating"] | None, Field(description="Order")]
Page = Annotated[int | None, Field(description="Page number, from 1")]
PerPage = Annotated[int | None, Field(description="Tracks a page, 1 to 100 (default 24)")]


@tool(Scope.READ, name="search_tracks", title="Search the catalogue")
def search_tracks(caller, q: Text = None, genre: Genres = None, mood: Moods = None, platform: Platforms = None,
                  bpm_min: Bpm = None, bpm_max: Bpm = None, price_min: Price = None, price_max: Price = None,
                  sort: Sort = None, page: Page = None, per_page: PerPage = None) -> dict[str, Any]:
    """Published tracks matching the filters of /browse/ (and GET /api/v1/tracks), a page at a time:
    {"tracks": [...], "total", "page", "pages"}."""
    params = {"q": q, "genre": genre, "mood": mood, "platform": platform, "bpm_min": bpm_min, "bpm_max": bpm_max,
              "price_min": price_min, "price_max": price_max, "sort": sort, "page": page, "per_page": per_page}
    return _track_page(caller, Track.objects.published().for_listing(), params)


@tool(Scope.READ, name="get_track", title="A track")
def get_track(caller, track_id: Annotated[int, Field(description="The track's id")]) -> dict[str, Any]:
    """One track, as GET /api/v1/tracks/<id> answers it (published tracks, and your own)."""
    track = Track.objects.visible_to(caller.user).for_listing().filter(pk=track_id).first()
    if track is None:
        raise exceptions.NotFound(f"No track with id {track_id}.")
    return TrackSerializer(track, context={"request": caller.request}).data


@tool(Scope.READ, name="discover_tracks", title="Tracks to vote on")
def discover_tracks(caller, genre: Genres = None, mood: Moods = None, platform: Platforms = None,
                    bpm_min: Bpm = None, bpm_max: Bpm = None,
                    limit: Annotated[int, Field(description="1 to 100")] = 20) -> dict[str, Any]:
    """Tracks you may vote on and have not yet (never your own or your agents'), fresh and little-voted
    first, as GET /api/v1/discovery/discover: {"tracks": [...]}."""
    request = _rest_request(caller, {"genre": genre, "mood": mood, "platform": platform,
                                     "bpm_min": bpm_min, "bpm_max": bpm_max})
    tracks = discover_order(_filtered(request, discover_queryset(caller.user), DiscoverFilter), limit)
    return {"tracks": _tracks(caller, tracks)}


@tool(Scope.READ, name="top_tracks", title="Top tracks of a period")
def top_tracks(caller, period: Annotated[Literal[PERIODS], Field(description="The ranking period")] = "weekly",
               limit: Annotated[int, Field(ge=1, le=50, description="1 to 50")] = 50) -> dict[str, Any]:
    """The period's top tracks by reputation-weighted score, as GET /api/v1/top/<period>."""
    return {"period": period, "tracks": _tracks(caller, rankings.top_tracks(period, 50)[:limit])}


@tool(Scope.VOTE, kind="vote", read_only=False, name="vote", title="Vote on a track or tool")
def vote(caller, target_id: Annotated[int, Field(description="The track's (or tool's) id")],
         vote: Annotated[int, Field(description="1 up, -1 down, 0 withdraws your vote")],
         target_type: Annotated[Literal["track", "tool"], Field(description="What you vote on")] = "track",
         ) -> dict[str, Any]:
    """Cast, change or withdraw your vote, as POST /api/v1/votes: the same rules (no votes on your own or
    your agents' work, per-voter limits, a verified email) and the same answer, with the new score."""
    require_verified_email(caller.user)
    serializer = VoteSerializer(data={"target_id": target_id, "target_type": target_type, "vote": vote})
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        result = voting.cast_vote(caller.user, data["target"], data["vote"])
    except voting.VoteRefused as refused:
        raise vote_refusal(refused) from None
    except RateLimited as limited:
        report_rate(caller.request, limited.state)
        raise exceptions.Throttled(wait=limited.retry_after, detail=str(limited), code="rate_limited") from None
    report_rate(caller.request, result.rate)
    return vote_answer(data, result)


@tool(Scope.WRITE, kind="write", read_only=False, name="upload_track", title="Publish a track")
def upload_track(
    caller,
    title: Annotated[str, Field(description="Up to 200 characters")],
    genre: Annotated[str, Field(description="A genre slug, e.g. 'electronic'")],
    platform: Annotated[str, Field(description="Where it is sold: a platform name or slug, e.g. 'Suno AI'")],
    audio_url: Annotated[str, Field(description="https URL of a playable preview")],
    purchase_url: Annotated[str, Field(description="https URL on the platform's own domain")],
    mood: Annotated[str | None, Field(description="The primary mood slug")] = None,
    moods: Annotated[list[str] | None, Field(description="Further mood slugs")] = None,
    price: Annotated[str, Field(description="0.50 to 999.99 US dollars")] = "1.99",
    artist: Annotated[str | None, Field(description="Defaults to your display name")] = None,
    bpm: Bpm = None,
    duration: Annotated[int | None, Field(description="Full length in seconds")] = None,
    description: Annotated[str | None, Field(description="Markdown, up to 5,000 characters")] = None,
    tags: Annotated[list[str] | None, Field(description="Up to 20 tags")] = None,
    licence: Annotated[str | None, Field(description="A licence code, e.g. 'creator'")] = None,
    ai_credits: Annotated[dict[str, Any] | None, Field(description="{part: ai/human/mixed/none, tool, ...}")] = None,
) -> dict[str, Any]:
    """Publish a track, as POST /api/v1/tracks: the same validation, upload limits and review rules;
    answers the track with `track_id` (and `review_reason` when it is held for review)."""
    require_verified_email(caller.user)
    given = {"title": title, "genre": genre, "platform": platform, "audio_url": audio_url,
             "purchase_url": purchase_url, "mood": mood, "moods": moods, "price": price, "artist": artist,
             "bpm": bpm, "duration": duration, "description": description, "tags": tags, "licence": licence,
             "ai_credits": ai_credits}
    track = publish_from_input(caller.user, {k: v for k, v in given.items() if v is not None})
    return TrackCreatedSerializer(track, context={"request": caller.request}).data


@tool(Scope.READ, name="my_tracks", title="Your tracks")
def my_tracks(caller, q: Text = None, genre: Genres = None, mood: Moods = None, sort: Sort = None,
              page: Page = None, per_page: PerPage = None) -> dict[str, Any]:
    """Your own tracks whatever their status (but removed), as GET /api/v1/me/tracks."""
    params = {"q": q, "genre": genre, "mood": mood, "sort": sort, "page": page, "per_page": per_page}
    return _track_page(caller, Track.objects.owned_by(caller.user).for_listing(), params)


@tool(Scope.ANALYTICS, name="my_analytics", title="Your figures")
def my_analytics(caller, days: Annotated[int, Field(description="1 to 365")] = 30) -> dict[str, Any]:
    """Your totals (views, plays, votes, clicks, sales, revenue, commission, earnings) and a `daily` list,
    as GET /api/v1/me/analytics."""
    return creator_analytics(caller.user, analytics_days(days))


# --- Resources: the catalogue, readable by URI --------------------------------------------------

@resource("track://{track_id}", name="track", title="A track", description="A track object, as get_track")
def track_resource(caller, track_id: str):
    if not track_id.isdigit():
        raise exceptions.NotFound(f"No track with id {track_id}.")
    return get_track(caller, int(track_id))


@resource("tracks://top/{period}", name="top", title="Top 50 of a period",
          description="The top 50 tracks of daily, weekly, monthly or alltime")
def top_resource(caller, period: str):
    if period not in PERIODS:
        raise exceptions.NotFound(f"Unknown period '{period}': use one of {', '.join(PERIODS)}.")
    return top_tracks(caller, period, 50)


@resource("tracks://trending", name="trending", title="Trending now",
          description="The top 10 trending tracks and tools, as GET /api/v1/trending")
def trending_resource(caller):
    return {"tracks": _tracks(caller, rankings.trending_tracks(10)),
            "tools": ToolSerializer(rankings.top_tools(10), many=True, context={"request": caller.request}).data}

