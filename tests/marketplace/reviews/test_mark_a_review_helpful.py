"""Others mark a review helpful, once each; reviews sort by helpful, newest, highest, lowest."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.reviews import services
from marketplace.reviews.models import Review, ReviewHelpful
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    return services.save_review(UserFactory(display_name="Critic"), TrackFactory(), rating=4, text="Solid.")[0]


def test_a_member_marks_a_review_helpful_once(client, signed_in, review):
    signed_in(UserFactory())
    for _ in range(3):
        response = client.post(f"/reviews/{review.pk}/helpful/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert "1 found this helpful" in response.text and "You found this helpful" in response.text
    review.refresh_from_db()
    assert review.helpful_count == 1 and ReviewHelpful.objects.count() == 1


def test_the_api_counts_helpful_once_and_refuses_the_author(review):
    api = client_with(key_for(UserFactory()))
    first = api.post(f"/api/v1/reviews/{review.pk}/helpful")
    second = api.post(f"/api/v1/reviews/{review.pk}/helpful")
    assert first.json() == {"counted": True, "helpful_count": 1}
    assert second.json() == {"counted": False, "helpful_count": 1}
    own = client_with(key_for(review.author)).post(f"/api/v1/reviews/{review.pk}/helpful")
    assert own.status_code == 403 and "review" in own.json()["error"]["fields"]  # own work, as a vote on it
    assert client_with().post(f"/api/v1/reviews/{review.pk}/helpful").status_code == 401
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_visitors_and_the_author_see_no_helpful_button(client, signed_in, review):
    page = client.get(review.track.get_absolute_url()).text
    assert "Mark the review by Critic helpful" not in page and "0 found this helpful" in page
    signed_in(review.author)
    assert "Mark the review by Critic helpful" not in client.get(review.track.get_absolute_url()).text
    assert client.get(f"/reviews/{review.pk}/helpful/").status_code == 405


def test_reviews_sort_by_most_helpful_newest_highest_and_lowest(client, anon):
    track = TrackFactory()
    now = timezone.now()
    made = {}
    for name, rating, days_ago, helpful in (("Old", 5, 3, 2), ("Mid", 1, 2, 0), ("New", 3, 1, 1)):
        review = services.save_review(UserFactory(display_name=name), track, rating=rating)[0]
        Review.objects.filter(pk=review.pk).update(created_at=now - timedelta(days=days_ago), helpful_count=helpful)
        made[name] = review
    expected = {"helpful": ["Old", "New", "Mid"], "newest": ["New", "Mid", "Old"],
                "highest": ["Old", "New", "Mid"], "lowest": ["Mid", "New", "Old"]}
    for sort, names in expected.items():
        listed = anon.get(f"/api/v1/tracks/{track.pk}/reviews?sort={sort}").json()["reviews"]
        assert [r["author"]["name"] for r in listed] == names, sort
        page = client.get(f"/tracks/{track.pk}/reviews/?sort={sort}", HTTP_HX_REQUEST="true").text
        positions = [page.index(f"<strong class=\"review__author\">{name}</strong>") for name in names]
        assert positions == sorted(positions), sort
    assert client.get(f"/tracks/{track.pk}/reviews/?sort=junk").status_code == 200
