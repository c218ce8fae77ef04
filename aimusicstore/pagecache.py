"""Whole pages for signed-out visitors, served from Redis before sessions, auth or the view run.

Most of the store's traffic is signed-out visitors looking at the same pages: home, browse,
search, the charts, a track. For them a page differs only in its CSRF token, so a view marked
with `cache_for_visitors` is rendered once with a placeholder where the token goes, stored in
Redis, and every later visitor gets the stored bytes with their own token put in. Django's
`cache_page` can't do this: it would store one visitor's token for everybody, or (with
`Vary: Cookie`) store a copy per visitor.

Who is served from here: GET requests with no session cookie and no pending messages. Anyone
signed in (or with anything in a session) goes through the normal stack, so their own votes,
hearts and follows are always current. A page is stored only when it answered 200 to a
signed-out visitor and set no cookie but the CSRF one.

Freshness: each page lives `ttl` seconds (scores move with every vote, so they lag by at most
that), and `invalidate()` retires every stored page at once whenever the catalogue changes (a
track published, edited or hidden; a placement; a profile). A view can also name the `counts`
every visit must still add to, such as a track's view count: they are added in the same round trip.
"""

import functools
import gzip
import logging
import pickle
import secrets
import threading
import time
from dataclasses import dataclass
from importlib import import_module

from cachetools import LRUCache
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_htmx.middleware import HtmxDetails
from django_redis import get_redis_connection
from isal import igzip
from redis.commands.core import Script
from redis.exceptions import RedisError

from aimusicstore import personal
from aimusicstore.api import API_PREFIX
from aimusicstore.conditional import etag_of

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "__visitor-page-csrf-token__"
GENERATION_KEY = "pagecache:generation"
# The "2" is the format of what is stored: a stamp, then the pickled entry (_read). A release that changes
# it never reads the older one, nor its predecessor the newer.
KEY_PREFIX = "pagecache:page2:"
API_KEY_PREFIX = "pagecache:api2:"
# The member version of a page (bytes and holes, aimusicstore/personal.py) is stored beside the
# visitor version under its key plus this: each is rendered once, by the first reader of its kind. The
# number is the member version's format: a release that changes it never reads the older one.
MEMBER_KEY_SUFFIX = "|member:2"
# A visitor page with no form on it is the same bytes for every visitor, so it is also kept gzipped under
# its key plus this, for the browsers that ask (all of them): GZipMiddleware compressing a stored page
# on every hit cost 0.9 ms, twice the rest of the hit (a 79 KB home page, measured in process).
GZIP_KEY_SUFFIX = "|gzip"
# A member's page is theirs alone, so it is gzipped for every answer: with ISA-L (isal), at its level 2.
# On the 79 KB home page that took 0.075 ms for 11,350 bytes, against zlib's 0.31 ms for 11,330 bytes at
# level 1 (nginx's default gzip_comp_level) and 1.0 ms for 9,572 bytes at GZipMiddleware's 6 (in process).
MEMBER_GZIP_LEVEL = 2
# An entry outlives its ttl by this long, so that once it is due only one process renders it
# afresh while every other request keeps getting the stored copy (no stampede on a hot page).
STALE_GRACE = 60
RENDER_LOCK_SECONDS = 30
# The htmx request headers our views read: a boosted page, a results-only swap and a history
# restore are different responses for the same URL.
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_TARGET", "HTTP_HX_HISTORY_RESTORE_REQUEST")
SKIPPED_HEADERS = {"set-cookie", "content-length"}
# Each stored value starts with this many random bytes, new each time it is stored: what a process that
# already decoded it asks Redis about instead of fetching it again (_read).
STAMP_BYTES = 8


@dataclass(frozen=True)
class VisitorCache:
    ttl: int
    counts: object = None


