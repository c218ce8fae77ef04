"""Issue 18: a creator sees how many votes on their tracks counted, were discounted or are held (without the
thresholds), and /how-ranking-works/ states the public formula."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import Listen, Vote
from voting.services import cast_vote

pytestmark = pytest.mark.django_db


def test_the_creator_sees_counted_discounted_and_held_votes(client, signed_in):
    creator = signed_in(CreatorFactory())
    track = TrackFactory(creator=creator)
    settled = [UserFactory(date_joined=timezone.now() - timedelta(days=90)) for _ in range(3)]
    Listen.objects.create(user=settled[0], track=track, seconds=12)
    cast_vote(settled[0], track, 1)  # heard the preview: counted fully
    cast_vote(settled[1], track, 1)  # did not listen: discounted
    cast_vote(settled[2], track, -1)
    Vote.objects.filter(voter=settled[2]).update(status=Vote.Status.SUSPECTED)  # under review: held
    cast_vote(UserFactory(), track, 1)  # a brand-new account: held
    page = client.get("/dashboard/").content.decode()
    assert "Votes on your tracks" in page
    assert "<strong>1</strong> counted fully" in page
    assert "<strong>1</strong> discounted" in page
    assert "<strong>2</strong> held" in page
    assert "days" not in page.split("Votes on your tracks")[1].split("</section>")[0]  # why, not how


def test_how_ranking_works_states_the_formula(client):
    page = client.get("/how-ranking-works/").content.decode()
    assert "established × verified × standing × listened" in page
    assert "24 hours" in page and "10 seconds" in page
