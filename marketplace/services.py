"""Writes for the marketplace: each rule enforced in one place, inside a transaction."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import validators
from .models import LedgerEntry, PurchaseClick, Sale, Track, TrackDailyStats, WaitlistEntry
from .money import split_sale

EARNINGS_HOLD = timedelta(days=14)  # refunds/chargebacks window before earnings are available


def hash_ip(ip):
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def bump_daily(track_id, day=None, **counters):
    """Add to a track's per-day counters with one upsert-style statement pair."""
    day = day or timezone.localdate()
    updates = {name: F(name) + amount for name, amount in counters.items()}
    if not TrackDailyStats.objects.filter(track_id=track_id, day=day).update(**updates):
        TrackDailyStats.objects.get_or_create(track_id=track_id, day=day)
        TrackDailyStats.objects.filter(track_id=track_id, day=day).update(**updates)


@transaction.atomic
def record_purchase_click(track, user=None, session_key="", referrer="", ip="", user_agent="", at=None):
    """Record a confirmed Buy; the click_id travels to the platform and back in the postback."""
    at = at or timezone.now()
    click = PurchaseClick.objects.create(
        track=track, user=user if user and user.is_authenticated else None, session_key=session_key or "",
        referrer=referrer[:500], ip_hash=hash_ip(ip), user_agent=user_agent[:300], created_at=at,
    )
    bump_daily(track.pk, day=at.date(), clicks=1)
    return click


@transaction.atomic
def record_sale(track, order_id, amount, currency="USD", click=None, source=Sale.Source.POSTBACK, at=None):
    """Record an affiliate sale once per order_id, split at the platform's current rate.

    Returns (sale, created). The creator's earnings enter the ledger, held for EARNINGS_HOLD.
    """
    existing = Sale.objects.filter(order_id=order_id).first()
    if existing:
        return existing, False
    at = at or timezone.now()
    rate = track.platform.commission_rate
    commission, earnings = split_sale(amount, rate)
    sale = Sale.objects.create(
        order_id=order_id, click=click, track=track, amount=commission + earnings, currency=currency,
        commission_rate=rate, commission=commission, earnings=earnings, source=source, created_at=at,
    )
    LedgerEntry.objects.create(
        creator_id=track.creator_id, kind=LedgerEntry.Kind.SALE, amount=earnings, sale=sale,
        available_at=at + EARNINGS_HOLD, memo=f"Sale of “{track.title}”", created_at=at,
    )
    return sale, True


# --- Publishing (the studio form and the API both call these) ---------------------

TRACK_FIELDS = (
    "title", "artist", "genre", "moods", "bpm", "platform", "tool", "duration", "preview_url",
    "purchase_url", "price", "description", "tags",
)


@transaction.atomic
def publish_track(creator, data):
    """Create a live track for `creator` from validated data (form or API).

    The purchase URL gets our affiliate tag; 'Other' platforms wait for staff approval of the Buy button.
    """
    track = Track(creator=creator, status=Track.Status.PUBLISHED)
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    track.artist = track.artist or creator.name
    track.purchase_url = validators.with_affiliate_tag(track.purchase_url)
    track.buy_approved = not track.platform.requires_approval
    track.save()
    return track


@transaction.atomic
def update_track(track, data):
    """Change a track's details; a changed 'Other' purchase URL needs approval again."""
    track = Track.objects.select_for_update().select_related("platform").get(pk=track.pk)
    old_url, old_platform = track.purchase_url, track.platform_id
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    track.purchase_url = validators.with_affiliate_tag(track.purchase_url)
    if track.platform.requires_approval and (track.purchase_url != old_url or track.platform_id != old_platform):
        track.buy_approved = False
    elif not track.platform.requires_approval:
        track.buy_approved = True
    track.save()
    return track


@transaction.atomic
def remove_track(track):
    """The creator deletes a track: hidden from the public at once, its clicks and sales kept."""
    Track.objects.filter(pk=track.pk).update(status=Track.Status.REMOVED, updated_at=timezone.now())
    track.status = Track.Status.REMOVED
    return track


@transaction.atomic
def hide_track(track):
    """A moderator takes a track down; the creator still sees it, the public does not."""
    Track.objects.filter(pk=track.pk).update(status=Track.Status.HIDDEN, updated_at=timezone.now())
    track.status = Track.Status.HIDDEN
    return track


def join_waitlist(email, interest=WaitlistEntry.Interest.BUYER):
    """Add an address to the waitlist once (case-insensitive); returns (entry, created)."""
    email = email.strip().lower()
    entry = WaitlistEntry.objects.filter(email__iexact=email).first()
    if entry:
        return entry, False
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(email=email, interest=interest), True
    except IntegrityError:  # joined concurrently
        return WaitlistEntry.objects.get(email__iexact=email), False
