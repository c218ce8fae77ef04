"""Writes for the marketplace: each rule enforced in one place, inside a transaction."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LedgerEntry, PlayEvent, PurchaseClick, Sale, TrackDailyStats
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


@transaction.atomic
def record_play(track, listener, day=None):
    """Count a preview heard for 5 s, at most once per listener, track and day; return True if counted.

    The PlayEvent unique constraint is the guard, so two tabs racing still count once.
    """
    day = day or timezone.localdate()
    _, created = PlayEvent.objects.get_or_create(track=track, listener=listener[:64], day=day)
    if created:
        bump_daily(track.pk, day=day, plays=1)
    return created
