from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory


@pytest.fixture
def voter(db):
    """A settled account (three months old) on the free tier."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=90))
