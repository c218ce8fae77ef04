"""A buyer browses the catalogue with filters, sorts and pages (/browse/); an agent lists it (/api/v1/tracks)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aimusicstore.paging import CappedPaginator
from marketplace.models import Track
from tests.factories import PlatformFactory, TrackFactory
from tests.helpers import client_with
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


def titles(response):
    return [track.title for track in response.context["page"].object_list]


def test_it_filters_by_several_genres_moods_and_platforms(client):
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    TrackFactory(title="Jazz Chill", genre="jazz", moods=["chill"])
    TrackFactory(title="Rock Dark", genre="rock", moods=["dark"])
    TrackFactory(title="Pop Happy", genre="pop", moods=["happy"], platform=udio)
    response = client.get("/browse/?genre=jazz&genre=rock")
    assert sorted(titles(response)) == ["Jazz Chill", "Rock Dark"]
    assert titles(client.get("/browse/?mood=dark&mood=happy")) == ["Pop Happy", "Rock Dark"]
    assert titles(client.get("/browse/?platform=udio")) == ["Pop Happy"]


def test_it_filters_by_bpm_price_and_length(client):
    TrackFactory(title="Slow Cheap Short", bpm=70, price=Decimal("0.99"), duration=90)
    TrackFactory(title="Fast Dear Long", bpm=170, price=Decimal("9.99"), duration=300)
    assert titles(client.get("/browse/?bpm_min=100")) == ["Fast Dear Long"]
    assert titles(client.get("/browse/?bpm_max=100")) == ["Slow Cheap Short"]
    assert titles(client.get("/browse/?price_min=5&price_max=10")) == ["Fast Dear Long"]
    assert titles(client.get("/browse/?duration=short")) == ["Slow Cheap Short"]
    assert titles(client.get("/browse/?duration=long")) == ["Fast Dear Long"]


def test_it_filters_and_paginates_like_browse(anon, client):
    for n in range(30):
        TrackFactory(genre="electronic" if n % 2 else "ambient", bpm=100 + n)
    body = anon.get("/api/v1/tracks?genre=electronic&bpm_min=110&per_page=5&page=2").json()
    assert body["total"] == 10 and body["page"] == 2 and body["pages"] == 2 and len(body["tracks"]) == 5
    assert all(t["genre"] == "electronic" and t["bpm"] >= 110 for t in body["tracks"])
    page = client.get("/browse/?genre=electronic&bpm_min=110")
    assert page.context["page"].paginator.count == body["total"]


def test_it_shows_only_published_tracks(anon):
    TrackFactory(status=Track.Status.HIDDEN)
    shown = TrackFactory()
    assert [t["id"] for t in anon.get("/api/v1/tracks").json()["tracks"]] == [shown.pk]


def test_it_sorts_by_newest_top_trending_and_votes(client):
    now = timezone.now()
    old = TrackFactory(title="Old Favourite", created_at=now - timedelta(days=30))
    new = TrackFactory(title="New Hope", created_at=now)
    TrackScore.objects.filter(track=old).update(score=50, trending_at_epoch=1, upvotes=60)
    TrackScore.objects.filter(track=new).update(score=5, trending_at_epoch=9, upvotes=6)
    assert titles(client.get("/browse/")) == ["New Hope", "Old Favourite"]
    assert titles(client.get("/browse/?sort=top")) == ["Old Favourite", "New Hope"]
    assert titles(client.get("/browse/?sort=trending")) == ["New Hope", "Old Favourite"]
    assert titles(client.get("/browse/?sort=votes")) == ["Old Favourite", "New Hope"]


def test_tracks_without_votes_sort_last_not_first(client):
    TrackFactory(title="Unvoted")
    voted = TrackFactory(title="Voted")
    TrackScore.objects.filter(track=voted).update(score=1, trending_at_epoch=1, upvotes=1)
    assert titles(client.get("/browse/?sort=top")) == ["Voted", "Unvoted"]


def test_it_shows_24_per_page_and_pages_through(client):
    TrackFactory.create_batch(30)
    first = client.get("/browse/")
    assert len(first.context["page"].object_list) == 24
    assert "30 tracks" in first.text
    assert 'rel="next"' in first.text
    second = client.get("/browse/?page=2")
    assert len(second.context["page"].object_list) == 6
    assert not set(titles(first)) & set(titles(second))


def test_facet_counts_ignore_their_own_selection(client):
    TrackFactory.create_batch(2, genre="jazz", moods=["chill"])
    TrackFactory(genre="rock", moods=["dark"])
    response = client.get("/browse/?genre=jazz")
    genre = dict((slug, count) for slug, _label, count, _checked in response.context["facets"][0][2])
    mood = dict((slug, count) for slug, _label, count, _checked in response.context["facets"][1][2])
    assert genre["jazz"] == 2 and genre["rock"] == 1  # other genres still counted
    assert mood["chill"] == 2 and mood["dark"] == 0  # moods counted within the chosen genre
    assert 'id="fc-genre-rock">1<' in response.text


def test_the_state_lives_in_the_query_string_and_the_form_shows_it(client):
    TrackFactory(genre="jazz")
    response = client.get("/browse/?genre=jazz&sort=top&view=list&bpm_min=90")
    assert 'name="genre" value="jazz" checked' in response.text
    assert '<option value="top" selected>' in response.text
    assert 'name="view" value="list" checked' in response.text
    assert 'value="90"' in response.text
    assert 'class="track-list track-list--browse"' in response.text
    assert 'aria-label="Remove filter Jazz"' in response.text


def test_an_htmx_request_gets_only_the_results_and_fresh_counts(client):
    TrackFactory(title="Jazz Cat", genre="jazz")
    response = client.get("/browse/?genre=jazz", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="results" id="results"')
    assert "Jazz Cat" in response.text
    assert 'data-hx-swap-oob="true"' in response.text
    assert "<html" not in response.text


def test_the_page_count_is_capped_instead_of_counting_the_whole_table():
    TrackFactory.create_batch(8)
    paginator = CappedPaginator(Track.objects.order_by("id"), per_page=2, max_pages=3)
    assert paginator.capped and paginator.num_pages == 3
    assert paginator.get_page(99).number == 3


def test_browse_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    TrackFactory.create_batch(40, genre="jazz")
    with django_assert_max_num_queries(10):
        client.get("/browse/?genre=jazz&mood=chill&sort=top&view=list")
    with django_assert_max_num_queries(6):  # facet counts and the page count come from Redis now
        client.get("/browse/?genre=jazz&mood=chill&sort=top&view=list&page=2")


def test_it_lists_in_a_bounded_number_of_queries(anon, django_assert_max_num_queries):
    TrackFactory.create_batch(24)
    with django_assert_max_num_queries(4):
        assert len(anon.get("/api/v1/tracks").json()["tracks"]) == 24


# --- Bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("junk", [
    "bpm_min=fast", "bpm_max=1e999", "price_min=NaN", "price_max=-1e99", "sort=sideways", "view=3d",
    "page=999999", "page=abc", "page=-1", "page=" + "9" * 40, "genre=" + "x" * 10_000, "mood=%00",
    "platform=nope", "q=" + "a" * 10_000, "duration=forever", "genre=jazz&genre=jazz", "q=%27%22%3C%3E%26",
    "q=!!!", "q=a%20%26%20%7C",
])
def test_junk_in_any_parameter_gives_a_normal_page(client, junk):
    TrackFactory.create_batch(3)
    response = client.get("/browse/?" + junk)
    assert response.status_code == 200
    assert "tracks" in response.text


def test_invalid_values_are_named_beside_their_field(client):
    response = client.get("/browse/?bpm_min=fast")
    assert "BPM from: Enter a whole number." in response.text


def test_it_rejects_a_bad_filter_naming_it(anon):
    response = anon.get("/api/v1/tracks?genre=polka")
    assert response.status_code == 400 and "genre" in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["Suno AI", "suno-ai", "SUNO AI"])
def test_tracks_filter_by_the_platform_name_or_slug(value):
    PlatformFactory()
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    on_suno = TrackFactory()
    TrackFactory(platform=udio, purchase_url="https://udio.com/songs/2")
    response = client_with().get("/api/v1/tracks", {"platform": value})
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["tracks"]] == [on_suno.pk]


@pytest.mark.django_db
def test_an_unknown_platform_is_a_400_naming_the_filter():
    response = client_with().get("/api/v1/tracks", {"platform": "Napster"})
    assert response.status_code == 400 and "platform" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_browse_still_filters_by_the_platform_slug(client):
    PlatformFactory()
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    TrackFactory(title="On Suno")
    TrackFactory(title="On Udio", platform=udio, purchase_url="https://udio.com/songs/3")
    page = client.get("/browse/", {"platform": "udio"}).text
    assert "On Udio" in page and "On Suno" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("params, field", [
    ({"page": "abc"}, "page"), ({"page": "0"}, "page"), ({"per_page": "lots"}, "per_page"),
    ({"per_page": "0"}, "per_page"), ({"per_page": "101"}, "per_page"),
])
def test_an_invalid_paging_parameter_is_a_400_naming_it(params, field):
    TrackFactory()
    response = client_with().get("/api/v1/tracks", params)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


@pytest.mark.django_db
def test_a_valid_page_size_is_honoured():
    TrackFactory.create_batch(3)
    body = client_with().get("/api/v1/tracks", {"per_page": "2", "page": "2"}).json()
    assert (len(body["tracks"]), body["page"], body["pages"], body["total"]) == (1, 2, 2, 3)
    assert Track.objects.count() == 3
