"""A buyer visits a creator's public profile (/creators/<handle>/)."""

import pytest

from accounts.models import Follow
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


def test_it_shows_bio_links_followers_and_tracks(client):
    creator = CreatorFactory(display_name="Nova Drift", bio="Synths at dawn.",
                             links=["https://nova.example.test", "javascript:alert(1)"])
    Follow.objects.create(follower=UserFactory(), creator=creator)
    TrackFactory(creator=creator, title="Dawn Patrol")
    response = client.get(creator.get_absolute_url())
    for expected in ["Nova Drift", "Synths at dawn.", "nova.example.test", "1</strong> follower", "Dawn Patrol"]:
        assert expected in response.text
    assert "javascript:" not in response.text


def test_tracks_sort_by_newest_or_top(client):
    creator = CreatorFactory()
    loved = TrackFactory(creator=creator, title="Loved")
    TrackFactory(creator=creator, title="Newer")
    TrackScore.objects.filter(track=loved).update(score=10)
    newest = client.get(creator.get_absolute_url()).context["page"].object_list
    top = client.get(creator.get_absolute_url() + "?sort=top").context["page"].object_list
    assert [t.title for t in newest] == ["Newer", "Loved"]
    assert [t.title for t in top] == ["Loved", "Newer"]


def test_junk_sort_and_page_give_a_normal_page(client):
    creator = CreatorFactory()
    response = client.get(creator.get_absolute_url() + "?sort=x&page=" + "9" * 50)
    assert response.status_code == 200
    assert f"<title>{creator.name} — AI music creator" in response.text


def test_the_profile_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    creator = CreatorFactory()
    TrackFactory.create_batch(30, creator=creator)
    with django_assert_max_num_queries(5):
        client.get(creator.get_absolute_url())
