"""Release many threads at the same instant against the real database (race tests)."""

import threading

from django.db import connection


def at_once(times, action, setup=None):
    """Call `action()` (or `action(setup())`, with the setup done before the start line) from
    `times` threads released together by a barrier; each closes its own database connection.

    Returns (what the calls returned, what they raised).
    """
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            state = setup() if setup else None
            barrier.wait(timeout=60)
            results.append(action(state) if setup else action())
        except Exception as exc:  # noqa: BLE001 - handed back for the test to assert on
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
