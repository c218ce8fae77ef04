"""Cached API reads answered for a known key before sessions, auth and DRF run.

Most agent traffic is keyed GETs of public catalogue reads (`cache_api_read`: trending, the charts,
the track list). For those the whole answer is in Redis already: the key's record, its rate-limit
counters and the stored JSON come in one pipelined round trip (throttles.fetch_ahead). What the
stack would then do is done here the same way: the key is checked as ApiKeyAuthentication checks
it, the view's permissions are asked, the call is counted against the key's limit, and the stored
body goes out with the headers DRF and the inner middleware would give it. ApiMiddleware (further
out) adds the rate-limit headers, ConditionalGetMiddleware the ETag, as for any API answer.

Anything this cannot answer goes on through the stack with what was fetched, so nothing is read or
counted twice: no key or a malformed header, a key unknown, revoked, expired, of an inactive user or
due its `last_used` write, a view that is not a cached read or has its own auth or throttles, an
Accept other than JSON, a permission refused, a body not stored or past its ttl, a key over its limit.
"""

from types import SimpleNamespace

from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from rest_framework.settings import api_settings

from aimusicstore import throttles
from aimusicstore.api import API_PREFIX
from aimusicstore.pagecache import api_cache_key, api_response, fresh_entry

JSON_ACCEPTS = ("", "*/*", "application/json")  # what DRF's only renderer answers as the stored body was


class ApiReadHitMiddleware:
    """After MemberHitMiddleware, before sessions: a keyed GET of a stored API read, answered from Redis."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.frame = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        response = None
        if request.method == "GET" and request.path_info.startswith(API_PREFIX):
            response = self.hit(request)
        return self.get_response(request) if response is None else response

    def hit(self, request):
        from accounts import authentication
        from accounts.models import ApiKey

        raw = authentication.bearer_key(request.META.get("HTTP_AUTHORIZATION", ""))
        if raw is None or request.META.get("HTTP_ACCEPT", "").strip() not in JSON_ACCEPTS:
            return None
        view = self.cached_view(request)
        if view is None:
            return None
        digest = ApiKey.hash(raw)
        kind = throttles.request_kind(request, view)
        key = throttles.fetch_ahead(request, kind, digest, authentication.record_name(digest), api_cache_key(request))
        if not authentication.accepts(key) or authentication.due_a_touch(key, timezone.now()):
            return None
        caller = SimpleNamespace(method=request.method, user=key.user, auth=key, _request=request,
                                 query_params=request.GET)
        view.request = caller
        try:
            if not all(permission.has_permission(caller, view) for permission in view.get_permissions()):
                return None
        except AttributeError:  # a permission that needs more of a DRF request than this: the stack asks it
            return None
        ahead = request.api_read_ahead
        _, _, generation, stored = ahead["body"]
        entry = fresh_entry(generation, stored)
        if entry is None:
            return None  # not stored, or due: the view's cache_api_read renders it (or serves it stale)
        limit, duration = throttles.api_limits(key.tier)[kind]
        if ahead["hits"][duration][0] > limit:
            return None  # over: the stack's throttle answers the 429 from the same count
        _, request.rate_limit, _ = throttles.count_call(caller, kind)
        request.user, request.auth = key.user, key
        response = api_response(entry)
        response["Allow"] = ", ".join(view.allowed_methods)
        response["Content-Length"] = str(len(response.content))  # as CommonMiddleware would
        patch_vary_headers(response, ("Cookie",))  # as SessionMiddleware does: the stack's auth asks the session
        return self.frame.process_response(request, response)

    @staticmethod
    def cached_view(request):
        """An instance of the DRF view this GET goes to, if its answer is a cached read it may give here."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        cls = getattr(match.func, "cls", None)
        if cls is None or getattr(getattr(cls, "get", None), "api_cache_ttl", None) is None:
            return None
        if (list(cls.authentication_classes) != list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
                or list(cls.throttle_classes) != [throttles.ApiRateThrottle]):
            return None
        view = cls(**getattr(match.func, "initkwargs", {}))
        view.setup(request, *match.args, **match.kwargs)  # as as_view() does (a GET view answers HEAD too)
        view.format_kwarg = None
        return view
