"""Check a webhook delivery's X-Signature header: the receiver's half of the signing scheme.

    X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the webhook secret>

Verify over the *raw* request body (before any JSON parsing), and refuse a timestamp further than
`tolerance` seconds from your clock: a genuine delivery captured and replayed later then fails.
Deduplicate on the `X-Event-Id` header (it stays the same over retries and redeliveries).
"""

from __future__ import annotations

import hashlib
import hmac
import time

DEFAULT_TOLERANCE = 300


class SignatureError(ValueError):
    """Not signed with this secret, altered on the way, or outside the tolerance (a replay)."""


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """An X-Signature value for `body` at `timestamp` (for tests of your own receiver)."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, body: bytes, header: str | None, *, tolerance: float = DEFAULT_TOLERANCE,
                     now: float | None = None) -> int:
    """Return the signed timestamp, or raise SignatureError.

    `secret` is the webhook's `whsec_…` secret, `body` the raw bytes received, `header` the
    X-Signature value. Every `v1=` entry is tried (there may be more than one during a rotation).
    """
    if isinstance(body, str):
        body = body.encode()
    entries: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        name, _, value = item.strip().partition("=")
        entries.setdefault(name, []).append(value)
    try:
        timestamp = int(entries["t"][0])
    except (KeyError, ValueError) as error:
        raise SignatureError("X-Signature has no timestamp (t=)") from error
    candidates = entries.get("v1") or []
    if not candidates:
        raise SignatureError("X-Signature has no v1= signature")
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"the timestamp is more than {tolerance:g} s from now: refusing a possible replay")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("the signature does not match the body")
    return timestamp
