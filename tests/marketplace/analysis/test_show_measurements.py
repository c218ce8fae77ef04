"""What buyers, agents and creators see of the measurements: API fields, key filter, track page,
studio prefill and tempo warning, similar-by-sound. Analysis rows are written directly here; the
measuring itself is covered by test_analyse_preview and test_measure_audio."""

import pytest
from django.urls import reverse

from marketplace.analysis.models import TrackAnalysis
from marketplace.analysis.services import bpm_warning
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db

SOUND = [0.5] * 44


def measured(track, bpm=120.4, key="A minor", lufs=-9.3, features=SOUND):
    return TrackAnalysis.objects.create(
        track=track, status="done", bpm=bpm, bpm_confidence=0.9, key=key, loudness_lufs=lufs,
        normalised_lufs=-14.0, features=features,
    )


def test_the_api_track_object_carries_the_measured_values(anon):
    track = TrackFactory(bpm=118)
    measured(track)
    body = anon.get(f"/api/v1/tracks/{track.pk}").json()
    values = (body["bpm"], body["detected_bpm"], body["detected_key"], body["loudness_lufs"])
    assert values == (118, 120, "A minor", -9.3)


def test_an_unanalysed_track_has_null_measurements(anon):
    body = anon.get(f"/api/v1/tracks/{TrackFactory().pk}").json()
    assert body["detected_bpm"] is None and body["detected_key"] is None and body["loudness_lufs"] is None


def test_the_api_and_browse_filter_by_key(anon, client):
    minor, major = TrackFactory(title="Minor one"), TrackFactory(title="Major one")
    measured(minor, key="A minor")
    measured(major, key="C major")
    typed = TrackFactory(title="Typed one", key="A minor")
    ids = {t["id"] for t in anon.get("/api/v1/tracks", {"key": "A minor"}).json()["tracks"]}
    assert ids == {minor.pk, typed.pk}
    page = client.get("/browse/", {"key": "A minor"}).content.decode()
    assert "Minor one" in page and "Major one" not in page


def test_an_unknown_key_is_a_400_naming_the_field(anon):
    response = anon.get("/api/v1/tracks", {"key": "H minor"})
    assert response.status_code == 400
    assert "key" in response.json()["error"]["fields"]


def test_the_track_page_shows_loudness_and_detected_values(client):
    track = TrackFactory()
    measured(track)
    page = client.get(track.get_absolute_url()).content.decode()
    assert "-9.3 LUFS" in page and "120 BPM" in page and "A minor" in page


def test_the_creator_is_warned_when_the_typed_tempo_is_far_off(client, signed_in):
    track = TrackFactory(bpm=100)
    measured(track, bpm=120)
    signed_in(track.creator)
    assert "we measured about 120 BPM" in client.get(track.get_absolute_url()).content.decode()
    edit_page = client.get(reverse("marketplace:studio-edit", args=[track.pk])).content.decode()
    assert "we measured about 120 BPM" in edit_page


def test_half_or_double_time_or_a_close_tempo_is_no_warning():
    assert bpm_warning(60, 120.2) == bpm_warning(240, 120) == bpm_warning(128, 120.5) == ""
    assert bpm_warning(131, 120) != ""


def test_the_edit_form_prefills_a_blank_tempo_and_key_from_the_analysis(client, signed_in):
    track = TrackFactory(bpm=None)
    measured(track, bpm=97.6, key="F# major")
    signed_in(track.creator)
    form = client.get(reverse("marketplace:studio-edit", args=[track.pk])).context["form"]
    assert form.initial["bpm"] == 98 and form.initial["key"] == "F# major"


def test_similar_tracks_include_ones_that_sound_alike_in_another_genre(anon):
    track = TrackFactory(genre="electronic")
    measured(track)
    alike = TrackFactory(genre="rock", title="Sounds alike")
    measured(alike, features=[0.51] * 44)
    unlike = TrackFactory(genre="rock", title="Sounds unlike")
    measured(unlike, features=[3.0] * 44)
    response = anon.get(f"/api/v1/tracks/{track.pk}/similar")
    assert response.status_code == 200
    titles = [t["title"] for t in response.json()["tracks"]]
    assert titles.index("Sounds alike") < titles.index("Sounds unlike")


def test_similar_of_an_unknown_track_is_a_404(anon):
    assert anon.get("/api/v1/tracks/999999/similar").status_code == 404


def test_a_held_reupload_waits_in_the_moderation_list(admin_client):
    original = TrackFactory()
    copy = TrackFactory(status="pending")
    TrackAnalysis.objects.create(track=copy, status="done", duplicate_of=original, duplicate_bit_error=0.03)
    page = admin_client.get("/admin/marketplace/trackanalysis/", {"reupload": "held"}).content.decode()
    assert original.title in page and "0.03" in page


def test_the_dashboard_tells_the_creator_why_a_preview_is_unavailable(client, signed_in):
    track = TrackFactory(preview_problem="Preview unavailable: the file is not audio we can play")
    signed_in(track.creator)
    page = client.get(reverse("marketplace:dashboard")).content.decode()
    assert "the file is not audio we can play (hidden from listings)" in page
