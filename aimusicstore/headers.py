"""Permissions-Policy on every response (Django sets HSTS, COOP, nosniff, referrer; django-csp the CSP),
and the CSP's form-action widened to the schemes a Buy redirect may leave for (PURCHASE_URL_SCHEMES)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Sits after csp.middleware.CSPMiddleware, so the CSP it builds sees the update set here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
        extra = [f"{scheme}:" for scheme in settings.PURCHASE_URL_SCHEMES if f"{scheme}:" not in allowed]
        if extra and not hasattr(response, "_csp_update"):
            response._csp_update = {"form-action": extra}
        return response
