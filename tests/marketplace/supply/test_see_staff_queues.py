"""Staff open the admin home and see what waits for them, each queue linking to its list."""

import pytest

from marketplace.models import Payout, Track
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_the_admin_home_counts_each_queue_and_links_to_it(admin_client):
    TrackFactory.create_batch(2, status=Track.Status.PENDING)
    TrackFactory()
    Vote.objects.create(voter=UserFactory(), track=TrackFactory(), value=1, status=Vote.Status.SUSPECTED)
    Payout.objects.create(creator=CreatorFactory(), amount="25.00")

    page = admin_client.get("/admin/")

    assert page.status_code == 200
    queues = {q["label"]: q for q in page.context["queues"]}
    assert queues["Uploads held for review"]["count"] == 2
    assert queues["Votes flagged as suspected abuse"]["count"] == 1
    assert queues["Payouts to approve"]["count"] == 1
    assert 'href="/admin/marketplace/track/?status__exact=pending"' in page.text
    held = admin_client.get(queues["Uploads held for review"]["url"])
    assert held.status_code == 200 and held.context["cl"].result_count == 2
