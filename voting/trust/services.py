"""Writes of the earned-influence defences: listening proofs and sign-up fingerprints."""

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from aimusicstore.http import hash_ip
from voting.trust.models import Listen, SignupFingerprint
from voting.weights import LISTEN_SECONDS


def parse_seconds(raw):
    """The seconds a player reports having heard, or 0 for anything that is not a finite number ≥ 0."""
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        return 0.0
    return seconds if 0 <= seconds < 24 * 3600 else 0.0


FIRST_PING_SECONDS = 5  # the player's first report comes after 5 s (static/js/plays.js)


def record_listen(user, track, seconds, source="player", now=None):
    """Remember how long `user` has heard `track`; True once it is a listening proof (≥ LISTEN_SECONDS).

    The player's claim is bounded by the server's clock: the first report counts for at most
    FIRST_PING_SECONDS, and a later one for at most that plus the seconds elapsed since the first,
    so a proof costs real listening time. An agent's fetch of the whole preview (source "api") counts
    as heard.
    """
    if not getattr(user, "is_authenticated", False) or seconds <= 0:
        return False
    now = now or timezone.now()
    first = seconds if source == "api" else min(seconds, FIRST_PING_SECONDS)
    listen, created = Listen.objects.get_or_create(
        user=user, track=track, defaults={"seconds": first, "source": source, "created_at": now})
    if not created:
        elapsed = (now - listen.created_at).total_seconds()
        bounded = seconds if source == "api" else min(seconds, FIRST_PING_SECONDS + elapsed + 1)
        if bounded > listen.seconds:
            Listen.objects.filter(pk=listen.pk).update(seconds=Greatest(F("seconds"), bounded))
            listen.seconds = bounded
    return listen.seconds >= LISTEN_SECONDS


def record_signup(user, request):
    """Keep salted hashes of the sign-up's address and user agent (never the raw values)."""
    if request is None:
        return
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    SignupFingerprint.objects.update_or_create(user=user, defaults={
        "ip_hash": hash_ip(request.META.get("REMOTE_ADDR", ""))[:64],
        "ua_hash": hash_ip(f"ua:{agent}")[:64] if agent else "",
    })
