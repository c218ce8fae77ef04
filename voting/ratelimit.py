"""Per-voter vote rate limits: the tier's windows (accounts.tiers.vote_limits) on the shared counter."""

import math
import time

from accounts.tiers import vote_limits
from aimusicstore import ratelimit


class RateLimited(Exception):
    """Too many votes; retry_after is the number of seconds until the next vote is allowed."""

    def __init__(self, retry_after, limit, window, reset):
        self.retry_after = max(1, math.ceil(retry_after))
        self.limit, self.window, self.reset = limit, window, reset
        super().__init__(f"Vote limit reached: {limit} votes per {window} s.")

    @property
    def state(self):
        return {"limit": self.limit, "remaining": 0, "reset": self.reset, "policy": "voter", "window": self.window}


def check_vote_rate(user, counted=None):
    """Count one vote attempt for this voter (one Redis round trip); raise RateLimited when a window is full.

    `counted`: the attempt already counted with the API key's own round trip (throttles.voter_hits), used
    instead when it is this voter's and has every window of their tier. Returns the tightest window as
    {"limit", "remaining", "reset"} (Unix time it ends), which the API reports in its X-RateLimit-*
    headers when it is tighter than the key's own bucket.
    """
    limits = vote_limits(user)
    if counted and counted["user_id"] == user.pk and set(limits) <= set(counted["hits"]):
        now, hits = counted["now"], [counted["hits"][window] for window in limits]
    else:
        now = time.time()
        hits = ratelimit.hit(ratelimit.voter_counter(user.pk), list(limits), now)
    windows = [(limits[window], used, end, window) for window, (used, end) in zip(limits, hits, strict=True)]
    exceeded = [(end - now, limit, window, end) for limit, used, end, window in windows if used > limit]
    if exceeded:
        raise RateLimited(*max(exceeded))
    limit, used, end, window = min(windows, key=lambda w: (w[0] - w[1], w[3]))
    return {"limit": limit, "remaining": max(0, limit - used), "reset": end, "policy": "voter", "window": window}
