"""A buyer filters by what the licence allows, YouTube-safe and AI credits (/browse/ and GET /api/v1/tracks)."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.discovery.filters import TrackFilter
from marketplace.licensing.models import USE_CODES, Licence
from marketplace.models import Track
from tests.factories import CreatorFactory, TrackFactory
from tests.helpers import client_with

pytestmark = pytest.mark.django_db

terms = st.fixed_dictionaries({use: st.booleans() for use in USE_CODES})


@pytest.fixture
def seller():
    track = TrackFactory(creator__password=None)  # one creator and platform, shared by every example
    return track.creator, track.platform


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(licences=st.lists(terms, min_size=1, max_size=5), wanted=st.sets(st.sampled_from(USE_CODES)))
def test_every_use_filter_agrees_with_the_licence_terms(seller, licences, wanted):
    cache.clear()  # facet counts are cached per filter state, and every example reuses the states
    creator, platform = seller
    with transaction.atomic():
        made = [Licence.objects.create(code=f"random-{i}", name=f"Random {i}", badge="R", summary="-", **uses)
                for i, uses in enumerate(licences)]
        Track.objects.bulk_create([
            Track(creator=creator, platform=platform, title=f"T{i}", artist="A", genre="pop",
                  preview_url="https://cdn.example.test/p.mp3", purchase_url="https://suno.com/song/1", licence=lic)
            for i, lic in enumerate(made)
        ])
        query = QueryDict(mutable=True)
        query.setlist("use", sorted(wanted))
        filterset = TrackFilter(query, queryset=Track.objects.filter(licence__in=made))
        found = {track.licence.code for track in filterset.qs}
        expected = {lic.code for lic, uses in zip(made, licences, strict=True) if all(uses[u] for u in wanted)}
        assert found == expected
        counts = filterset.facet_counts(names=("use",))["use"]
        for use in USE_CODES:  # each count: what ticking that use as well would leave
            both = wanted | {use}
            assert counts.get(use, 0) == sum(all(uses[u] for u in both) for uses in licences)
        transaction.set_rollback(True)


def rights_catalogue():
    creator = CreatorFactory(password=None)
    creator_licence = Licence.objects.get(code="creator")
    TrackFactory(creator=creator, title="Safe Creator", licence=creator_licence, youtube_safe_attested=True,
                 ai_credits={"composition": "ai", "vocals": "ai"})
    TrackFactory(creator=creator, title="Claimed Creator", licence=creator_licence, youtube_safe_attested=True,
                 youtube_claim_upheld=True, ai_credits={"composition": "human", "vocals": "ai"})
    TrackFactory(creator=creator, title="Personal Only", licence=Licence.objects.get(code="personal"))
    TrackFactory(creator=creator, title="Sync Ready", licence=Licence.objects.get(code="sync-broadcast"),
                 ai_credits={"lyrics": "mixed"})


def titles(response):
    return sorted(track.title for track in response.context["page"].object_list)


def test_browse_filters_by_use_youtube_safe_and_ai_with_counts(client):
    rights_catalogue()
    assert titles(client.get("/browse/?use=online_monetised")) == ["Claimed Creator", "Safe Creator", "Sync Ready"]
    assert titles(client.get("/browse/?use=online_monetised&use=sync")) == ["Sync Ready"]
    response = client.get("/browse/?use=online_monetised&youtube_safe=1")
    assert titles(response) == ["Safe Creator"]  # an upheld claim takes the badge away
    assert titles(client.get("/browse/?ai=ai-native")) == ["Safe Creator"]
    assert titles(client.get("/browse/?ai=human-assisted")) == ["Claimed Creator", "Sync Ready"]
    page = client.get("/browse/").content.decode()
    assert 'id="fc-use-online_monetised">3<' in page and 'id="fc-youtube_safe-1">1<' in page
    assert 'id="fc-ai-human-assisted">2<' in page


def test_browse_explains_an_unknown_use_beside_the_filter(client):
    response = client.get("/browse/?use=piracy")
    assert response.status_code == 200
    assert "piracy is not one of the available choices" in response.content.decode()


def test_the_api_filters_the_same_way_and_names_a_bad_field():
    rights_catalogue()
    anon = client_with()
    answer = anon.get("/api/v1/tracks?use=online_monetised&youtube_safe=1").json()
    assert [t["title"] for t in answer["tracks"]] == ["Safe Creator"]
    assert answer["tracks"][0]["youtube_safe"] is True
    assert {t["title"] for t in anon.get("/api/v1/tracks?ai=human-assisted").json()["tracks"]} == {
        "Claimed Creator", "Sync Ready"}
    bad = anon.get("/api/v1/tracks?use=piracy&ai=robot")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"use", "ai"}
