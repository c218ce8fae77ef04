from django.http import HttpResponse


class HealthCheckMiddleware:
    """Answer /healthz before sessions, auth or the host check run.

    Liveness must not depend on the database, and the load balancer probes by IP,
    so this sits first in MIDDLEWARE and touches nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)
