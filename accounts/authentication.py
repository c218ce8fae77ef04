from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import ApiKey
from accounts.permissions import verified_principal
from aimusicstore.throttles import read_ahead, remember_key_user

LAST_USED_RESOLUTION = timedelta(minutes=5)
# A known key and its user are kept in Redis this long, so an API call needs no query to know
# its caller. Every change that could refuse a key (revoked, deleted, its user deactivated or
# edited) forgets it at once: see forget_keys().
KEY_CACHE_TTL = 60


def record_name(key_hash):
    """The Redis name of a key's cached record."""
    return f"apikey:{key_hash}"


def forget_keys(key_hashes):
    """Drop these keys' cached records now, and again once the change commits (so a request
    that read the old row in between cannot keep it)."""
    names = [record_name(h) for h in key_hashes]
    if not names:
        return
    cache.delete_many(names)
    transaction.on_commit(lambda: cache.delete_many(names))


def forget_keys_of(user_ids):
    forget_keys(list(ApiKey.objects.filter(user_id__in=user_ids).values_list("key_hash", flat=True)))


def bearer_key(header):
    """The raw key of an `Authorization: Bearer <key>` header's value, or None if it is not one."""
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != ApiKeyAuthentication.keyword.lower() or not raw.strip():
        return None
    return raw.strip()


def accepts(key):
    """Whether a key's record lets its call through (ApiKeyAuthentication answers the rest with a 401)."""
    return key is not None and key.is_usable and key.user.is_active


def due_a_touch(key, now):
    """Whether a call now should write the key's `last_used` (once every LAST_USED_RESOLUTION)."""
    return key.last_used is None or now - key.last_used > LAST_USED_RESOLUTION


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; a revoked, expired or unknown key is a 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        raw = bearer_key(header)
        if raw is None:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <api key>'.")
        digest = ApiKey.hash(raw)
        # One round trip: the key's record, its rate-limit count and a cached read's body together.
        key = read_ahead(request, digest, record_name(digest))
        if key is None and not hasattr(getattr(request, "_request", request), "api_read_ahead"):
            key = cache.get(record_name(digest))  # no Redis to pipeline with: the cache on its own
        if key is None:
            # The password hash stays out of Redis (deferred: loaded only if something asks).
            key = ApiKey.objects.select_related("user").defer("user__password").filter(key_hash=digest).first()
            if key is not None:
                # Whether its person is verified goes in the record too, so a vote or upload asks nothing
                # more (accounts.permissions.verified_principal reads it: only a yes, as it keeps its own).
                key.user.principal_verified = verified_principal(key.user)
                cache.set(record_name(digest), key, KEY_CACHE_TTL)
        remember_key_user(digest, key.user_id if accepts(key) else None)
        if not accepts(key):
            raise exceptions.AuthenticationFailed("This API key is unknown, revoked or expired.")
        now = timezone.now()
        # One write per key every few minutes, not one per request.
        if due_a_touch(key, now):
            ApiKey.objects.filter(pk=key.pk).update(last_used=now)
            key.last_used = now
            cache.set(record_name(digest), key, KEY_CACHE_TTL)
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword
