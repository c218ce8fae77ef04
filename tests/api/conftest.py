import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey
from tests.factories import CreatorFactory


def key_for(user, **kwargs):
    """Issue a key the way the product does and return the raw key."""
    return ApiKey.issue(user, kwargs.pop("name", "test key"), **kwargs)[1]


def client_with(raw_key=None):
    client = APIClient()
    if raw_key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


@pytest.fixture
def creator(db):
    return CreatorFactory()


@pytest.fixture
def creator_key(creator):
    return key_for(creator)


@pytest.fixture
def api(creator_key):
    """An API client holding the creator's key."""
    return client_with(creator_key)


@pytest.fixture
def anon(db):
    return client_with()
