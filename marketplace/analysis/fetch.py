"""Fetch an external preview (`preview_url`) once, for the analysis task only, and refuse anything
that is not plainly a file on a known music platform.

Rules, each refusal carrying a reason the creator sees:
- https only, on a host of a platform we sell through (Platform.domains, the purchase-link
  allow-list) or a staff-approved host (settings.AUDIO_PREVIEW_HOSTS);
- every address the host resolves to must be public: no loopback, private, link-local or
  reserved ranges (we connect to the address we checked, so DNS cannot change it in between;
  aimusicstore/outbound.py, which webhook deliveries use too);
- redirects are followed only to URLs that pass the same rules, at most MAX_REDIRECTS;
- at most settings.AUDIO_FETCH_MAX_BYTES, within settings.AUDIO_FETCH_TIMEOUT seconds in all.
Whether the bytes are audio is decided by decoding them (analysis.audio.decode).
"""

import http.client
import socket
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from aimusicstore import outbound
from marketplace.purchases.affiliate import host_allowed

MAX_REDIRECTS = 3
USER_AGENT = "aimusicstore-preview-check/1.0"


class Refused(Exception):
    """The URL may not be fetched, or gave nothing playable; str() is the reason for the creator."""


def _setting(name, default):
    return getattr(settings, name, default)


def allowed_hosts():
    from marketplace.models import Platform

    domains = [d for row in Platform.objects.values_list("domains", flat=True) for d in row or ()]
    return domains + list(_setting("AUDIO_PREVIEW_HOSTS", ()))


def _public_address(host, port):
    """The first address of `host`, after checking that every address it resolves to is public."""
    # Only tests widen this (a local test server); production leaves it empty.
    try:
        return outbound.public_address(host, port, _setting("AUDIO_FETCH_ALLOWED_NETWORKS", ()))
    except outbound.Unsafe as error:
        raise Refused(str(error).replace("connect to", "fetch")) from error


def _check(url):
    parts = urlsplit(url)
    schemes = _setting("AUDIO_FETCH_SCHEMES", ("https",))
    if parts.scheme not in schemes:
        raise Refused("the preview URL must start with https://")
    host = (parts.hostname or "").lower()
    if not host or not host_allowed(host, allowed_hosts()):
        raise Refused(f"{host or 'that host'} is not a music platform we fetch previews from; upload the file instead")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts, host, port


def _connection(parts, host, port, address, timeout):
    return outbound.pinned_connection(parts.scheme, host, port, address, timeout)


def fetch(url):
    """The bytes at `url` under the rules above; raises Refused with the reason otherwise."""
    limit = _setting("AUDIO_FETCH_MAX_BYTES", 20 * 1024 * 1024)
    timeout = _setting("AUDIO_FETCH_TIMEOUT", 10)
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts, host, port = _check(url)
        address = _public_address(host, port)
        connection = _connection(parts, host, port, address, timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "audio/*"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                url = urljoin(url, response.getheader("Location") or "")
                continue
            if response.status != 200:
                raise Refused(f"the preview URL answered HTTP {response.status}")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise Refused(f"the preview is larger than {limit // (1024 * 1024)} MB")
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise Refused(f"the preview is larger than {limit // (1024 * 1024)} MB")
                if time.monotonic() > deadline:
                    raise Refused(f"the preview took longer than {timeout} s to download")
            return b"".join(chunks)
        except (OSError, http.client.HTTPException) as error:
            if isinstance(error, TimeoutError | socket.timeout):
                raise Refused(f"the preview took longer than {timeout} s to download") from error
            raise Refused(f"the preview could not be downloaded ({error.__class__.__name__})") from error
        finally:
            connection.close()
    raise Refused("the preview URL redirects too many times")
