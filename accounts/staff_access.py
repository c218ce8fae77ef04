"""Staff reach /admin/ only through the site's own login and with two-factor authentication.

`/admin/login/` is the site's login (allauth), so the admin shares its limits and lockout
(`ACCOUNT_RATE_LIMITS["login_failed"]`: per address and per account) and its TOTP step. A staff
member without TOTP is sent to set it up; a staff session that never passed the TOTP step (a
login from before it was enabled) is asked for a code before any admin page.
"""

from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

ADMIN_PREFIX = "/admin/"
ADMIN_LOGIN = "/admin/login/"


def _next(request, fallback=ADMIN_PREFIX):
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def admin_login(request):
    """The admin's login page is the site's: one limit and lockout for every password form."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied("The admin is for staff.")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': _next(request)})}")


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_two_factor(request):
    """True when this session's sign-in included a TOTP (or recovery) code."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffTwoFactorMiddleware:
    """Every /admin/ page but its login wants a staff member with TOTP who used it this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (request.path.startswith(ADMIN_PREFIX) and not request.path.startswith(ADMIN_LOGIN)
                and user is not None and user.is_authenticated and user.is_staff):
            query = urlencode({"next": request.get_full_path()})
            if not has_totp(user):
                messages.info(request, "Staff need two-factor authentication: set up an authenticator app "
                                       "to reach the admin.")
                return redirect(f"{reverse('mfa_activate_totp')}?{query}")
            if not passed_two_factor(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
