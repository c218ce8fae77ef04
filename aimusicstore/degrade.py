"""What the site answers when a backing service is down.

PostgreSQL down: nothing can work, so every page and API call answers 503 with `Retry-After`
(an HTML page that needs no database, or the API's JSON error shape) instead of a 500.
Redis down is tolerated elsewhere: the cache ignores errors (settings.CACHES), rate limits count
in-process (ratelimit.py), views go straight to the database (listening.services.count_view).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views import defaults

from aimusicstore.api import API_PREFIX, error_body

logger = logging.getLogger("aimusicstore.degraded")

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Back in a moment · aimusicstore</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Back in a moment</h1>
<p>aimusicstore cannot reach its database right now. Nothing you did caused this; please try again
in a minute.</p></main></body></html>
"""


def unavailable(request, what="database"):
    """A 503 with Retry-After: JSON under /api/, a page that needs no database elsewhere."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith(API_PREFIX):
        message = f"The service is temporarily unavailable ({what} unreachable). Retry after {RETRY_AFTER_SECONDS} s."
        return JsonResponse(error_body("service_unavailable", message), status=503, headers=headers)
    return HttpResponse(UNAVAILABLE_PAGE, status=503, headers=headers, content_type="text/html; charset=utf-8")


class DatabaseUnavailableMiddleware:
    """A view that lost its database answers 503 + Retry-After (before ApiMiddleware makes it a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("database unavailable on %s %s: %s", request.method, request.path, exception)
            return unavailable(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database error raised outside a view (sessions, auth) still becomes a 503."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return unavailable(request)
    return defaults.server_error(request, *args, **kwargs)
