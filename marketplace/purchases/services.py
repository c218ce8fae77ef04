"""Buy and the money after it: the one Buy rule for page and API, the click it records, the sale a
platform reports."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from aimusicstore.http import hash_ip
from marketplace.licensing import services as licensing
from marketplace.models import LedgerEntry, PurchaseClick, Sale
from marketplace.money import split_sale
from marketplace.purchases import affiliate
from marketplace.studio.services import bump_daily
from marketplace.webhooks import events as webhook_events

EARNINGS_HOLD = timedelta(days=14)  # refunds/chargebacks window before earnings are available


class NotBuyable(Exception):
    """The track exists but cannot be bought here (see affiliate.why_not_buyable)."""

    def __init__(self, reason):
        super().__init__(affiliate.NOT_BUYABLE[reason])
        self.reason = reason


def buy(track, *, user=None, session_key="", referrer="", ip="", user_agent=""):
    """A buyer continues from the disclosure to the platform: returns (click or None, URL to send them to).

    The one rule behind the Buy button and `POST /api/v1/tracks/<id>/purchase-click`: only a
    buyable track (published, approved, its stored link https on the platform's own domains);
    the click is recorded unless an anonymous known crawler asked (a signed-in user or a key
    holder is always counted); the stored link gets our tag and the click id, nothing from the
    request, so there is no open redirect. Raises NotBuyable.
    """
    reason = affiliate.why_not_buyable(track)
    if reason:
        raise NotBuyable(reason)
    signed_in = bool(user and user.is_authenticated)
    if not signed_in and affiliate.is_crawler(user_agent):
        return None, affiliate.tagged_url(track.purchase_url)
    click = record_purchase_click(
        track, user=user, session_key=session_key, referrer=referrer, ip=ip, user_agent=user_agent
    )
    return click, affiliate.tagged_url(track.purchase_url, click.click_id)


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
    try:
        with transaction.atomic():  # a concurrent report of the same order wins the unique index
            sale = Sale.objects.create(
                order_id=order_id, click=click, track=track, amount=commission + earnings, currency=currency,
                commission_rate=rate, commission=commission, earnings=earnings, source=source, created_at=at,
            )
    except IntegrityError:
        return Sale.objects.get(order_id=order_id), False
    if earnings > 0:  # a 100 % commission leaves the creator nothing to credit
        LedgerEntry.objects.create(
            creator_id=track.creator_id, kind=LedgerEntry.Kind.SALE, amount=earnings, sale=sale,
            available_at=at + EARNINGS_HOLD, memo=f"Sale of “{track.title}”", created_at=at,
        )
    licensing.issue_receipt(sale)  # a signed-in buyer's click: the receipt keeps today's licence terms
    webhook_events.sale_recorded(sale)
    return sale, True
