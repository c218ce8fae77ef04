"""A creator looks over their tracks: the studio dashboard (/dashboard/) and the API's /me/tracks."""

from decimal import Decimal

import pytest

from marketplace.models import PurchaseClick
from marketplace.purchases.services import record_purchase_click, record_sale
from marketplace.studio.services import bump_daily
from tests.factories import CreatorFactory, TrackFactory
from voting.services import recompute_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(signed_in):
    return signed_in(CreatorFactory())


def rows(response):
    return [t.title for t in response.context["tracks"]]


def test_the_studio_lists_my_tracks_with_their_numbers(client, creator):
    track = TrackFactory(creator=creator, title="Mine", price=Decimal("5.00"))
    TrackFactory(title="Someone else's")
    bump_daily(track.pk, plays=7, views=20)
    click = record_purchase_click(track)
    record_sale(track, "o-1", "5.00", click=click)
    response = client.get("/dashboard/")
    assert rows(response) == ["Mine"]
    row = response.context["tracks"][0]
    assert (row.total_plays, row.total_clicks, row.total_sales, row.total_earnings) == (7, 1, 1, Decimal("4.00"))
    assert "$4.00" in response.text and "Published" in response.text


def test_my_tracks_lists_only_mine_with_their_status(api, creator):
    TrackFactory(creator=creator, status="hidden")
    TrackFactory()
    body = api.get("/api/v1/me/tracks").json()
    assert body["total"] == 1 and body["tracks"][0]["status"] == "hidden"


def test_the_studio_searches_and_sorts(client, creator):
    a = TrackFactory(creator=creator, title="Alpha Song", tags=["lofi"])
    TrackFactory(creator=creator, title="Beta Song")
    bump_daily(a.pk, plays=3)
    assert rows(client.get("/dashboard/?q=alpha")) == ["Alpha Song"]
    assert rows(client.get("/dashboard/?q=%23lofi")) == ["Alpha Song"]
    assert rows(client.get("/dashboard/?sort=title")) == ["Alpha Song", "Beta Song"]
    assert rows(client.get("/dashboard/?sort=-title")) == ["Beta Song", "Alpha Song"]
    assert rows(client.get("/dashboard/?sort=-plays")) == ["Alpha Song", "Beta Song"]
    assert client.get("/dashboard/?sort=bogus").status_code == 200


def test_the_studio_runs_a_bounded_number_of_queries(client, creator, django_assert_max_num_queries):
    for _ in range(25):
        track = TrackFactory(creator=creator)
        PurchaseClick.objects.create(track=track)
    recompute_scores()
    with django_assert_max_num_queries(8):
        response = client.get("/dashboard/")
    assert len(response.context["tracks"]) == 25


def test_the_studio_shows_the_tier_and_upload_allowance(client, creator):
    TrackFactory(creator=creator)
    assert "1 of 10 uploads used" in client.get("/dashboard/").text
