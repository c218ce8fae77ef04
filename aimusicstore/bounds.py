"""Bounds on what a request may make us do: body size and JSON nesting.

A body over its bound is refused before anything reads it: 413 with the API's error shape
under /api/, a short page elsewhere. JSON bodies (the API takes nothing else) get a tighter
bound than form uploads (a preview and a cover fit in MAX_REQUEST_BODY_BYTES, as in nginx).
JSON nested deeper than MAX_JSON_DEPTH is a 400 (aimusicstore.parsers), never a RecursionError's 500.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse

from aimusicstore.api import API_PREFIX, error_body


def too_large(request, limit):
    message = f"The request body is larger than {limit // 1024} KB."
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body("request_too_large", message, {"body": [message]}), status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def _limit_for(request):
    if request.content_type.startswith("multipart/") and not request.path.startswith(API_PREFIX):
        return settings.MAX_REQUEST_BODY_BYTES
    return settings.MAX_JSON_BODY_BYTES


class RequestBoundsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself treats a garbled Content-Length as no body
        limit = _limit_for(request)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A body with no Content-Length (chunked) still trips Django's own bound when read.
        if isinstance(exception, RequestDataTooBig):
            return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None
