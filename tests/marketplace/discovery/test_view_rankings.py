"""A buyer follows the charts (/, /trending/, /top/<period>/); an agent reads them (/api/v1/trending, /api/v1/top/…)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ToolFactory, TrackFactory
from voting import rankings
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


def scored(title, **scores):
    track = TrackFactory(title=title)
    TrackScore.objects.filter(track=track).update(**scores)
    return track


def test_top_lists_tracks_by_the_period_score_with_votes(client):
    scored("Weekly Winner", score_weekly=9, score=1, upvotes=9)
    scored("All-time Winner", score_weekly=1, score=99, upvotes=99)
    weekly = client.get("/top/weekly/")
    assert [t.title for _r, t, _m in weekly.context["ranked"]] == ["Weekly Winner", "All-time Winner"]
    assert "9 votes" in weekly.text
    alltime = client.get("/top/alltime/")
    assert [t.title for _r, t, _m in alltime.context["ranked"]][0] == "All-time Winner"


def test_rows_show_movement_since_yesterday(client):
    riser = scored("Riser", score_weekly=9)
    faller = scored("Faller", score_weekly=5)
    newcomer = scored("Newcomer", score_weekly=1)
    yesterday = timezone.localdate() - timedelta(days=1)
    rankings.record_rank_snapshot("weekly", [faller.pk, riser.pk], day=yesterday)
    response = client.get("/top/weekly/")
    assert "up 1 since yesterday" in response.text
    assert "down 1 since yesterday" in response.text
    moves = {t.pk: m for _r, t, m in response.context["ranked"]}
    assert moves[newcomer.pk] == ("new", 0)


def test_without_yesterdays_snapshot_no_movement_is_claimed(client):
    scored("Alone", score_weekly=1)
    response = client.get("/top/weekly/")
    assert "since yesterday" not in response.text


def test_trending_lists_tracks_and_tools(client):
    scored("Hot Now", trending_at_epoch=5)
    ToolFactory(name="Suno")
    response = client.get("/trending/")
    assert "Hot Now" in response.text and "Suno" in response.text


def test_trending_and_top_list_tracks_and_tools(anon):
    TrackFactory()
    ToolFactory()
    trending = anon.get("/api/v1/trending").json()
    assert set(trending) == {"tracks", "tools"} and len(trending["tools"]) == 1
    assert anon.get("/api/v1/top/weekly").json()["period"] == "weekly"
    assert anon.get("/api/v1/top/yearly").status_code == 404


def test_home_shows_trending_new_releases_tools_and_top_genres(client):
    scored("Hot Now", trending_at_epoch=5)
    TrackFactory(title="Brand New", genre="jazz")
    ToolFactory(name="Udio")
    text = client.get("/").text
    for expected in ["Hot Now", "Brand New", "Udio", "Top genres", "How it works", "/api/v1/docs"]:
        assert expected in text


def test_rankings_are_served_from_the_cache_between_refreshes(client, django_assert_max_num_queries):
    for i in range(50):
        scored(f"Track {i}", score_weekly=i, trending_at_epoch=i)
    client.get("/top/weekly/")
    with django_assert_max_num_queries(1):
        client.get("/top/weekly/")


@pytest.mark.parametrize("path", ["/", "/trending/", "/top/daily/", "/top/alltime/"])
def test_ranking_pages_run_a_bounded_number_of_queries(client, django_assert_max_num_queries, path):
    for i in range(30):
        scored(f"Track {i}", score_weekly=i, trending_at_epoch=i, score=i, score_daily=i)
    with django_assert_max_num_queries(8):
        client.get(path)


# --- Bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/top/yearly/", "/top/" + "x" * 5000 + "/", "/top/%00/"])
def test_unknown_periods_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "<title>Not found" in response.text