def cache_for_visitors(ttl=30, counts=None):
    """Mark a page view as the same for every signed-out visitor, for `ttl` seconds.

    `counts(request, **view_kwargs)` names the Redis hash fields each visit adds one to, as
    [(hash key, field)] (a track's view count). They are added in the round trip that reads the
    stored page, whenever one is stored, served or not; from then on `count_once(request)` is False,
    so a view that renders all the same (the page was due, a member's own render) adds nothing more.
    The view counts its own visits (the page was not stored) under `if count_once(request):`.
    """

    def decorate(view):
        view.visitor_cache = VisitorCache(ttl, counts)  # read by the middleware; the view is unchanged
        return view

    return decorate


COUNTED = "visit-counts"


def count_once(request):
    """True if this request's visit is still to be counted, and from now on it is; False after."""
    return once(request, COUNTED)


def _counted(request):
    return request is not None and COUNTED in _done(request)


def visit_counts(request, marking, view_kwargs):
    """The hash fields this visit adds one to (the view's `counts`), or none."""
    return marking.counts(request, **view_kwargs) if marking.counts else []


KEPT_API_HEADERS = ("Link", "Last-Modified")  # what a list or object says beside its JSON


def api_response(entry):
    """The answer a stored API read gives: its JSON and the headers kept with it."""
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    for header, value in entry.get("headers", {}).items():
        response[header] = value
    return response


def cache_api_read(ttl=30):
    """Keep an API read's JSON for `ttl` seconds, for every caller, after auth and throttling ran.

    For GET handlers of DRF views whose answer depends only on the URL (public catalogue data).
    The key is still checked and counted against its limits on every call; what is skipped is
    the queries and the serialising. Retired with the visitor pages by `invalidate()`.
    """

    def decorate(handler):
        @functools.wraps(handler)
        def wrapped(view, request, *args, **kwargs):
            key = api_cache_key(request)
            ahead = (getattr(request._request, "api_read_ahead", None) or {}).get("body")
            if ahead and ahead[0] == key:  # read with the key check and the count (throttles.read_ahead)
                redis, generation, entry = _decode(key, ahead[1], ahead[2], ahead[3])
            else:
                redis, generation, entry = _fetch(key)
            if entry is not None:
                return api_response(entry)
            response = handler(view, request, *args, **kwargs)
            if response.status_code != 200 or redis is None:
                return response
            renderer = request.accepted_renderer
            content = renderer.render(response.data, request.accepted_media_type, view.get_renderer_context())
            content_type = request.accepted_media_type
            if renderer.charset:
                content_type += f"; charset={renderer.charset}"
            kept = {h: response[h] for h in KEPT_API_HEADERS if response.has_header(h)}
            kept.setdefault("ETag", etag_of(content))  # hashed once, not by ConditionalGetMiddleware on each call
            entry = {"generation": generation, "content": content, "content_type": content_type, "headers": kept}
            _store(redis, key, entry, ttl)
            return api_response(entry)

        wrapped.api_cache_ttl = ttl
        return wrapped

    return decorate


def api_cache_key(request):
    return f"{API_KEY_PREFIX}{request.build_absolute_uri()}"


def invalidate():
    """Retire every stored page; each is rendered afresh on its next visit.

    Called inside a transaction it retires them twice: now, and again once the change commits,
    so a page rendered from the old rows in between is not kept.
    """
    bump_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(bump_generation)


def bump_generation():
    """Retire every stored page now (invalidate() also does it again on commit)."""
    try:
        get_redis_connection("default").incr(cache.make_key(GENERATION_KEY))
    except (RedisError, NotImplementedError):
        logger.warning("stored visitor pages not retired: Redis unavailable")


def current_generation():
    """The number invalidate() bumps; a cache of catalogue reads that puts it in its keys retires with the pages."""
    try:
        return int(get_redis_connection("default").get(cache.make_key(GENERATION_KEY)) or 0)
    except (RedisError, NotImplementedError):
        return 0


def _fetch(key, counts=(), request=None):
    """(redis, generation, the stored entry if it may be served now).

    One round trip, two at most. An entry of an older generation is never served. One past its
    ttl is served to everybody but the one request that wins the render lock, which renders
    it afresh. redis is None when there is no Redis to use (down, or a cache that is not Redis):
    the caller then just renders. `counts`: the visit's, added in the same trip (_read).
    """
    try:
        redis = get_redis_connection("default")
        generation, entry, _ = _read(redis, key, counts=counts, request=request)
    except (RedisError, NotImplementedError):
        return None, 0, None
    return _lock_if_due(key, redis, generation, entry)


