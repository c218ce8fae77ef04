"""/mcp: one Streamable HTTP exchange per request, inside an ordinary Django view.

The SDK's transport is ASGI; the site runs on WSGI (gunicorn sync workers, runserver). Each
request here authenticates its Bearer key with the REST API's own ApiKeyAuthentication, then
hands the body to a fresh stateless, JSON-answering StreamableHTTPSessionManager on a short-lived
event loop (asgiref's async_to_sync) and answers what it sends. Stateless means no session lives
between requests, so any web process (or replica behind the proxy) can answer any of them, and
/mcp is served wherever the site is: `make run`, `make serve`, docker-compose, the test server.
The tools' database work runs back in this request's thread (see server.py).

Host checking is Django's (ALLOWED_HOSTS), so the SDK's own DNS-rebinding check is off; the
endpoint takes no cookies, so it needs no CSRF token. Only POST is served: stateless, there is no
server-to-client stream to GET and no session to DELETE (405, as the spec allows).
"""

import anyio
from asgiref.sync import async_to_sync
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from rest_framework import exceptions

from accounts.authentication import ApiKeyAuthentication
from aimusicstore import throttles
from aimusicstore.api import add_rate_limit_headers, error_body
from aimusicstore.mcp.server import CALLER, Caller, server

TRANSPORT_SECURITY = TransportSecuritySettings(enable_dns_rebinding_protection=False)
NO_KEY = "Send your API key as 'Authorization: Bearer <api key>' (create one at /account/#api-keys)."


def _refused(code, message):
    response = JsonResponse(error_body(code, message), status=401)
    response["WWW-Authenticate"] = 'Bearer realm="aimusicstore"'
    return response


def _scope(request):
    """The ASGI scope the SDK expects, from the Django request."""
    headers = []
    for name, value in request.META.items():
        if name.startswith("HTTP_"):
            headers.append((name[5:].replace("_", "-").lower().encode("latin-1"), value.encode("latin-1")))
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if request.META.get(name):
            headers.append((name.replace("_", "-").lower().encode("latin-1"), request.META[name].encode("latin-1")))
    port = request.META.get("SERVER_PORT") or "80"
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
        "scheme": request.scheme, "path": request.path, "raw_path": request.path.encode(), "root_path": "",
        "query_string": request.META.get("QUERY_STRING", "").encode("latin-1"), "headers": headers,
        "server": (request.META.get("SERVER_NAME", "localhost"), int(port) if port.isdigit() else 80),
        "client": (request.META.get("REMOTE_ADDR", ""), 0),
    }


async def _exchange(scope, body):
    """Run one request through the SDK's stateless JSON transport; (status, headers, body) it answered."""
    manager = StreamableHTTPSessionManager(
        server._lowlevel_server,  # the MCPServer's protocol server; the manager is ours, one per request
        json_response=True, stateless=True, security_settings=TRANSPORT_SECURITY,
    )
    answered = anyio.Event()
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    response = {"status": 500, "headers": [], "body": bytearray()}

    async def receive():
        if pending:
            return pending.pop()
        await answered.wait()  # the client stays connected until the answer is sent
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            response["status"], response["headers"] = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            response["body"] += message.get("body", b"")
            if not message.get("more_body"):
                answered.set()

    async with manager.run():
        await manager.handle_request(scope, receive, send)
    answered.set()
    return response


@csrf_exempt
def mcp_endpoint(request):
    """The MCP endpoint: `Authorization: Bearer <api key>` required, as for the REST API's key-only calls."""
    try:
        authenticated = ApiKeyAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed as failed:
        return _refused("authentication_failed", str(failed.detail))
    if authenticated is None:
        return _refused("not_authenticated", NO_KEY)
    user, key = authenticated
    # throttles.caller() reads the key from request.auth, as it does on a DRF request.
    request.user, request.auth = user, key
    return _with_rate_limit_headers(request, _answer(request, user, key))


def _with_rate_limit_headers(request, response):
    """The REST API's X-RateLimit-* and IETF RateLimit/RateLimit-Policy headers: the window a tool call counted
    in (for a vote, the tighter of the key's and the voter's, as POST votes), else the key's read window as
    it stands (initialize, tools/list and the like count nothing)."""
    add_rate_limit_headers(response, getattr(request, "rate_limit", None) or throttles.window_state(request, "read"))
    return response


def _answer(request, user, key):
    if request.method != "POST":
        # Stateless: no server-to-client stream to open with GET (the spec's 405 says so; the SDK would
        # hold the request, and a sync worker, open for one) and no session to DELETE.
        response = JsonResponse(error_body("method_not_allowed", f"{request.method} is not allowed here: "
                                           "POST JSON-RPC messages to /mcp."), status=405)
        response["Allow"] = "POST"
        return response
    token = CALLER.set(Caller(request=request, user=user, key=key))
    try:
        answer = async_to_sync(_exchange)(_scope(request), request.body)
    finally:
        CALLER.reset(token)
    response = HttpResponse(bytes(answer["body"]), status=answer["status"])
    for name, value in answer["headers"]:
        name = name.decode("latin-1")
        if name.lower() not in ("content-length", "connection", "transfer-encoding"):
            response[name] = value.decode("latin-1")
    return response
