"""Queue a Celery task from a request without the broker's health deciding the answer.

With Redis (the broker) down, `.delay()` raised after the request's data had committed, turning
a published track into a 500. `enqueue` gives the broker one quick try and otherwise runs the
task here and now (every task is idempotent and takes ids, STYLE.md), logging that it did.
"""

import logging

from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger("aimusicstore.degraded")


def enqueue(task, *args):
    try:
        return task.apply_async(args, retry=False)
    except (BrokerError, RedisError, OSError) as error:
        logger.warning("broker unavailable (%s): running %s(%s) in this process", error, task.name, args)
        try:
            return task.apply(args)
        except Exception:  # noqa: BLE001 - the request's own work is done; the task can be rerun later
            logger.exception("%s(%s) failed while the broker was down", task.name, args)
            return None