def _lock_if_due(key, redis, generation, entry):
    """_fetch's answer from the generation and the decoded entry: None for the one request that renders it afresh."""
    generation = int(generation or 0)
    entry = _current(generation, entry)
    try:
        if entry is not None and entry["fresh_until"] < time.time() and redis.set(
                f"{cache.make_key(key)}:rendering", 1, nx=True, ex=RENDER_LOCK_SECONDS):
            return redis, generation, None  # this request renders; the others keep the stored copy
    except (RedisError, NotImplementedError):
        return None, 0, None
    return redis, generation, entry


def _decode(key, redis, generation, stored):
    """_fetch's answer from the generation and the stored value read from Redis in a larger pipeline."""
    return _lock_if_due(key, redis, generation, _unstamp(stored))


def _current(generation, entry):
    """The decoded entry if it is of this generation (one of an older generation is never served), else None."""
    return entry if entry is not None and entry["generation"] == int(generation or 0) else None


def fresh_entry(generation, stored):
    """The stored value's entry if it is current and within its ttl, else None: for the paths that serve a stored
    entry without the render lock, and leave one that is due to the path that takes it (_fetch)."""
    return _fresh(generation, _unstamp(stored))


def _fresh(generation, entry):
    entry = _current(generation, entry)
    return entry if entry is not None and entry["fresh_until"] >= time.time() else None


# --- What a process keeps of what it read ---------------------------------------------------------------
#
# A hot page is the same stored value for many requests in a row. Fetching it whole from Redis and
# unpickling it on each was a third of a member's hit (py-spy under gunicorn: 164 KB from the socket,
# 0.15 ms of pickle.loads). So each process keeps the entries it decoded, with the stamp each was stored
# under, and asks Redis only whether the value there still has that stamp: when it does, a one-byte
# answer comes back instead of the value. Redis stays the one truth (a value stored again has a new
# stamp; one deleted or expired has none), and the generation still comes in the same round trip.

NEAR_BYTES = settings.PAGE_CACHE_NEAR_MB * 1024 * 1024  # per process; the home page's member version is 164 KB


def near_cache():
    """An empty LRU of (stamp, entry, size) by full key, bounded by the sizes of the values kept."""
    return LRUCache(maxsize=NEAR_BYTES, getsizeof=lambda item: item[2])


_near = near_cache()
_near_lock = threading.Lock()  # LRUCache is not thread-safe, and a test server or a threaded worker has threads
SAME = b"="

# KEYS: the generation, the entry's key, the `others` read alongside, then the hashes of `counts`. ARGV: the
# stamp of the entry this process holds ("" if none), how many `others`, then the fields of `counts`, each
# added one to only when the entry is stored. The entry comes back as "=" when Redis holds that very value.
_READ = Script(None, f"""
local out = {{redis.call('GET', KEYS[1])}}
if ARGV[1] ~= '' and redis.call('GETRANGE', KEYS[2], 0, {STAMP_BYTES - 1}) == ARGV[1] then
  out[2] = '{SAME.decode()}'
else
  out[2] = redis.call('GET', KEYS[2])
end
local others = tonumber(ARGV[2])
for i = 3, 2 + others do out[i] = redis.call('GET', KEYS[i]) end
if out[2] then
  for i = 3 + others, #KEYS do redis.call('HINCRBY', KEYS[i], ARGV[i - others], 1) end
end
return out
""".encode())


def _read(redis, key, *others, counts=(), request=None):
    """(generation, the entry stored at `key` decoded, or None; [the raw values of `others`]) in one round trip.

    `others` are full keys (cache.make_key'd) read in the same trip, such as the session of a member's hit.
    `counts` ([(hash, field)], a cache_for_visitors view's) are added to in it too when the page is stored,
    unless this request's visit was counted already; then it is (count_once)."""
    name = cache.make_key(key)
    if _counted(request):
        counts = ()
    with _near_lock:
        known = _near.get(name)
    generation, stored, *rest = _READ(
        keys=[cache.make_key(GENERATION_KEY), name, *others, *(hash_key for hash_key, _field in counts)],
        args=[known[0] if known else b"", len(others), *(field for _hash, field in counts)], client=redis)
    if counts and stored is not None:
        count_once(request)
    if stored == SAME and known is not None:
        return generation, known[1], rest
    entry = _unstamp(stored)
    if entry is not None:
        _keep(name, stored[:STAMP_BYTES], entry, len(stored))
    return generation, entry, rest


