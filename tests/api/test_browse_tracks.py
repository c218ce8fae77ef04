from marketplace.models import Track
from tests.factories import ToolFactory, TrackFactory


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


def test_it_rejects_a_bad_filter_naming_it(anon):
    response = anon.get("/api/v1/tracks?genre=polka")
    assert response.status_code == 400 and "genre" in response.json()["error"]["fields"]


def test_a_track_object_has_the_contract_fields(anon):
    track = TrackFactory(moods=["epic", "dark"], price="12.5")
    body = anon.get(f"/api/v1/tracks/{track.pk}").json()
    assert body["price"] == "12.50" and body["mood"] == "epic" and body["moods"] == ["epic", "dark"]
    assert body["platform"] == "Suno AI" and body["score"] == 0 and body["vote_count"] == 0
    assert body["url"].startswith("http://testserver/tracks/")
    expected = {"id", "title", "artist", "genre", "bpm", "audio_url", "cover_url", "purchase_url", "created_at"}
    assert expected <= set(body)


def test_it_lists_in_a_bounded_number_of_queries(anon, django_assert_max_num_queries):
    TrackFactory.create_batch(24)
    with django_assert_max_num_queries(4):
        assert len(anon.get("/api/v1/tracks").json()["tracks"]) == 24


def test_trending_and_top_list_tracks_and_tools(anon):
    TrackFactory()
    ToolFactory()
    trending = anon.get("/api/v1/trending").json()
    assert set(trending) == {"tracks", "tools"} and len(trending["tools"]) == 1
    assert anon.get("/api/v1/top/weekly").json()["period"] == "weekly"
    assert anon.get("/api/v1/top/yearly").status_code == 404


def test_tools_list_and_detail(anon):
    tool = ToolFactory(name="Suno")
    assert anon.get("/api/v1/tools").json()["tools"][0]["name"] == "Suno"
    assert anon.get(f"/api/v1/tools/{tool.pk}").json()["id"] == tool.pk
