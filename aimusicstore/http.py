"""Small HTTP helpers every app shares: the client address, a safe 'next' URL and the salted IP hash."""

import functools
import hashlib
import ipaddress

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

# What a proxy may tell us; from anyone else these headers are dropped before anything reads them.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@functools.cache
def _trusted_networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address):
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def _forwarded_client(meta):
    """The first address, from the right of X-Forwarded-For, that is not one of our proxies."""
    for address in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = address.strip()
        if address and not _is_trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return None  # garbage where an address should be: keep the proxy's own
    return None


class ClientAddressMiddleware:
    """The one client-address rule, first in MIDDLEWARE, so pages, the API (DRF with NUM_PROXIES=0),
    allauth's limits, plays and clicks all read the same REMOTE_ADDR.

    From a proxy in settings.TRUSTED_PROXIES, REMOTE_ADDR becomes the client it forwarded for and
    its X-Forwarded-Proto is believed (SECURE_PROXY_SSL_HEADER). From anyone else every forwarding
    header is dropped: a client cannot choose its own address or claim HTTPS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if settings.TRUSTED_PROXIES and _is_trusted(meta.get("REMOTE_ADDR", "")):
            client = _forwarded_client(meta)
            if client:
                meta["PROXY_ADDR"] = meta["REMOTE_ADDR"]
                meta["REMOTE_ADDR"] = meta["HTTP_X_FORWARDED_FOR"] = client
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def header_safe(text, limit=200):
    """`text` as one line fit for an email header: line breaks and control characters become spaces."""
    cleaned = "".join(" " if ch in "\r\n\t\x0b\x0c\x85\u2028\u2029" or ord(ch) < 32 or ord(ch) == 127 else ch
                      for ch in str(text))
    return " ".join(cleaned.split())[:limit]


def client_ip(request):
    """The caller's address as ClientAddressMiddleware settled it."""
    return getattr(request, "_request", request).META.get("REMOTE_ADDR", "")


def hash_ip(ip):
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def safe_next(request, fallback):
    """The 'next' field if it points inside this site, else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback
