"""Pages for API users: the "API for agents" guide and API key management on /account/."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services

EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, label="Key name", help_text="So you can tell your keys apart")
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")


def agents_api(request):
    """The guide: quick start, the two example agents, links to the live docs."""
    root = request.build_absolute_uri("/").rstrip("/")
    limits = [(tier, rates) for tier, rates in settings.API_RATE_LIMITS.items()]
    return render(request, "accounts/agents_api.html", {"api_root": root, "limits": limits})


@login_required
@require_POST
@never_cache
def create_api_key(request):
    """Issue a key and show it once, on this response only (it is stored as a hash)."""
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/api_key_created.html", {"form": form}, status=400)
    days = form.cleaned_data["expires_in"]
    expires_at = timezone.now() + timedelta(days=int(days)) if days else None
    key, raw = services.create_key(request.user, form.cleaned_data["name"], expires_at=expires_at)
    return render(request, "accounts/api_key_created.html", {"key": key, "raw_key": raw})


@login_required
@require_POST
def revoke_api_key(request, pk):
    if not services.revoke_key(request.user, pk):
        raise Http404("No such key")
    messages.success(request, "The key is revoked: requests made with it now get 401.")
    return redirect("/account/#api-keys")
