from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import ApiKey
from marketplace.models import Sale
from marketplace.purchases import services
from tests.factories import TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_vote_by_the_same_voter():
    track = TrackFactory()
    voter = UserFactory()
    Vote.objects.create(voter=voter, track=track, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, track=track, value=-1)


def test_the_database_refuses_a_vote_on_two_targets_or_none():
    voter = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, value=1)


def test_the_database_refuses_prices_outside_the_allowed_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackFactory(price=Decimal("0.10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackFactory(price=Decimal("1000.00"))


def test_a_sale_splits_to_the_cent_and_credits_the_creator_ledger():
    track = TrackFactory(price=Decimal("1.99"))
    sale, created = services.record_sale(track, "order-1", Decimal("1.99"))
    assert created
    assert (sale.commission, sale.earnings) == (Decimal("0.40"), Decimal("1.59"))
    assert sale.commission + sale.earnings == sale.amount
    assert sale.ledger_entry.amount == Decimal("1.59")


def test_a_repeated_order_id_records_nothing_twice():
    track = TrackFactory()
    services.record_sale(track, "order-2", Decimal("4.99"))
    again, created = services.record_sale(track, "order-2", Decimal("4.99"))
    assert not created
    assert Sale.objects.filter(order_id="order-2").count() == 1


def test_api_keys_are_stored_only_as_a_hash():
    user = UserFactory()
    key, raw = ApiKey.issue(user, "my bot")
    key.refresh_from_db()
    assert raw not in (key.key_hash, key.prefix)
    assert key.key_hash == ApiKey.hash(raw)
    assert raw.startswith(key.prefix)


def test_search_vector_is_kept_current_by_the_database():
    track = TrackFactory(title="Lunar Harbor", tags=["chillwave"])
    from django.contrib.postgres.search import SearchQuery

    from marketplace.models import Track

    assert Track.objects.filter(search_vector=SearchQuery("harbor"), pk=track.pk).exists()
    assert Track.objects.filter(search_vector=SearchQuery("chillwave"), pk=track.pk).exists()
