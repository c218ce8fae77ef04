"""Affiliate rules in one place: which purchase links we send buyers to, how we tag them,
how we verify a platform's signed postback, and which visitors are crawlers."""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawlerdetect import CrawlerDetect
from django.conf import settings

from marketplace.models import Track
from marketplace.money import percent, split_sale

TRACKING_PARAMS = ("affiliate", "click_id")


def host_allowed(host, domains):
    """A host is allowed when it is one of the domains or a subdomain of one."""
    host = (host or "").lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains if d)


def purchase_url_allowed(url, platform):
    """Only https links (see PURCHASE_URL_SCHEMES) on the platform's own domains.

    An "Other" platform that requires approval may have no domain list: staff approved the
    exact link instead, so any host passes once the track is approved.
    """
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    if parts.scheme not in settings.PURCHASE_URL_SCHEMES or not parts.hostname or parts.username or parts.password:
        return False
    if not platform.domains:
        return platform.requires_approval
    return host_allowed(parts.hostname, platform.domains)


NOT_BUYABLE = {
    "not_published": "This track is not on sale.",
    "awaiting_approval": "This track's purchase link is waiting for staff approval.",
    "unsafe_link": "This track's purchase link is not on its platform's own https domains.",
}


def why_not_buyable(track):
    """None when the Buy button may send a buyer to the track's stored link, else a NOT_BUYABLE key."""
    if track.status != Track.Status.PUBLISHED:
        return "not_published"
    if not track.buy_approved:
        return "awaiting_approval"
    if not purchase_url_allowed(track.purchase_url, track.platform):
        return "unsafe_link"
    return None


def is_buyable(track):
    """The Buy button shows only for published, approved tracks with a safe stored link."""
    return why_not_buyable(track) is None


def tagged_url(url, click_id=None):
    """The stored purchase URL with our affiliate tag and the click id, any old values replaced."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in TRACKING_PARAMS]
    query.append(("affiliate", settings.AFFILIATE_TAG))
    if click_id:
        query.append(("click_id", str(click_id)))
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class BuyOffer:
    """What the confirmation shows: price, where the buyer goes, and what each side earns."""

    track: Track
    price: Decimal
    commission: Decimal
    earnings: Decimal
    percent: str
    buyable: bool

    @property
    def platform(self):
        return self.track.platform

    @property
    def creator_name(self):
        return self.track.creator.display_name or self.track.artist

    @property
    def creator_handle(self):
        return self.track.creator.handle


def offer_for(track):
    commission, earnings = split_sale(track.price, track.platform.commission_rate)
    return BuyOffer(
        track=track, price=track.price, commission=commission, earnings=earnings,
        percent=percent(track.platform.commission_rate), buyable=is_buyable(track),
    )


def is_crawler(user_agent):
    """Known crawlers and scripted clients (by user agent) are not counted as buyers."""
    # One detector per call: it keeps the last user agent on the instance, so sharing is not thread-safe.
    return bool(user_agent) and CrawlerDetect(user_agent=user_agent).isCrawler()


def sign(body, secret=None):
    secret = settings.AFFILIATE_POSTBACK_SECRET if secret is None else secret
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body, signature):
    """Hex HMAC-SHA256 of the raw body, compared in constant time. No secret, no sale."""
    if not settings.AFFILIATE_POSTBACK_SECRET or not signature:
        return False
    return hmac.compare_digest(sign(body), signature.strip().lower())
