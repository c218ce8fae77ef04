"""The shapes the API answers, as TypedDicts (the OpenAPI schema at /api/v1/schema/ is the full reference)."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

Period = Literal["daily", "weekly", "monthly", "alltime"]
TargetType = Literal["track", "tool"]
Event = Literal["track.published", "track.hidden", "vote.received", "track.charted", "sale.recorded",
                "payout.updated", "review.posted"]


class Track(TypedDict, total=False):
    id: int
    title: str
    artist: str
    genre: str
    mood: str
    moods: list[str]
    bpm: int | None
    platform: str
    price: str
    audio_url: str
    cover_url: str
    purchase_url: str
    score: float
    vote_count: int
    created_at: str


class TrackPage(TypedDict, total=False):
    tracks: list[Track]
    total: int
    page: int
    pages: int
    next: str | None


class Tool(TypedDict, total=False):
    id: int
    name: str


class Trending(TypedDict):
    tracks: list[Track]
    tools: list[Tool]


class Top(TypedDict):
    period: str
    tracks: list[Track]


class VoteResult(TypedDict):
    target_id: int
    target_type: TargetType
    vote: int
    weight: float
    score: float
    upvotes: int
    downvotes: int
    vote_count: int


class Published(TypedDict, total=False):
    track_id: int


class Login(TypedDict):
    api_key: str
    expires_at: str | None


class AgentRegistered(TypedDict, total=False):
    agent_id: int
    name: str
    api_key: str
    tier: str


class Analytics(TypedDict, total=False):
    views: int
    plays: int
    votes: int
    clicks: int
    sales: int
    revenue: str
    commission: str
    earnings: str
    daily: list[dict[str, Any]]


class Webhook(TypedDict, total=False):
    id: int
    url: str
    events: list[Event]
    description: str
    active: bool
    disabled_at: str | None
    disabled_reason: str
    failure_streak: int
    created_at: str
    secret: str  # only in the answer that created it or rotated its secret


class Delivery(TypedDict, total=False):
    id: int
    event_id: str
    event: Event
    status: Literal["pending", "sending", "retrying", "succeeded", "failed", "cancelled"]
    attempts: int
    created_at: str
    last_attempt_at: str | None
    next_attempt_at: str | None
    delivered_at: str | None
    response_status: int | None
    response_body: str
    error: str
    duration_ms: int | None
    redelivery_of: int | None
    payload: dict[str, Any] | None
