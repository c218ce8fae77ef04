from decimal import Decimal

from django.utils import timezone

from marketplace.purchases.services import record_sale
from marketplace.studio.services import bump_daily
from tests.factories import CreatorFactory, TrackFactory
from voting.models import Vote


def test_it_totals_views_plays_votes_clicks_and_money(api, creator):
    track = TrackFactory(creator=creator)
    other = TrackFactory()
    bump_daily(track.pk, views=7, plays=3, clicks=2)
    bump_daily(other.pk, views=100)
    Vote.objects.create(voter=CreatorFactory(), track=track, value=1)
    record_sale(track, "order-1", Decimal("1.99"))
    record_sale(track, "order-2", Decimal("3.33"))
    body = api.get("/api/v1/me/analytics").json()
    assert (body["views"], body["plays"], body["clicks"], body["votes"], body["sales"]) == (7, 3, 2, 1, 2)
    assert body["revenue"] == "5.32"
    assert Decimal(body["commission"]) + Decimal(body["earnings"]) == Decimal(body["revenue"])
    today = body["daily"][-1]
    assert today["date"] == timezone.localdate().isoformat() and today["views"] == 7 and today["revenue"] == "5.32"
    assert len(body["daily"]) == 30


def test_it_takes_a_number_of_days(api):
    assert len(api.get("/api/v1/me/analytics?days=7").json()["daily"]) == 7
    response = api.get("/api/v1/me/analytics?days=0")
    assert response.status_code == 400 and "days" in response.json()["error"]["fields"]


def test_my_tracks_lists_only_mine_with_their_status(api, creator):
    TrackFactory(creator=creator, status="hidden")
    TrackFactory()
    body = api.get("/api/v1/me/tracks").json()
    assert body["total"] == 1 and body["tracks"][0]["status"] == "hidden"


def test_it_requires_a_key(anon):
    assert anon.get("/api/v1/me/analytics").status_code == 401
