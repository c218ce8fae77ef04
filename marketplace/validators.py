"""Track rules shared by the studio forms and the API serializers.

Each validator is a plain function raising django's ValidationError with a message a
creator can act on; forms and DRF serializers both turn that into a field error.
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError

MIN_PRICE, MAX_PRICE = Decimal("0.50"), Decimal("999.99")
MIN_BPM, MAX_BPM = 20, 300


def validate_https_url(value):
    """An absolute https:// URL with a host."""
    parts = urlsplit(value or "")
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError("Enter a full https:// address, e.g. https://suno.com/song/123.", code="https")


def host_matches(host, domains):
    host = (host or "").lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


def validate_purchase_url(value, platform):
    """The purchase URL is https and on one of the chosen platform's domains ('Other' has none)."""
    validate_https_url(value)
    if platform is not None and platform.domains and not host_matches(urlsplit(value).hostname, platform.domains):
        raise ValidationError(
            f"This link is not on {platform.name}: use an address on {', '.join(platform.domains)}, "
            "or choose the platform it is sold on.",
            code="platform_domain",
        )


def with_affiliate_tag(url):
    """Add affiliate=<our tag> to a purchase URL unless it already carries an affiliate tag."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "affiliate" for key, _ in query):
        return url
    query.append(("affiliate", settings.AFFILIATE_TAG))
    return urlunsplit(parts._replace(query=urlencode(query)))


def validate_price(value):
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError("Enter a price such as 1.99.", code="price") from None
    if not price.is_finite() or not (MIN_PRICE <= price <= MAX_PRICE):
        raise ValidationError(f"Price must be between ${MIN_PRICE} and ${MAX_PRICE}.", code="price_range")
    if price != price.quantize(Decimal("0.01")):
        raise ValidationError("Use at most two decimals (cents).", code="price_cents")


def validate_bpm(value):
    if value is None or value == "":
        return
    if not (MIN_BPM <= int(value) <= MAX_BPM):
        raise ValidationError(f"BPM must be between {MIN_BPM} and {MAX_BPM}.", code="bpm_range")
