"""A voter reads the history of their votes (/account/votes/), with each vote's weight and status."""

import pytest

from tests.factories import TrackFactory, UserFactory
from voting.services import cast_vote

pytestmark = pytest.mark.django_db


def test_the_vote_history_lists_the_users_votes(client, voter):
    liked, disliked = TrackFactory(title="Liked Song"), TrackFactory(title="Disliked Song")
    cast_vote(voter, liked, 1)
    cast_vote(voter, disliked, -1)
    cast_vote(UserFactory(), TrackFactory(title="Someone Else's"), 1)
    client.force_login(voter)
    response = client.get("/account/votes/")
    assert "Liked Song" in response.text and "Disliked Song" in response.text
    assert "Someone Else" not in response.text


def test_the_one_vote_history_shows_each_votes_weight_and_status(client):
    from voting.services import cast_vote

    voter = UserFactory()
    cast_vote(voter, TrackFactory(title="Weighed Song"), 1)
    client.force_login(voter)
    page = client.get("/account/votes/").text
    assert "Weighed Song" in page
    assert '<th scope="col">Weight</th>' in page and '<th scope="col">Status</th>' in page


def test_the_vote_history_needs_a_login(client):
    assert client.get("/account/votes/")["Location"].startswith("/accounts/login/")
