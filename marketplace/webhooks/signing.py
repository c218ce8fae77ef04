"""The X-Signature header on every delivery, and the check a receiver runs (clients/python ships the same).

    X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the webhook's secret>

`t` is the time of that attempt, so a retry carries a fresh one. A receiver recomputes the HMAC over
the raw body it got and refuses a timestamp more than `tolerance` seconds from its clock: a captured
delivery replayed later fails even though its signature is genuine.
"""

import hashlib
import hmac
import time

DEFAULT_TOLERANCE = 300  # seconds


class SignatureError(ValueError):
    """The delivery is not ours, was altered, or is too old (a replay)."""


def sign(secret, body, timestamp=None):
    """The X-Signature value for `body` (bytes) sent at `timestamp` (default now)."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret, body, header, tolerance=DEFAULT_TOLERANCE, now=None):
    """Raise SignatureError unless `header` signs `body` with `secret` within `tolerance` seconds of now."""
    parts = {}
    for item in (header or "").split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError) as error:
        raise SignatureError("no timestamp in X-Signature") from error
    if not parts.get("v1"):
        raise SignatureError("no v1 signature in X-Signature")
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"timestamp outside the {tolerance} s tolerance (a replay?)")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in parts["v1"]):
        raise SignatureError("signature does not match the body")
    return timestamp
