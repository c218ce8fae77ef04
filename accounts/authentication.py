from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import ApiKey
from aimusicstore.throttles import read_ahead

LAST_USED_RESOLUTION = timedelta(minutes=5)
# A known key and its user are kept in Redis this long, so an API call needs no query to know
# its caller. Every change that could refuse a key (revoked, deleted, its user deactivated or
# edited) forgets it at once: see forget_keys().
KEY_CACHE_TTL = 60


def _cache_key(key_hash):
    return f"apikey:{key_hash}"


def forget_keys(key_hashes):
    """Drop these keys' cached records now, and again once the change commits (so a request
    that read the old row in between cannot keep it)."""
    names = [_cache_key(h) for h in key_hashes]
    if not names:
        return
    cache.delete_many(names)
    transaction.on_commit(lambda: cache.delete_many(names))


def forget_keys_of(user_ids):
    forget_keys(list(ApiKey.objects.filter(user_id__in=user_ids).values_list("key_hash", flat=True)))


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; a revoked, expired or unknown key is a 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower() or not raw.strip():
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <api key>'.")
        digest = ApiKey.hash(raw.strip())
        # One round trip: the key's record, its rate-limit count and a cached read's body together.
        key = read_ahead(request, digest, _cache_key(digest))
        if key is None and not hasattr(getattr(request, "_request", request), "api_read_ahead"):
            key = cache.get(_cache_key(digest))  # no Redis to pipeline with: the cache on its own
        if key is None:
            # The password hash stays out of Redis (deferred: loaded only if something asks).
            key = ApiKey.objects.select_related("user").defer("user__password").filter(key_hash=digest).first()
            if key is not None:
                cache.set(_cache_key(digest), key, KEY_CACHE_TTL)
        if key is None or not key.is_usable or not key.user.is_active:
            raise exceptions.AuthenticationFailed("This API key is unknown, revoked or expired.")
        now = timezone.now()
        # One write per key every few minutes, not one per request.
        if key.last_used is None or now - key.last_used > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used=now)
            key.last_used = now
            cache.set(_cache_key(digest), key, KEY_CACHE_TTL)
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword
