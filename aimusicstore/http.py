"""Small HTTP helpers every app shares: a safe 'next' URL and the salted IP hash."""

import hashlib

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


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
