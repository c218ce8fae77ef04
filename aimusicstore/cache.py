"""The default cache: django-redis, tolerant of Redis being down.

With IGNORE_EXCEPTIONS reads miss and writes are dropped; on top of that `add` answers True
(as if the key was free), because callers use it as a lock (allauth's rate limit takes one per
attempt) and a lock nobody can take would refuse every login while Redis is down. Each ignored
error is logged as one warning line, not a traceback per cache call.
"""

import logging
import sys

from django_redis.cache import RedisCache, omit_exception

logger = logging.getLogger("aimusicstore.degraded")


class _OneLineLogger:
    def exception(self, message, *args):
        logger.warning("cache call skipped, Redis unavailable: %s", sys.exc_info()[1])


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        if self.logger is not None:
            self.logger = _OneLineLogger()

    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
