"""Django's PostgreSQL backend, with a health check that costs no round trip.

CONN_HEALTH_CHECKS asks a kept connection `SELECT 1` before a request's first query, so a
connection the server dropped (a restart, a terminated backend) is replaced before it fails a
request. That round trip was a tenth of a vote's time under load. What it finds is seen without
one: a server that ends a connection says so on the socket (a FATAL notice, then EOF), and an idle
connection is otherwise never sent anything, so a readable socket means a dropped connection.
After an error the full check still runs (BaseDatabaseWrapper.close_if_unusable_or_obsolete).
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return super().close_if_health_check_failed()
        if not self.still_open():
            self.close()
        self.health_check_done = True

    def still_open(self):
        """Whether the connection is open and idle, with nothing unasked-for waiting on its socket."""
        connection = self.connection
        if connection.closed or connection.broken or connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
