"""Every per-tier rule in one place: uploads, the badge, the API key tier, vote limits.

Staff set `User.tier` in the admin; there is no payment processing yet. The per-key API
limits are operator settings (`API_RATE_LIMITS`), read here.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

FREE_UPLOADS_PER_30_DAYS = 10
UPLOAD_LIMITS = {"free": FREE_UPLOADS_PER_30_DAYS, "pro": None, "verified": None, "enterprise": None}
BADGES = {"free": "", "pro": "Pro", "verified": "Verified", "enterprise": "Enterprise"}
# The API key tier (settings.API_RATE_LIMITS) a user's plan gives their keys.
KEY_TIERS = {"free": "starter", "pro": "pro", "verified": "pro", "enterprise": "enterprise"}

# Uploads per creator (an agent counts as its own creator) per window (seconds), whatever the channel:
# the studio form or POST /api/v1/tracks. Over them the API answers 429 with Retry-After.
UPLOAD_RATE_LIMITS = {
    "free": {3600: 5, 86400: 20},
    "pro": {3600: 20, 86400: 100},
    "verified": {3600: 20, 86400: 100},
    "enterprise": {3600: 60, 86400: 500},
}

NEW_ACCOUNT_AGE = timedelta(days=1)
# Votes allowed per window (seconds); accounts younger than NEW_ACCOUNT_AGE get "new" whatever their tier,
# so a fresh agent or a fresh ring account cannot fire more than a handful of votes.
VOTE_LIMITS = {
    "new": {60: 5, 3600: 30, 86400: 100},
    "free": {60: 20, 3600: 200, 86400: 1000},
    "pro": {60: 40, 3600: 600, 86400: 5000},
    "verified": {60: 40, 3600: 600, 86400: 5000},
    "enterprise": {60: 120, 3600: 2000, 86400: 20000},
}
API_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
API_KINDS = ("read", "write", "vote")


def upload_limit(tier):
    """Uploads allowed per 30 days, or None for unlimited."""
    return UPLOAD_LIMITS.get(tier, FREE_UPLOADS_PER_30_DAYS)


def upload_rate_limits(tier):
    """{window seconds: uploads allowed} for a creator on this plan."""
    return UPLOAD_RATE_LIMITS.get(tier, UPLOAD_RATE_LIMITS["free"])


def badge(tier):
    return BADGES.get(tier, "")


def key_tier_for(user):
    """The API tier a user's plan gives their keys."""
    return KEY_TIERS.get(user.tier, "starter")


def vote_tier(user, now=None):
    now = now or timezone.now()
    if now - user.date_joined < NEW_ACCOUNT_AGE:
        return "new"
    return user.tier if user.tier in VOTE_LIMITS else "free"


def vote_limits(user, now=None):
    """{window seconds: votes allowed} for this voter now."""
    limits = getattr(settings, "VOTE_RATE_LIMITS", None) or VOTE_LIMITS
    return limits[vote_tier(user, now)]


def parse_rate(rate):
    """'120/min' -> (120, 60)."""
    count, period = rate.split("/")
    return int(count), API_PERIODS[period.strip()[0]]


def api_limits(key_tier):
    """{kind: (requests, seconds)} for an API key tier, or for anonymous callers with tier 'anon'."""
    table = settings.API_RATE_LIMITS
    rates = table.get(key_tier) or table["starter"]
    return {kind: parse_rate(rates[kind]) for kind in API_KINDS}
