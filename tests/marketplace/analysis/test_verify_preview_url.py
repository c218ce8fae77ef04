"""An external preview URL is fetched once, only from known platforms' public hosts, and must be audio.

A local HTTP server stands in for the platform (tests never leave the machine); the settings widen
the scheme and host allow-lists for it, as production never does.
"""

import http.server
import threading

import pytest

from marketplace.analysis import fetch, services
from marketplace.analysis.models import TrackAnalysis
from marketplace.models import Track
from tests.factories import TrackFactory
from tests.marketplace.analysis import sounds

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def platform_server():
    audio_bytes = sounds.mp3(sounds.demo_clip(2)[2])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/not-audio.html":
                body, kind = b"<!doctype html><title>Not audio</title><p>Hello", "text/html"
            elif self.path == "/preview.mp3":
                body, kind = audio_bytes, "audio/mpeg"
            elif self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "http://elsewhere.example.test/preview.mp3")
                self.end_headers()
                return
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def local_platform(settings):
    """Let the fetcher reach the local server by name, as it would a platform's CDN."""
    settings.AUDIO_FETCH_SCHEMES = ("https", "http")
    settings.AUDIO_PREVIEW_HOSTS = ("localhost",)
    return settings


def test_it_marks_a_non_audio_url_preview_unavailable_with_the_reason(platform_server, local_platform):
    local_platform.AUDIO_FETCH_ALLOWED_NETWORKS = ("127.0.0.0/8",)
    track = TrackFactory(preview_url=f"{platform_server}/not-audio.html")
    analysis = services.analyse_track(track.pk)
    track.refresh_from_db()
    assert analysis.status == TrackAnalysis.Status.UNAVAILABLE
    assert "not audio" in track.preview_problem
    assert not Track.objects.published().filter(pk=track.pk).exists()  # hidden from listings


def test_it_refuses_a_host_that_resolves_to_a_private_address(platform_server, local_platform):
    track = TrackFactory(preview_url=f"{platform_server}/preview.mp3")
    services.analyse_track(track.pk)
    track.refresh_from_db()
    assert "private or loopback address" in track.preview_problem


def test_it_analyses_a_playable_url_and_serves_the_normalised_copy(platform_server, local_platform):
    local_platform.AUDIO_FETCH_ALLOWED_NETWORKS = ("127.0.0.0/8",)
    track = TrackFactory(preview_url=f"{platform_server}/preview.mp3", preview_problem="Preview unavailable: old")
    analysis = services.analyse_track(track.pk)
    track.refresh_from_db()
    assert analysis.status == TrackAnalysis.Status.DONE and analysis.bpm
    assert track.preview_problem == ""
    assert track.audio_url == track.preview_normalised.url


def test_it_follows_no_redirect_off_the_allow_list(platform_server, local_platform):
    local_platform.AUDIO_FETCH_ALLOWED_NETWORKS = ("127.0.0.0/8",)
    with pytest.raises(fetch.Refused, match="not a music platform"):
        fetch.fetch(f"{platform_server}/moved")


def test_it_refuses_a_preview_over_the_size_cap(platform_server, local_platform):
    local_platform.AUDIO_FETCH_ALLOWED_NETWORKS = ("127.0.0.0/8",)
    local_platform.AUDIO_FETCH_MAX_BYTES = 1000
    with pytest.raises(fetch.Refused, match="larger than"):
        fetch.fetch(f"{platform_server}/preview.mp3")


@pytest.mark.parametrize("url, reason", [
    ("http://cdn.example.test/a.mp3", "must start with https"),
    ("https://files.unknown-host.test/a.mp3", "not a music platform"),
])
def test_production_rules_refuse_plain_http_and_unknown_hosts(url, reason):
    with pytest.raises(fetch.Refused, match=reason):
        fetch.fetch(url)
