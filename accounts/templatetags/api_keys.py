from django import template

from accounts.forms import ApiKeyForm
from accounts.models import ApiKey

register = template.Library()


@register.simple_tag
def api_keys_of(user):
    """The user's keys and their agents' keys, newest first (one query)."""
    return (ApiKey.objects.filter(user=user) | ApiKey.objects.filter(user__agent_profile__owner=user)).select_related(
        "user__agent_profile").order_by("revoked_at", "-created_at")


@register.simple_tag
def api_key_form():
    return ApiKeyForm()
