"""Permissions-Policy on every response (Django sets HSTS, COOP, nosniff, referrer; django-csp the CSP),
and the CSP's form-action widened to the schemes a Buy redirect may leave for (PURCHASE_URL_SCHEMES)."""

import functools
import http.client

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's csp decorators or a nonce leave on the request or response for django-csp to build from.
_CUSTOMISED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
               "_csp_exempt", "_csp_exempt_ro")


@functools.cache
def _settings_policies():
    """The two headers as the settings alone make them: built once, not on every response."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's, but a response nothing customised gets the settings' policy built once per process.

    Building the header is ~60 µs of dictionaries and joins, twice (the policy and its report-only
    twin), on every response: a fifth of a stored page's whole cost. A response a decorator changed,
    or whose page asked for a nonce, is built by django-csp as before.
    """

    def process_response(self, request, response):
        customised = getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CUSTOMISED)
        debug_page = settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR,
                                                                  http.client.NOT_FOUND)
        if customised or debug_page:
            return super().process_response(request, response)
        for header, value, setting in zip((HEADER, HEADER_REPORT_ONLY), _settings_policies(),
                                          ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
                                          strict=True):
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if value and header not in response and not request.path_info.startswith(tuple(excluded)):
                response[header] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PermissionsPolicyMiddleware:
    """Sits after CSPMiddleware, so the CSP it builds sees the update set here."""

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
