"""The database keeps a track valid and searchable whoever writes it: prices in range, a current search vector."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_prices_outside_the_allowed_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackFactory(price=Decimal("0.10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackFactory(price=Decimal("1000.00"))


def test_search_vector_is_kept_current_by_the_database():
    track = TrackFactory(title="Lunar Harbor", tags=["chillwave"])
    from django.contrib.postgres.search import SearchQuery

    from marketplace.models import Track

    assert Track.objects.filter(search_vector=SearchQuery("harbor"), pk=track.pk).exists()
    assert Track.objects.filter(search_vector=SearchQuery("chillwave"), pk=track.pk).exists()
