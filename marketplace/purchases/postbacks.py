"""The rules a platform's postback meets before a sale is credited: its own rate limit, a sane amount.

A signed postback is counted in the platform's own bucket (settings.POSTBACK_RATE_LIMIT per
postback secret), never in the anonymous per-address bucket a platform's one server address would
exhaust; an unsigned one is an anonymous write like any other. An amount outside
settings.POSTBACK_AMOUNT_RANGE times the track's price is held for staff review (HeldSale), never
credited blindly; staff release it from the admin, which records the sale then.
"""

import hashlib
import math
import time
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.tiers import parse_rate
from aimusicstore import ratelimit
from aimusicstore.throttles import ApiRateThrottle
from marketplace.models import Sale
from marketplace.purchases import affiliate, services
from marketplace.purchases.models import HeldSale


class PostbackThrottle(ApiRateThrottle):
    """Signed postbacks: the platform's bucket; anything else: the anonymous write bucket."""

    def allow_request(self, request, view):
        if not affiliate.signature_valid(request.body, request.headers.get("X-Signature", "")):
            return super().allow_request(request, view)
        limit, duration = parse_rate(settings.POSTBACK_RATE_LIMIT)
        secret = hashlib.sha256(settings.AFFILIATE_POSTBACK_SECRET.encode()).hexdigest()[:16]
        now = time.time()
        [(used, end)] = ratelimit.hit(f"postback:{secret}", [duration], now)
        self.retry_after = max(1, math.ceil(end - now))
        getattr(request, "_request", request).rate_limit = {
            "limit": limit, "remaining": max(0, limit - used), "reset": end,
        }
        return used <= limit


def amount_problem(track, amount):
    """Why `amount` is not a believable sale of `track`, or "" when it is."""
    low, high = (Decimal(str(factor)) for factor in settings.POSTBACK_AMOUNT_RANGE)
    if amount < track.price * low or amount > track.price * high:
        return (f"{amount} is outside {low}–{high} × the track's price {track.price} "
                f"({track.price * low:.2f}–{track.price * high:.2f})")
    return ""


def report_sale(click, order_id, amount, currency):
    """A platform's report: (Sale, created) when believable, else (HeldSale, created) held for review."""
    track = click.track
    held = HeldSale.objects.filter(order_id=order_id).first()
    if held:
        return held, False
    problem = amount_problem(track, amount)
    if not problem:
        return services.record_sale(track, order_id, amount, currency=currency, click=click,
                                    source=Sale.Source.POSTBACK)
    try:
        with transaction.atomic():
            return HeldSale.objects.create(order_id=order_id, click=click, track=track, amount=amount,
                                           currency=currency, reason=problem[:200]), True
    except IntegrityError:
        return HeldSale.objects.get(order_id=order_id), False


@transaction.atomic
def decide_held_sale(held, *, release, staff):
    """Staff release a held postback (recorded as a sale then) or reject it; returns the Sale or None."""
    held = HeldSale.objects.select_for_update().get(pk=held.pk)
    if held.status != HeldSale.Status.HELD:
        return None
    held.status = HeldSale.Status.RELEASED if release else HeldSale.Status.REJECTED
    held.decided_at, held.decided_by = timezone.now(), staff
    held.save(update_fields=["status", "decided_at", "decided_by"])
    if not release:
        return None
    sale, _ = services.record_sale(held.track, held.order_id, held.amount, currency=held.currency,
                                   click=held.click, source=Sale.Source.POSTBACK)
    return sale