def _keep(name, stamp, entry, size):
    if size <= NEAR_BYTES // 16:  # one outsized page must not push out all the others
        with _near_lock:
            _near[name] = (stamp, entry, size)


def _unstamp(stored):
    """The entry in a stored value (its stamp, then the pickle), or None."""
    return pickle.loads(memoryview(stored)[STAMP_BYTES:]) if stored is not None else None


def accepts_gzip(request):
    """GZipMiddleware's own test of a request's Accept-Encoding."""
    return re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None


def gzipped(content, level, compress=gzip.compress):
    """`content` gzipped as GZipMiddleware answers (Django's compress_string, with its random-length name
    against BREACH), by `compress` at `level`; None when GZipMiddleware would not compress it (short, or
    no smaller)."""
    if len(content) < 200:
        return None
    data = compress(content, compresslevel=level, mtime=0)
    if len(data) >= len(content):
        return None
    name = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\x00"
    return data[:3] + bytes([gzip.FNAME]) + data[4:10] + name + data[10:]


def _store(redis, key, entry, ttl, beside=()):
    """Keep `entry` under `key` for `ttl` (and each (key, entry) `beside` it, alike), and free the render lock."""
    fresh_until = time.time() + ttl
    kept = []
    try:
        pipe = redis.pipeline(transaction=False)
        for name, value in ((key, entry), *beside):
            name, value = cache.make_key(name), {**value, "fresh_until": fresh_until}
            stored = secrets.token_bytes(STAMP_BYTES) + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.set(name, stored, ex=ttl + STALE_GRACE)
            kept.append((name, stored[:STAMP_BYTES], value, len(stored)))
        pipe.delete(f"{cache.make_key(key)}:rendering")
        pipe.execute()
    except RedisError:
        return
    for item in kept:  # this process's next hit on it needs no fetch either
        _keep(*item)


def marking_of(request):
    """(the URL's kwargs, its view's `cache_for_visitors` marking) for a page kept in the cache, else None.

    Resolved once per request (both middlewares ask), and never under /api/: no endpoint there is a page.
    """
    if "_pagecache_marking" not in request.__dict__:
        request._pagecache_marking = None if request.path_info.startswith(API_PREFIX) else _marking(request)
    return request._pagecache_marking


