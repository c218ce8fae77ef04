"""Per-voter vote rate limits: the tier's windows (accounts.tiers.vote_limits) on the shared counter."""

import time

from accounts.tiers import vote_limits
from aimusicstore import ratelimit


class RateLimited(Exception):
    """Too many votes; retry_after is the number of seconds until the next vote is allowed."""

    def __init__(self, retry_after, limit, window):
        self.retry_after = max(1, int(retry_after))
        self.limit, self.window = limit, window
        super().__init__(f"Vote limit reached ({limit} per {window} s). Try again in {self.retry_after} s.")


def check_vote_rate(user):
    """Count one vote attempt for this voter; raise RateLimited when a window is full (one Redis round trip)."""
    limits = vote_limits(user)
    now = time.time()
    counts = ratelimit.hit(f"vote:{user.pk}", list(limits), now)
    exceeded = [
        (end - now, limits[window], window)
        for window, (used, end) in zip(limits, counts, strict=True)
        if used > limits[window]
    ]
    if exceeded:
        raise RateLimited(*max(exceeded))
