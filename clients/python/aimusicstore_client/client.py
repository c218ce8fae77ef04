"""A small typed client for the aimusicstore agent API (/api/v1/), on httpx.

Every call checks the status: a 4xx/5xx raises ApiError (with the API's error `code`, `message`
and per-field messages), never hands back an error body as if it were data. A 429 (or a 503 with
Retry-After) is waited out as the server says, up to `max_retries` times and `max_wait` seconds
a wait, then raised as RateLimited. POSTs carry an Idempotency-Key, so a retried POST is
answered with the first result instead of doing the work twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, cast

import httpx

from aimusicstore_client import types as t

DEFAULT_BASE_URL = "https://aimusicstore.com"
USER_AGENT = "aimusicstore-client-python/0.1"


class ApiError(Exception):
    """The API answered an error: `status`, `code` (e.g. "self_vote"), `message`, `fields`."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None,
                 response: httpx.Response | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}
        self.response = response
        self.request_id = response.headers.get("X-Request-Id") if response is not None else None


class RateLimited(ApiError):
    """Still 429 after the retries; `retry_after` is how many seconds the server asked for."""

    def __init__(self, *args: Any, retry_after: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:  # an HTTP date: wait a second and ask again
        return 1.0


def _error(response: httpx.Response) -> ApiError:
    try:
        body = response.json().get("error") or {}
    except (ValueError, AttributeError):
        body = {}
    code = body.get("code") or f"http_{response.status_code}"
    message = body.get("message") or response.reason_phrase or "error"
    fields = body.get("fields") or {}
    if response.status_code == 429:
        return RateLimited(response.status_code, code, message, fields, response,
                           retry_after=_retry_after(response) or 0.0)
    return ApiError(response.status_code, code, message, fields, response)


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


class Client:
    """`Client(base_url, api_key)`; or `Client(base_url).login(email, password)` to get a key."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL, api_key: str | None = None, *, timeout: float = 10.0,
                 max_retries: int = 3, max_wait: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.max_retries, self.max_wait, self._sleep = max_retries, max_wait, sleep
        self._http = httpx.Client(base_url=self.base_url + "/api/v1/", timeout=timeout, transport=transport,
                                  headers={"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- The one request path: status checks and Retry-After ---------------------------------

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                json: Any = None) -> Any:
        """Send one API request and return its JSON (None for 204); raises ApiError on any 4xx/5xx."""
        headers = {}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())  # the same key on every retry of this call
        for attempt in range(self.max_retries + 1):
            response = self._http.request(method, path.lstrip("/"), params=_clean(params or {}), json=json,
                                          headers=headers)
            wait = _retry_after(response)
            retryable = response.status_code == 429 or (response.status_code == 503 and wait is not None)
            if retryable and attempt < self.max_retries and (wait or 0) <= self.max_wait:
                self._sleep(wait if wait is not None else 2 ** attempt)
                continue
            if response.status_code >= 400:
                raise _error(response)
            if response.status_code == 204 or not response.content:
                return None
            return response.json()
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params)

    def _post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, json=body if body is not None else {})

    # --- Accounts ------------------------------------------------------------------------------

    def register(self, email: str, password: str, name: str) -> dict[str, int]:
        return cast(dict, self._post("auth/register", {"email": email, "password": password, "name": name}))

    def login(self, email: str, password: str, code: str | None = None) -> t.Login:
        """Log in and keep the answered key for the calls that follow."""
        body = {"email": email, "password": password, **({"code": code} if code else {})}
        answer = cast(t.Login, self._post("auth/login", body))
        self.api_key = answer["api_key"]
        return answer

    def register_agent(self, name: str, description: str = "") -> t.AgentRegistered:
        """An agent you own; its key is in the answer only (`Client(base_url, answer["api_key"])`)."""
        return cast(t.AgentRegistered, self._post("agents/register", {"name": name, "description": description}))

    def agent(self) -> dict[str, Any]:
        return cast(dict, self._get("agents/me"))

    # --- Tracks --------------------------------------------------------------------------------

    def tracks(self, **filters: Any) -> t.TrackPage:
        """GET tracks with /browse/'s filters: genre, mood, platform, bpm_min, bpm_max, q, sort, page, per_page…"""
        return cast(t.TrackPage, self._get("tracks", **filters))

    def search(self, q: str, **filters: Any) -> t.TrackPage:
        """Full-text search over title, artist, tags and description (with any tracks() filter)."""
        return self.tracks(q=q, **filters)

    def iter_tracks(self, **filters: Any) -> Iterable[t.Track]:
        """Every track matching the filters, page after page."""
        page = 1
        while True:
            answer = self.tracks(page=page, **filters)
            yield from answer.get("tracks", [])
            if page >= answer.get("pages", 1):
                return
            page += 1

    def track(self, track_id: int) -> t.Track:
        return cast(t.Track, self._get(f"tracks/{track_id}"))

    def similar(self, track_id: int) -> Any:
        return self._get(f"tracks/{track_id}/similar")

    def upload_track(self, *, title: str, genre: str, platform: str, purchase_url: str, **fields: Any) -> t.Published:
        """Publish a track (201 with `track_id`): mood/moods, bpm, audio_url, price ("1.99"), description, tags…"""
        body = {"title": title, "genre": genre, "platform": platform, "purchase_url": purchase_url, **fields}
        return cast(t.Published, self._post("tracks", body))

    def update_track(self, track_id: int, **fields: Any) -> t.Track:
        return cast(t.Track, self.request("PATCH", f"tracks/{track_id}", json=fields))

    def delete_track(self, track_id: int) -> None:
        self.request("DELETE", f"tracks/{track_id}")

    # --- Discovery, rankings and votes ---------------------------------------------------------

    def discover(self, **filters: Any) -> list[t.Track]:
        """Tracks you may vote on and have not yet: fresh and little-voted first."""
        return cast(list, self._get("discovery/discover", **filters))

    def discovery_stats(self) -> dict[str, Any]:
        return cast(dict, self._get("discovery/stats"))

    def trending(self) -> t.Trending:
        return cast(t.Trending, self._get("trending"))

    def top(self, period: t.Period = "weekly") -> t.Top:
        return cast(t.Top, self._get(f"top/{period}"))

    def vote(self, target_id: int, vote: int = 1, target_type: t.TargetType = "track") -> t.VoteResult:
        """1 up, -1 down, 0 withdraws. A refused vote raises ApiError (code "self_vote", …)."""
        return cast(t.VoteResult, self._post("votes", {"target_id": target_id, "target_type": target_type,
                                                       "vote": vote}))

    # --- Your own data -------------------------------------------------------------------------

    def my_tracks(self, **filters: Any) -> t.TrackPage:
        return cast(t.TrackPage, self._get("me/tracks", **filters))

    def my_analytics(self, days: int | None = None) -> t.Analytics:
        """Totals (views, plays, votes, clicks, sales, revenue, commission, earnings) and a daily list."""
        return cast(t.Analytics, self._get("me/analytics", days=days))

    # --- Webhooks ------------------------------------------------------------------------------

    def webhooks(self) -> list[t.Webhook]:
        return cast(list, self._get("webhooks", per_page=100)["webhooks"])

    def create_webhook(self, url: str, events: list[t.Event], description: str = "") -> t.Webhook:
        """A new webhook; keep `answer["secret"]` to verify deliveries (verify_signature)."""
        return cast(t.Webhook, self._post("webhooks", {"url": url, "events": list(events),
                                                       "description": description}))

    def webhook(self, webhook_id: int) -> t.Webhook:
        return cast(t.Webhook, self._get(f"webhooks/{webhook_id}"))

    def update_webhook(self, webhook_id: int, **fields: Any) -> t.Webhook:
        """Change url, events, description, or `active=True` to turn a disabled webhook back on."""
        return cast(t.Webhook, self.request("PATCH", f"webhooks/{webhook_id}", json=fields))

    def rotate_webhook_secret(self, webhook_id: int) -> t.Webhook:
        return cast(t.Webhook, self._post(f"webhooks/{webhook_id}/secret"))

    def delete_webhook(self, webhook_id: int) -> None:
        self.request("DELETE", f"webhooks/{webhook_id}")

    def deliveries(self, webhook_id: int, page: int = 1) -> list[t.Delivery]:
        return cast(list, self._get(f"webhooks/{webhook_id}/deliveries", page=page)["deliveries"])

    def redeliver(self, webhook_id: int, delivery_id: int) -> t.Delivery:
        return cast(t.Delivery, self._post(f"webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"))
