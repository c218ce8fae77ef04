import html

import pytest

from marketplace.models import Track
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_the_embed_page_can_be_framed_and_other_pages_cannot(client):
    track = TrackFactory(title="Framed Tune", waveform=[10, 50, 100])

    embed = client.get(f"/embed/tracks/{track.pk}/")
    page = client.get(track.get_absolute_url())

    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert page["X-Frame-Options"] == "DENY"
    assert "Framed Tune" in embed.text
    assert 'data-peaks="10,50,100"' in embed.text


def test_the_track_page_offers_copyable_embed_code(client):
    track = TrackFactory(title='Say "Hi" & <Bye>')
    response = client.get(track.get_absolute_url())

    assert "Copy embed code" in response.text
    start = response.text.index("data-embed-code>") + len("data-embed-code>")
    code = html.unescape(response.text[start:response.text.index("</textarea>", start)])
    assert f'src="http://testserver/embed/tracks/{track.pk}/"' in code
    assert 'title="Say &quot;Hi&quot; &amp; &lt;Bye&gt; by' in code, "names stay escaped inside the copied HTML"


def test_a_hidden_or_unknown_track_has_no_embed(client):
    hidden = TrackFactory(title="Off Air", status=Track.Status.HIDDEN)
    response = client.get(f"/embed/tracks/{hidden.pk}/")
    assert response.status_code == 404
    assert "Off Air" not in response.text and "data-peaks" not in response.text
    assert client.get("/embed/tracks/987654/").status_code == 404


def test_the_player_can_fetch_a_tracks_peaks(client):
    track = TrackFactory(waveform=[1, 2, 3])
    response = client.get(f"/listen/tracks/{track.pk}/waveform/")
    assert response.json() == {"id": track.pk, "peaks": [1, 2, 3]}
    assert "max-age=300" in response["Cache-Control"]
    assert client.get("/listen/tracks/987654/waveform/").status_code == 404
