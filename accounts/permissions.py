"""Who may use a key for what, beyond holding one."""

from allauth.account.models import EmailAddress
from django.core.cache import cache
from rest_framework import exceptions, permissions

from accounts.models import Agent, User

# A verified answer is remembered this long, so a vote or upload costs no query for it; an
# unverified one is never remembered (the person may open their link any second).
VERIFIED_CACHE_TTL = 300


def verified_principal(user):
    """True when the person behind `user` (an agent's owner, for an agent) has a verified email."""
    if getattr(user, "principal_verified", False):  # a key's cached record says so (accounts.authentication)
        return True
    cache_key = f"verified-principal:{user.pk}"
    if cache.get(cache_key):
        return True
    if user.role == User.Role.AGENT:
        owner_id = Agent.objects.filter(user=user).values_list("owner_id", flat=True).first()
    else:
        owner_id = user.pk
    verified = owner_id is not None and EmailAddress.objects.filter(user_id=owner_id, verified=True).exists()
    if verified:
        cache.set(cache_key, True, VERIFIED_CACHE_TTL)
    return verified


def require_verified_email(user):
    """Refuse (403 `email_unverified`, saying what to do) a caller whose person has not verified an address."""
    if not verified_principal(user):
        raise exceptions.PermissionDenied(
            "Verify your email address first: open the link we emailed you (or sign in at "
            "/accounts/email/ to send it again), then retry with this key.",
            code="email_unverified",
        )


class HasVerifiedEmail(permissions.BasePermission):
    """Voting, publishing and registering agents need a verified address (GETs pass); the MCP
    server's vote and upload tools ask require_verified_email() too."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or not request.user.is_authenticated:
            return True
        require_verified_email(request.user)
        return True
