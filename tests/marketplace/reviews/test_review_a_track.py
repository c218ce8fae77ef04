"""A listener rates and reviews a track: page and API, one per user per track, edit, delete."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from marketplace.models import Track
from marketplace.reviews import services
from marketplace.reviews.models import Review
from tests.concurrency import at_once
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(signed_in):
    return signed_in(UserFactory(display_name="Ada Listener"))


def test_a_listener_rates_and_reviews_a_track_and_sees_it_on_the_page(client, listener):
    track = TrackFactory(title="Glass Harbour")
    response = client.post(f"/tracks/{track.pk}/review/", {"rating": "4", "text": "Lovely **pads**."})
    assert response.status_code == 302 and response["Location"].endswith("#reviews")
    review = Review.objects.get()
    assert (review.author, review.track, review.rating) == (listener, track, 4)
    track.refresh_from_db()
    assert (track.rating_average, track.rating_count) == (Decimal("4.00"), 1)
    page = client.get(track.get_absolute_url()).text
    assert "Ada Listener" in page and "<strong>pads</strong>" in page
    assert "Update review" in page and "Delete my review" in page


def test_a_second_review_changes_the_first_instead_of_adding_one(client, listener):
    track = TrackFactory()
    client.post(f"/tracks/{track.pk}/review/", {"rating": "2", "text": "meh"})
    client.post(f"/tracks/{track.pk}/review/", {"rating": "5", "text": "grew on me"})
    review = Review.objects.get()
    assert (review.rating, review.text) == (5, "grew on me")
    track.refresh_from_db()
    assert (track.rating_average, track.rating_count) == (Decimal("5.00"), 1)


def test_the_average_and_count_follow_every_review_and_deletion(client, listener):
    track = TrackFactory()
    for rating in (5, 4, 2):
        services.save_review(UserFactory(), track, rating=rating)
    track.refresh_from_db()
    assert (track.rating_average, track.rating_count) == (Decimal("3.67"), 3)
    client.post(f"/tracks/{track.pk}/review/", {"rating": "1"})
    mine = Review.objects.get(author=listener)
    assert client.post(f"/reviews/{mine.pk}/delete/").status_code == 302
    track.refresh_from_db()
    assert (track.rating_average, track.rating_count) == (Decimal("3.67"), 3)


def test_a_bad_rating_is_a_message_beside_the_field_not_a_500(client, listener):
    track = TrackFactory()
    for bad in ({}, {"rating": "6"}, {"rating": "zero"}, {"rating": "3", "text": "x" * 5001}):
        response = client.post(f"/tracks/{track.pk}/review/", bad)
        assert response.status_code == 400
        assert 'class="field-error"' in response.text
    assert not Review.objects.exists()


def test_creators_cannot_review_their_own_tracks(client, own_track_titled):
    track = own_track_titled("Mine")
    response = client.post(f"/tracks/{track.pk}/review/", {"rating": "5"})
    assert response.status_code == 400 and "own track" in response.text
    assert "Rate this track" not in client.get(track.get_absolute_url()).text
    assert not Review.objects.exists()


def test_visitors_are_asked_to_log_in_and_hidden_tracks_take_no_reviews(client, listener):
    hidden = TrackFactory(status=Track.Status.HIDDEN)
    assert client.post(f"/tracks/{hidden.pk}/review/", {"rating": "3"}).status_code == 404
    client.logout()
    track = TrackFactory()
    assert client.post(f"/tracks/{track.pk}/review/", {"rating": "3"}).status_code == 302
    assert "Log in to rate and review" in client.get(track.get_absolute_url()).text
    assert not Review.objects.exists()


def test_review_text_is_limited_markdown_rendered_safe(client, listener):
    track = TrackFactory()
    text = '<script>alert(1)</script> [site](javascript:alert(2)) <img src=x onerror=alert(3)> *ok*'
    client.post(f"/tracks/{track.pk}/review/", {"rating": "3", "text": text})
    client.logout()  # the author's own form holds the raw text, escaped; visitors see only the rendering
    page = client.get(track.get_absolute_url()).text
    assert "<script>alert(1)" not in page and "javascript:alert" not in page and "onerror" not in page
    assert "<em>ok</em>" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_by_one_listener_make_one_row():
    track = TrackFactory()
    listener = UserFactory()

    def signed_in_client():
        client = Client()
        client.force_login(listener)
        return client

    statuses, errors = at_once(8, lambda c: c.post(f"/tracks/{track.pk}/review/", {"rating": "4"}).status_code,
                               setup=signed_in_client)
    assert not errors and statuses == [302] * 8
    assert Review.objects.filter(track=track, author=listener).count() == 1
    track.refresh_from_db()
    assert track.rating_count == 1


def test_the_api_lists_creates_edits_and_deletes_reviews(anon):
    track = TrackFactory()
    author = UserFactory(display_name="Bot Critic")
    api = client_with(key_for(author))
    created = api.post(f"/api/v1/tracks/{track.pk}/reviews", {"rating": 3, "text": "fine"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["rating"], body["text"], body["verified_buyer"], body["author"]["name"]) == (3, "fine", False,
                                                                                            "Bot Critic")
    again = api.post(f"/api/v1/tracks/{track.pk}/reviews", {"rating": 4}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    listed = anon.get(f"/api/v1/tracks/{track.pk}/reviews").json()
    assert listed["total"] == 1 and listed["reviews"][0]["rating"] == 4

    patched = api.patch(f"/api/v1/reviews/{body['id']}", {"text": "better than I said"}, format="json")
    assert patched.status_code == 200 and patched.json()["rating"] == 4
    assert patched.json()["text"] == "better than I said"
    other = client_with(key_for(UserFactory()))
    assert other.patch(f"/api/v1/reviews/{body['id']}", {"rating": 1}, format="json").status_code == 403
    assert other.delete(f"/api/v1/reviews/{body['id']}").status_code == 403
    assert anon.post(f"/api/v1/tracks/{track.pk}/reviews", {"rating": 4}, format="json").status_code == 401
    assert api.delete(f"/api/v1/reviews/{body['id']}").status_code == 204
    assert not Review.objects.exists()


def test_the_api_names_the_bad_field(api, creator):
    track = TrackFactory()
    for bad in ({"rating": 0}, {"rating": "five"}, {}, {"rating": 3, "text": "x" * 5001}):
        response = api.post(f"/api/v1/tracks/{track.pk}/reviews", bad, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid" and set(error["fields"]) <= {"rating", "text"} and error["fields"]
    assert api.post("/api/v1/tracks/999999/reviews", {"rating": 3}, format="json").status_code == 404
    own = api.post(f"/api/v1/tracks/{TrackFactory(creator=creator).pk}/reviews", {"rating": 5}, format="json")
    assert own.status_code == 403 and "own track" in own.json()["error"]["fields"]["rating"][0]
    assert own.json()["error"]["code"] == "own_work"
    assert not Review.objects.exists()


def test_cards_the_track_page_json_ld_and_the_track_object_carry_the_rating(client, anon):
    track = TrackFactory(title="Rated Tune")
    services.save_review(UserFactory(), track, rating=5)
    services.save_review(UserFactory(), track, rating=4)
    page = client.get(track.get_absolute_url()).text
    data = json.loads(page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert data["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": "4.50", "ratingCount": 2,
                                       "reviewCount": 2, "bestRating": 5, "worstRating": 1}
    assert "4.5" in client.get("/browse/").text.split("Rated Tune", 1)[1][:3000]
    body = anon.get(f"/api/v1/tracks/{track.pk}").json()
    assert (body["rating_average"], body["rating_count"]) == (4.5, 2)
    unrated = anon.get(f"/api/v1/tracks/{TrackFactory().pk}").json()
    assert (unrated["rating_average"], unrated["rating_count"]) == (None, 0)


def test_browse_and_the_api_sort_by_rating(client, anon):
    low, high = TrackFactory(title="Low One"), TrackFactory(title="High One")
    TrackFactory(title="No One")
    services.save_review(UserFactory(), low, rating=2)
    services.save_review(UserFactory(), high, rating=5)
    listed = anon.get("/api/v1/tracks?sort=rating").json()["tracks"]
    assert [t["title"] for t in listed] == ["High One", "Low One", "No One"]
    page = client.get("/browse/?sort=rating").text
    assert page.index("High One") < page.index("Low One") < page.index("No One")


def test_a_list_of_rated_tracks_costs_no_extra_queries_per_track(client, django_assert_max_num_queries):
    for _ in range(6):
        services.save_review(UserFactory(), TrackFactory(), rating=4)
    client.get("/browse/?sort=rating")  # warm what is cached per process
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/tracks?sort=rating")
    assert len(response.json()["tracks"]) == 6


def test_a_tracks_reviews_cost_a_bounded_number_of_queries(client, anon, django_assert_max_num_queries):
    track = TrackFactory()
    for _ in range(6):
        services.save_review(UserFactory(), track, rating=3, text="ok")
    with django_assert_max_num_queries(4):
        assert len(anon.get(f"/api/v1/tracks/{track.pk}/reviews").json()["reviews"]) == 6
    client.force_login(UserFactory())
    with django_assert_max_num_queries(16):
        assert client.get(track.get_absolute_url()).text.count('class="review"') == 6
