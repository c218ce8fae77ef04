"""A creator reads the analytics of their tracks: the studio page, its CSV export and the API's /me/analytics."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import TrackReferrerDaily
from marketplace.purchases.services import record_purchase_click, record_sale
from marketplace.studio.services import bump_daily
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(own_track_titled):
    return own_track_titled("Counted")


# --- Totals, charts and sources ---------------------------------------------------------------

def test_analytics_show_totals_charts_top_tracks_and_sources(client, track):
    bump_daily(track.pk, views=40, plays=12)
    bump_daily(track.pk, day=timezone.localdate() - timedelta(days=20), views=5, plays=1)
    Vote.objects.create(voter=UserFactory(), track=track, value=1)
    TrackReferrerDaily.objects.create(track=track, day=timezone.localdate(), domain="reddit.com", views=9)
    record_sale(track, "o-1", "10.00", click=record_purchase_click(track))
    response = client.get("/dashboard/analytics/?range=7")
    totals = response.context["totals"]
    assert (totals["views"], totals["plays"], totals["votes"], totals["clicks"], totals["sales"]) == (40, 12, 1, 1, 1)
    assert str(totals["earnings"]) == "8.00"
    assert response.text.count("<svg class=\"chart__svg\"") == 6 and "<polyline" in response.text
    assert "reddit.com" in response.text and "Counted" in response.text
    assert client.get("/dashboard/analytics/?range=30").context["totals"]["views"] == 45


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


def test_analytics_export_as_csv(client, track):
    bump_daily(track.pk, views=3, plays=2)
    response = client.get("/dashboard/analytics.csv?range=7")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 7 and rows[-1]["day"] == timezone.localdate().isoformat()
    assert rows[-1]["views"] == "3" and rows[-1]["plays"] == "2" and rows[-1]["earnings"] == "0.00"


def test_analytics_run_a_bounded_number_of_queries(client, track, django_assert_max_num_queries):
    for _ in range(10):
        bump_daily(TrackFactory(creator=track.creator).pk, views=1)
    with django_assert_max_num_queries(10):
        client.get("/dashboard/analytics/?range=90")


# --- Whose analytics ---------------------------------------------------------------------------

def test_analytics_show_only_my_tracks(client, track):
    other = TrackFactory(creator=CreatorFactory())
    bump_daily(other.pk, views=99)
    assert client.get("/dashboard/analytics/").context["totals"]["views"] == 0


def test_analytics_ask_visitors_to_log_in(client):
    client.logout()
    for path in ("/dashboard/analytics/", "/dashboard/analytics.csv"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"


def test_it_requires_a_key(anon):
    response = anon.get("/api/v1/me/analytics")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


# --- Bad input ---------------------------------------------------------------------------------

def test_an_unknown_range_falls_back_to_30_days(client, track):
    assert client.get("/dashboard/analytics/?range=abc").context["days"] == 30


def test_it_takes_a_number_of_days(api):
    assert len(api.get("/api/v1/me/analytics?days=7").json()["daily"]) == 7
    response = api.get("/api/v1/me/analytics?days=0")
    assert response.status_code == 400 and "days" in response.json()["error"]["fields"]
