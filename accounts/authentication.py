from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiKey

LAST_USED_RESOLUTION = timedelta(minutes=5)


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
        key = ApiKey.objects.select_related("user").filter(key_hash=ApiKey.hash(raw.strip())).first()
        if key is None or not key.is_usable or not key.user.is_active:
            raise exceptions.AuthenticationFailed("This API key is unknown, revoked or expired.")
        now = timezone.now()
        # One write per key every few minutes, not one per request.
        if key.last_used is None or now - key.last_used > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used=now)
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword
