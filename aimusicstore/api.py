"""The API's one error shape, `{"error": {"code", "message", "fields"}}`, and its schema.

DRF's exceptions pass through `exception_handler`; whatever happens outside DRF under
/api/ (an unknown path, a server error, Django's own 4xx pages) is turned into the same
shape by `ApiMiddleware`, so /api/ never answers an HTML page.
"""

import json
import logging
import math
import time

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from aimusicstore.logs import request_id

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "invalid",
}
# A well-formed request refused by a rule that no schema can state answers with the status of what went
# wrong rather than 400 ("your input is malformed"): the object it names does not exist (404), the caller
# may not do this to it (403), it conflicts with what already exists (409). A service raises its
# ValidationError with the rule's code as usual (the error keeps its `fields` and takes the code); when
# every error of the answer carries one of these codes, it sets the status.
RULE_STATUSES = {"not_found": 404, "own_work": 403, "duplicate": 409, "limit_reached": 409}
STATUS_CODES = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
                405: "method_not_allowed", 413: "request_too_large", 429: "rate_limited", 500: "server_error"}


def error_body(code, message, fields=None):
    """The one error shape; `request_id` is the X-Request-Id of this answer, to quote in a report."""
    return {"error": {"code": code, "message": message, "fields": fields or {}, "request_id": request_id.get()}}


def _messages(value):
    if isinstance(value, list):
        return [str(m) if not isinstance(m, dict | list) else json.dumps(m) for m in value]
    if isinstance(value, dict):
        return [json.dumps(value)]
    return [str(value)]


def _explicit_code(exc):
    """A code a view chose on purpose (e.g. PermissionDenied(code="bad_signature")), if any."""
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    if isinstance(codes, str) and codes != getattr(exc, "default_code", None):
        return codes
    return None


def _rule_of(exc):
    """The RULE_STATUSES code every error of a ValidationError carries, if they share one."""
    codes = set()

    def collect(value):
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        else:
            codes.add(value)

    collect(exc.get_codes())
    return codes.pop() if len(codes) == 1 and next(iter(codes)) in RULE_STATUSES else None


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A rule enforced in a service or shared validator: the same 400 as a serializer error.
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = getattr(exc, "fields", {})  # an exception may name the input at fault (paging.CursorNotFound)
    if isinstance(exc, exceptions.ValidationError):
        data = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        fields = {name: _messages(msgs) for name, msgs in data.items() if name != "non_field_errors"}
        non_field = data.get("non_field_errors")
        message = str(non_field[0]) if non_field else "Some fields are invalid: " + ", ".join(fields) + "."
        rule = _rule_of(exc)
        if rule:
            response.status_code = RULE_STATUSES[rule]
            message = str(non_field[0]) if non_field else " ".join(m for msgs in fields.values() for m in msgs)
            response.data = error_body(rule, message, fields)
            return response
    elif isinstance(exc, exceptions.ParseError):
        message = f"The request body could not be read: {exc.detail}"
    elif isinstance(response.data, dict) and "detail" in response.data:
        message = str(response.data["detail"])
    else:
        message = str(response.data)
    code = _explicit_code(exc) or next((c for cls, c in CODES.items() if isinstance(exc, cls)), None)
    code = code or STATUS_CODES.get(response.status_code, "error")
    response.data = error_body(code, message, fields)
    return response


def add_rate_limit_headers(response, limit, now=None):
    """X-RateLimit-* (Unix reset) and the IETF draft's structured `RateLimit-Policy: "read";q=120;w=60`
    and `RateLimit: "read";r=54;t=30` (t: seconds until the window ends)."""
    now = time.time() if now is None else now
    response["X-RateLimit-Limit"] = str(limit["limit"])
    response["X-RateLimit-Remaining"] = str(limit["remaining"])
    response["X-RateLimit-Reset"] = str(limit["reset"])
    if "window" in limit:
        policy = limit.get("policy", "default")
        response["RateLimit-Policy"] = f'"{policy}";q={limit["limit"]};w={limit["window"]}'
        response["RateLimit"] = f'"{policy}";r={limit["remaining"]};t={max(0, math.ceil(limit["reset"] - now))}'


