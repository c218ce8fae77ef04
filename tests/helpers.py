"""Helpers that page and API tests share: issue a key, and an API client that holds one."""

from rest_framework.test import APIClient

from accounts.models import ApiKey


def key_for(user, **kwargs):
    """Issue a key the way the product does and return the raw key."""
    return ApiKey.issue(user, kwargs.pop("name", "test key"), **kwargs)[1]


def client_with(raw_key=None):
    """An API client that sends `raw_key` as its Bearer key (or no key at all)."""
    client = APIClient()
    if raw_key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client
