"""A buyer opens /creators/: creators with published tracks, sortable and paginated."""

import pytest

from accounts.models import Follow
from marketplace.models import Track
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_creators():
    old = CreatorFactory(display_name="Old Hand", date_joined="2025-01-01T00:00Z")
    prolific = CreatorFactory(display_name="Prolific", date_joined="2025-06-01T00:00Z")
    loved = CreatorFactory(display_name="Loved", date_joined="2026-01-01T00:00Z")
    TrackFactory(creator=old)
    TrackFactory.create_batch(3, creator=prolific)
    TrackScore.objects.filter(track=TrackFactory(creator=loved)).update(upvotes=30)
    for _ in range(2):
        Follow.objects.create(follower=UserFactory(), creator=old)
    CreatorFactory(display_name="Nothing Yet")  # no published track: not listed
    TrackFactory(creator=CreatorFactory(display_name="Only Hidden"), status=Track.Status.HIDDEN)
    return old, prolific, loved


def names(response):
    return [creator.name for creator in response.context["page"]]


@pytest.mark.parametrize("sort, expected", [
    ("top", ["Loved", "Prolific", "Old Hand"]),
    ("newest", ["Loved", "Prolific", "Old Hand"]),
    ("tracks", ["Prolific", "Loved", "Old Hand"]),
    ("followed", ["Old Hand", "Loved", "Prolific"]),
])
def test_it_sorts_creators(client, three_creators, sort, expected):
    assert names(client.get(f"/creators/?sort={sort}")) == expected


def test_it_opens_on_top_and_ignores_an_unknown_sort(client, three_creators):
    assert names(client.get("/creators/")) == names(client.get("/creators/?sort=zzz")) == ["Loved", "Prolific",
                                                                                          "Old Hand"]


def test_each_creator_shows_their_figures_and_links_to_their_profile(client, three_creators):
    old, prolific, _loved = three_creators
    text = client.get("/creators/").text
    assert f'href="/creators/{prolific.handle}/"' in text
    assert "3 tracks · 0 upvotes · 0 followers" in text
    assert f"@{old.handle} · 1 track · 0 upvotes · 2 followers" in text
    assert "Nothing Yet" not in text and "Only Hidden" not in text


def test_it_pages_24_at_a_time(client):
    for creator in CreatorFactory.create_batch(25):
        TrackFactory(creator=creator)
    first, second = client.get("/creators/?sort=newest"), client.get("/creators/?sort=newest&page=2")
    assert len(first.context["page"]) == 24 and len(second.context["page"]) == 1
    assert "Page 1 of 2" in first.text
    assert client.get("/creators/?page=zzz").status_code == 200


def test_the_directory_is_in_the_navigation_and_the_sitemap(client, three_creators):
    assert 'href="/creators/"' in client.get("/").text
    assert "/creators/</loc>" in client.get("/sitemap-pages.xml").text


def test_the_directory_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for creator in CreatorFactory.create_batch(30):
        TrackFactory.create_batch(2, creator=creator)
    with django_assert_max_num_queries(3):
        client.get("/creators/?sort=tracks")