class ApiMiddleware:
    """Under /api/: answer every error as JSON and add the rate limit headers.

    Sits near the top of MIDDLEWARE so it also sees Django's own 404/405/500 pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
            response = self.json_error(request, response)
        limit = getattr(request, "rate_limit", None)
        if limit:
            add_rate_limit_headers(response, limit)
        return response

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX):
            if isinstance(exception, Http404):
                return JsonResponse(error_body("not_found", "Not found."), status=404)
            logger.exception("API error on %s %s", request.method, request.path)
            return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
        return None

    @staticmethod
    def json_error(request, response):
        status = response.status_code
        if status == 404:
            message = f"No endpoint or object at {request.path}. See /api/v1/docs for the endpoints."
        elif status == 405:
            message = f"{request.method} is not allowed here."
        elif status >= 500:
            message = "Something went wrong on our side."
        else:
            message = response.reason_phrase
        json_response = JsonResponse(error_body(STATUS_CODES.get(status, "error"), message), status=status)
        for header in ("Allow", "Retry-After"):
            if header in response:
                json_response[header] = response[header]
        return json_response


# --- OpenAPI -----------------------------------------------------------------

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
                "request_id": serializers.CharField(required=False,
                                                    help_text="The answer's X-Request-Id, to quote when asking us"),
            },
        )
    },
)

ERROR_RESPONSES = {
    "400": "Invalid input: `fields` names each bad field",
    "401": "No key, or an unknown, revoked or expired key",
    "403": "The key may not do this (not the owner, not staff)",
    "404": "No such object",
    "429": "Rate limit reached: wait `Retry-After` seconds",
}


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": "Requests allowed in the current window for this key (or address) and kind",
    "X-RateLimit-Remaining": "Requests left in the current window",
    "X-RateLimit-Reset": "Unix time the current window ends",
}
STRING_HEADERS = {
    "RateLimit-Policy": 'IETF draft: the policy counting this request, e.g. `"read";q=120;w=60` '
                        "(q requests per w seconds; `voter` is a voter's own vote limit)",
    "RateLimit": 'IETF draft: what is left of it, e.g. `"read";r=54;t=30` (r left, t seconds until reset)',
    "X-Request-Id": "This answer's id (also `error.request_id`); send your own well-formed X-Request-Id to set it",
}


NO_NUL_PATTERN = r"^[^\x00]*$"
TEXT_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"  # and something besides whitespace


class ApiAutoSchema(AutoSchema):
    """Every operation documents the error responses the API can give, in the one error shape,
    and the rate limit headers (absent when a request is refused before it is counted, e.g. a bad key)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """Text input as the serializer takes it: no NUL character (DRF refuses one, PostgreSQL cannot store
        one), and, where a blank is refused after DRF trims whitespace, at least one other character."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (direction == "request" and isinstance(field, serializers.CharField) and schema.get("type") == "string"
                and not {"pattern", "enum"} & set(schema) and schema.get("format") in (None, "password")):
            blank_refused = not field.allow_blank and field.trim_whitespace
            schema["pattern"] = TEXT_PATTERN if blank_refused else NO_NUL_PATTERN
        return schema

    def get_auth(self):
        """`{}` (no key needed) beside the key wherever the view's own permissions let a caller without
        one through, as the API decides it (drf-spectacular only knows AllowAny and IsAuthenticatedOrReadOnly)."""
        auths = super().get_auth()
        if auths and {} not in auths and self._open_without_a_key():
            auths.append({})
        return auths

    def _open_without_a_key(self):
        from drf_spectacular.plumbing import build_mock_request

        request = build_mock_request(self.method, self.path, self.view, None)  # a DRF Request, signed in as nobody
        request.user, request.auth = None, None
        try:
            return all(permission.has_permission(request, self.view) for permission in self.view.get_permissions())
        except Exception:  # a permission that needs a user to answer needs a key
            return False

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        for name, description in RATE_LIMIT_HEADERS.items():
            headers.setdefault(name, {"schema": {"type": "integer"}, "description": description})
        for name, description in STRING_HEADERS.items():
            headers.setdefault(name, {"schema": {"type": "string"}, "description": description})
        if str(status_code) == "429":
            headers["Retry-After"] = {"schema": {"type": "integer"}, "required": True,
                                      "description": "Seconds to wait before trying again"}
        return headers

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=description), code, direction=direction
                )
        return responses


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API key: `Authorization: Bearer ams_…`"}