def _marking(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    marking = getattr(match.func, "visitor_cache", None)
    return (match.kwargs, marking) if marking else None


def csrf_placeholder(request):
    """Context processor: while a page is rendered for storage, its CSRF token is a placeholder."""
    if getattr(request, "rendering_for_visitors", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


class VisitorPageCacheMiddleware:
    """Answer signed-out GETs of `cache_for_visitors` pages from Redis; store them on a miss.

    Sits after the security and static-file middleware and before sessions: a hit costs one
    Redis round trip and no database query. What the inner middleware would have added to a
    signed-out response (Vary, X-Frame-Options, the CSRF cookie) is stored with the page or
    added here with Django's own CSRF middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        marked = self.marked_view(request)
        if marked is None:
            return self.get_response(request)
        view_kwargs, marking = marked
        key = self.key(request)
        browser = accepts_gzip(request)
        counts = visit_counts(request, marking, view_kwargs)
        entry = self.gzipped_entry(key, counts, request) if browser else None
        if entry is None:
            redis, generation, entry = _fetch(key, counts, request)
        if entry is not None:
            return self.respond(request, entry, hit=True)
        if redis is None:
            return self.get_response(request)
        with personal.storing(request):
            response = self.get_response(request)
        entry = self.entry(request, response, generation)
        if entry is None:
            return self.personalise(request, response)
        compressed = self.compressed(entry)
        _store(redis, key, entry, marking.ttl, beside=[(key + GZIP_KEY_SUFFIX, compressed)] if compressed else [])
        return self.respond(request, compressed if compressed and browser else entry, hit=False)

    @staticmethod
    def gzipped_entry(key, counts=(), request=None):
        """The page's gzipped copy, if it is stored and fresh (else the plain one answers, due or not)."""
        try:
            generation, entry, _ = _read(get_redis_connection("default"), key + GZIP_KEY_SUFFIX, counts=counts,
                                         request=request)
        except (RedisError, NotImplementedError):
            return None
        return _fresh(generation, entry)

    @staticmethod
    def compressed(entry):
        """The entry gzipped as GZipMiddleware would answer it, for a page that is the same for every visitor
        (no token to put in); None for one that is not, or too short to gain."""
        content = entry.get("content")
        if content is None or CSRF_PLACEHOLDER.encode() in content:
            return None
        compressed = gzipped(content, level=6)  # GZipMiddleware's: stored once, so the smallest
        return {**entry, "content": compressed, "encoding": "gzip"} if compressed else None

    def marked_view(self, request):
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        if CookieStorage.cookie_name in request.COOKIES:
            return None
        return marking_of(request)

    @staticmethod
    def key(request):
        htmx = "|".join(request.META.get(name, "") for name in HTMX_HEADERS)
        scheme = "https" if request.is_secure() else "http"
        host = request.META.get("HTTP_HOST", "")
        return f"{KEY_PREFIX}{scheme}://{host}{request.get_full_path()}|{htmx}"

    @staticmethod
    def entry(request, response, generation):
        """What is stored of a response, or None if it must not be shared between visitors."""
        if response.status_code != 200 or response.streaming or response.has_header("Cache-Control"):
            return None
        cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        if cookies or getattr(request, "user", None) is None or request.user.is_authenticated:
            return None
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return None
        entry = {
            "generation": generation,
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS],
            "private_for": frozenset(getattr(request, "_personal_private_for", ())),
        }
        if getattr(request, "_personal_holes", None) is not None:  # rendered for members: bytes and holes
            entry["member"] = personal.split(request, response.content)
            entry["holes"] = personal.holes_of(entry["member"])  # found once, not on every member's hit
        else:
            entry["content"] = response.content
        return entry

    def personalise(self, request, response):
        """A response that is not stored (an error page, a redirect) still gets this visitor's token."""
        if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
            response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            return self.csrf.process_response(request, response)
        return response

    def respond(self, request, entry, hit):
        content = entry["content"]
        if CSRF_PLACEHOLDER.encode() in content:
            if hit:
                self.csrf.process_request(request)
            content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(content, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(content))
        response["X-Page-Cache"] = "hit" if hit else "miss"
        if entry.get("encoding"):  # what GZipMiddleware (further out) would have made of it; it leaves this be
            patch_vary_headers(response, ("Accept-Encoding",))
            response["Content-Encoding"] = entry["encoding"]
        return self.csrf.process_response(request, response)


def private_for(request, *user_ids):
    """The members who must get their own render of this page, not the shared one (its owner).

    Called by the view before it renders anything. If the page is being rendered for storage on
    behalf of one of these members (MemberPageMiddleware on a miss), the rest of this one render
    becomes theirs: their user and session back, the real CSRF token, no holes, and nothing of it
    stored. So a page's owner costs one render on a miss, as anyone else does.
    """
    request.__dict__.setdefault("_personal_private_for", set()).update(user_ids)
    member = getattr(request, "_shared_render_for", None)
    if member is None or member[0].pk not in user_ids or getattr(request, "_personal_holes", None):
        return
    request.user = request._cached_user = member[0]
    request.session = member[1]
    request.rendering_for_visitors = False
    request._rendered_for_member = True


def once(request, name):
    """True the first time this request asks for `name`, False after.

    For work a page does once per request however many times it is rendered (counting a view):
    a member's miss may run the view for the shared entry and then again for them.
    """
    done = _done(request)
    if name in done:
        return False
    done.add(name)
    return True


def _done(request):
    """The names once() has answered True for in this request."""
    return request.__dict__.setdefault("_pagecache_done", set())


class MemberPageMiddleware:
    """Serve signed-in members the same stored page as visitors, with their personal bits applied.

    Last in MIDDLEWARE, so the session, the user, CSRF and messages are known. A member gets the
    stored page of a `cache_for_visitors` view when they are not staff, have no message waiting,
    and are not someone the page is private for (a track's own creator): its member version with
    their votes, hearts, follows, playlists, unread count and CSRF token put in
    (aimusicstore/personal.py). On a miss the member version is rendered once, for nobody (an
    anonymous request user, an empty session, each personal block for a neutral member), stored
    for every member beside the visitor version, and then applied for this member: one render,
    then the splice. Nothing of the member is in what is stored. A page's own creator on a miss
    gets that one render turned into their own (private_for). Everybody else goes through the
    view as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        marked = self.marked_view(request)
        if marked is None:
            return self.get_response(request)
        view_kwargs, marking = marked
        key = VisitorPageCacheMiddleware.key(request) + MEMBER_KEY_SUFFIX
        redis, generation, entry = _fetch(key, visit_counts(request, marking, view_kwargs), request)
        hit = entry is not None and "member" in entry
        if not hit:
            if redis is None:
                return self.get_response(request)
            entry, own = self.render_shared(request, generation)
            if own is not None:
                return own  # the page is this member's own (private_for): rendered once, for them
            if entry is None:
                return self.get_response(request)  # not shareable (a 404, a redirect): theirs instead
            _store(redis, key, entry, marking.ttl)
        if request.user.pk in entry["private_for"]:
            return self.get_response(request)
        return self.respond(request, entry, hit)

    @staticmethod
    def marked_view(request):
        if request.method != "GET":
            return None
        marked = marking_of(request)
        if marked is None:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
            return None
        if request.COOKIES.get(CookieStorage.cookie_name) or request.session.get("_messages"):
            return None  # a message to show once: the view renders it
        return marked

    def render_shared(self, request, generation):
        """(the entry of the page rendered for nobody, as a visitor's would be, or None if not
        storable; or the response when the view found the page is this member's own)."""
        from importlib import import_module

        member, session = request.user, request.session
        request.user = request._cached_user = AnonymousUser()
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        request._shared_render_for = (member, session)
        try:
            with personal.storing(request, for_members=True):
                response = self.get_response(request)
            if getattr(request, "_rendered_for_member", False):
                return None, response
            return VisitorPageCacheMiddleware.entry(request, response, generation), None
        finally:
            request.user = request._cached_user = member
            request.session = session
            request._shared_render_for = None
            request._personal_holes = None

    @staticmethod
    def respond(request, entry, hit, states=None):
        content = personal.apply(request, entry["member"], CSRF_PLACEHOLDER.encode(), entry.get("holes"), states)
        zipped = gzipped(content, MEMBER_GZIP_LEVEL, igzip.compress) if accepts_gzip(request) else None
        response = HttpResponse(zipped or content, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(response.content))
        response["X-Page-Cache"] = "member-hit" if hit else "member-miss"
        patch_cache_control(response, private=True)
        if zipped:  # as GZipMiddleware (further out) would answer it, which then leaves it be
            patch_vary_headers(response, ("Accept-Encoding",))
            response["Content-Encoding"] = "gzip"
        return response


class KnownMember(SimpleLazyObject):
    """request.user for a member MemberHitMiddleware serves: their id known, their row read only if asked for.

    The one query of a hit reads what authenticates them; a partial rendered for them (their playlists
    menu, their review) is what may ask for the rest."""

    def __init__(self, pk):
        model = get_user_model()
        super().__init__(lambda: model._default_manager.get(pk=pk))
        self.__dict__["_known_pk"] = pk

    pk = id = property(lambda self: self.__dict__["_known_pk"])
    is_authenticated = True
    is_anonymous = False


class MemberHitMiddleware:
    """Serve a signed-in member a stored page before sessions, auth and the rest of the stack run.

    Right after VisitorPageCacheMiddleware. Most of a member's page views are of a page whose member
    version is already stored (MemberPageMiddleware made it): for those the page's generation, the
    stored page and the session come in one Redis round trip, and one query reads both the member's
    row (is the session still theirs, may they have the shared page) and their own state on the page.
    What Django would check is checked the same way: the session's backend is a configured one, its
    hash is the one the member's current password gives, the member is active and not staff.
    Anything else goes on through the stack unchanged and MemberPageMiddleware (or the view) answers
    it as before: a session not in the cache, a message waiting, a page not stored or past its ttl,
    a page private for this member, a hash that no longer matches (the stack then signs them out).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.frame = XFrameOptionsMiddleware(get_response)
        engine = import_module(settings.SESSION_ENGINE)
        # Only sessions kept in the same Redis as the pages can come in the same round trip.
        self.session_store = engine.SessionStore if (
            hasattr(engine.SessionStore, "cache_key_prefix") and settings.SESSION_CACHE_ALIAS == "default") else None
        users = get_user_model()
        self.auth_sql = (f"SELECT password, (is_active AND NOT is_staff AND NOT is_superuser)::integer "
                         f"FROM {users._meta.db_table} WHERE {users._meta.pk.column} = %s")

    def __call__(self, request):
        marked = self.marked_view(request)
        response = self.hit(request, *marked) if marked is not None else None
        return self.get_response(request) if response is None else response

    def marked_view(self, request):
        if self.session_store is None or request.method != "GET" or CookieStorage.cookie_name in request.COOKIES:
            return None
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return marking_of(request)

    def hit(self, request, view_kwargs, marking):
        """The response for a member whose page is stored, or None: the stack answers."""
        session = self.session_store(request.COOKIES[settings.SESSION_COOKIE_NAME])
        if session.session_key is None:
            return None
        key = VisitorPageCacheMiddleware.key(request) + MEMBER_KEY_SUFFIX
        try:
            generation, entry, (data,) = _read(get_redis_connection("default"), key, cache.make_key(session.cache_key),
                                               counts=visit_counts(request, marking, view_kwargs), request=request)
            entry = _fresh(generation, entry)
            data = cache.client.decode(data) if data is not None else None
        except (RedisError, NotImplementedError, AttributeError):
            return None
        if entry is None or "member" not in entry:
            return None  # not stored, or due: the stack's MemberPageMiddleware renders it (or serves it stale)
        if not data or "_messages" in data:
            return None
        if data.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS or not data.get(HASH_SESSION_KEY):
            return None
        try:
            member = KnownMember(get_user_model()._meta.pk.to_python(data.get(SESSION_KEY)))
        except ValidationError:  # not an id of ours: the stack decides
            return None
        if member.pk is None or member.pk in entry["private_for"]:
            return None
        holes = entry.get("holes") or personal.holes_of(entry["member"])
        states, row = personal.lookup(member, holes, also=(self.auth_sql, [member.pk]))
        if not self.authenticated(member, data[HASH_SESSION_KEY], row):
            return None
        session._session_cache = data
        request.session, request.user, request._cached_user = session, member, member
        request.htmx = HtmxDetails(request)
        self.csrf.process_request(request)  # the CSRF cookie's secret, for this member's token
        response = MemberPageMiddleware.respond(request, entry, hit=True, states=states)
        patch_vary_headers(response, ("Cookie",))  # as SessionMiddleware says of a page that read the session
        return self.csrf.process_response(request, self.frame.process_response(request, response))

    @staticmethod
    def authenticated(member, session_hash, row):
        """Whether the member's row says what django.contrib.auth.get_user would: this session is theirs."""
        if not row or not row[0][1]:
            return False  # gone, inactive, or staff (who always get their own render)
        # The model's own hash of the password just read, on an instance made without Model.__init__:
        # building a whole User was 4 % of a member hit (py-spy under gunicorn); the hash reads only this.
        bare = get_user_model().__new__(get_user_model())
        bare.password = row[0][0]
        current = bare.get_session_auth_hash()
        return constant_time_compare(session_hash, current)
