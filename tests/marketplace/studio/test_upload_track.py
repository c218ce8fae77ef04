"""A creator uploads a track on the studio's upload page (/dashboard/upload/) or an agent posts it to the API.

Both go through marketplace.catalogue.services.publish_track and the shared upload validators.
"""

import io
import time
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from accounts.models import User
from marketplace.catalogue import services, validators
from marketplace.models import Platform, Track
from tests import media_files
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(signed_in):
    return signed_in(CreatorFactory(display_name="Nova Drift"))


@pytest.fixture
def suno():
    return PlatformFactory()


BRIEF_PAYLOAD = {
    "title": "Neon Rush",
    "genre": "electronic",
    "mood": "energetic",
    "platform": "Suno AI",
    "audio_url": "https://cdn1.suno.ai/neon-rush.mp3",
    "purchase_url": "https://suno.com/song/neon-rush?affiliate=aimusicstore",
    "price": "1.99",
}


def form_data(platform_obj, **overrides):
    data = {
        "title": "Midnight Dreams", "artist": "", "genre": "electronic", "moods": ["chill", "melodic"],
        "bpm": "120", "platform": platform_obj.pk, "purchase_url": "https://suno.com/song/123", "price": "1.99",
        "description": "A chill electronic track", "tags": "#ambient #chill electronic",
        "preview_url": "https://cdn.example.test/p.mp3",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data):
    return client.post("/dashboard/upload/", data)


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


# --- The track is published -----------------------------------------------------------------

def test_the_upload_form_labels_every_field_and_defaults_artist_and_price(client, creator, suno):
    response = client.get("/dashboard/upload/")
    form = response.context["form"]
    for name in form.fields:
        assert f'for="id_{name}' in response.text or name == "moods", name
    assert form.initial["artist"] == "Nova Drift"
    assert form.initial["price"] == "1.99"
    assert "Other" in response.text or Platform.objects.filter(slug="other").count() == 0


def test_a_creator_publishes_a_track_that_is_live_and_searchable_at_once(client, creator, suno):
    response = post(client, form_data(suno, preview_url=None, preview_audio=media_files.preview(12),
                                      cover=media_files.cover()))
    track = Track.objects.get(title="Midnight Dreams")
    assert response.status_code == 302 and response["Location"] == track.get_absolute_url()
    assert track.status == Track.Status.PUBLISHED and track.artist == "Nova Drift"
    assert track.tags == ["ambient", "chill", "electronic"] and track.moods == ["chill", "melodic"]
    assert track.preview_audio.name.endswith(".wav") and round(track.preview_duration) == 12
    assert client.get(track.get_absolute_url()).status_code == 200
    assert Track.objects.filter(search_vector="midnight").filter(pk=track.pk).exists()
    assert client.get("/browse/").text.count("Midnight Dreams") >= 1


def test_it_publishes_the_upload_bots_payload(api, creator):
    PlatformFactory()
    response = api.post("/api/v1/tracks", BRIEF_PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    track = Track.objects.get(pk=body["track_id"])
    assert track.creator == creator
    assert track.status == Track.Status.PUBLISHED
    assert track.moods == ["energetic"] and track.price == Decimal("1.99")
    assert body["mood"] == "energetic" and body["price"] == "1.99" and body["platform"] == "Suno AI"
    assert body["audio_url"] == "https://cdn1.suno.ai/neon-rush.mp3"
    assert api.get("/api/v1/tracks").json()["tracks"][0]["id"] == track.pk


def test_it_matches_the_platform_by_slug_in_any_case(api):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, "platform": "SUNO-AI"}, format="json")
    assert response.status_code == 201
    assert response.json()["platform"] == "Suno AI"
    assert Track.objects.get(pk=response.json()["track_id"]).platform.slug == "suno-ai"


def test_the_purchase_url_gets_our_affiliate_tag_once(client, creator, suno):
    post(client, form_data(suno, purchase_url="https://suno.com/song/9?ref=x"))
    post(client, form_data(suno, title="Tagged", purchase_url="https://suno.com/song/10?affiliate=aimusicstore"))
    assert Track.objects.get(title="Midnight Dreams").purchase_url == "https://suno.com/song/9?ref=x&affiliate=aimusicstore"
    assert Track.objects.get(title="Tagged").purchase_url == "https://suno.com/song/10?affiliate=aimusicstore"


def test_a_published_link_is_stored_with_our_tag_replacing_anothers(api, suno):
    response = api.post("/api/v1/tracks", {
        "title": "Tagged", "genre": "electronic", "platform": "Suno AI", "price": "1.99",
        "audio_url": "https://cdn.example.test/a.mp3", "purchase_url": "https://suno.com/song/9?affiliate=other",
    }, format="json")
    assert response.status_code == 201, response.json()
    stored = Track.objects.get(title="Tagged").purchase_url
    assert parse_qs(urlsplit(stored).query) == {"affiliate": ["aimusicstore"]}


def test_the_cover_is_reencoded_small_and_without_exif(client, creator, suno):
    upload = media_files.cover("cover.jpg", width=3000, height=2000, exif=True)
    assert b"SecretCam" in upload.read()
    upload.seek(0)
    post(client, form_data(suno, cover=upload))
    track = Track.objects.get()
    data = track.cover.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and max(image.size) == validators.COVER_STORED_SIDE
        assert not image.getexif()
    assert b"SecretCam" not in data


@pytest.mark.parametrize("name", ["cover.png", "cover.webp"])
def test_png_and_webp_covers_are_accepted(client, creator, suno, name):
    response = post(client, form_data(suno, cover=media_files.cover(name)))
    track = Track.objects.get()
    assert response.status_code == 302 and response["Location"] == track.get_absolute_url()
    assert track.cover.name.endswith(".jpg")  # re-encoded as JPEG whatever came in


@pytest.mark.parametrize("name", ["p.mp3", "p.ogg", "p.flac", "p.wav"])
def test_every_audio_format_is_accepted_as_a_preview(client, creator, suno, name):
    response = post(client, form_data(suno, preview_url=None, preview_audio=media_files.preview(8, name)))
    assert response.status_code == 302
    assert Track.objects.get().preview_audio.name.endswith(name[1:])


def test_a_long_uploaded_preview_is_cut_to_30_seconds_by_celery(live_worker, client):
    creator = CreatorFactory()
    client.force_login(creator)
    platform = PlatformFactory()
    response = client.post("/dashboard/upload/", {
        "title": "Long One", "genre": "ambient", "platform": platform.pk, "purchase_url": "https://suno.com/s/1",
        "price": "1.99", "preview_audio": media_files.preview(75, "long.mp3"),
    })
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        track = Track.objects.get(title="Long One")
        if track.preview_duration and track.preview_duration <= 30.5:
            break
        time.sleep(0.3)
    import mutagen

    with track.preview_audio.open("rb") as fh:
        audio = mutagen.File(fh)
    assert 29 <= audio.info.length <= 31 and track.preview_audio.name.endswith(".mp3")


def test_other_platforms_take_any_https_url_but_wait_for_buy_approval(client, creator):
    other = Platform.objects.create(name="Other", slug="other", domains=[], requires_approval=True)
    post(client, form_data(other, purchase_url="https://my-shop.example/track"))
    track = Track.objects.get()
    assert track.status == Track.Status.PUBLISHED and track.buy_approved is False


def test_a_buyer_who_uploads_becomes_a_creator(client, suno):
    buyer = UserFactory()
    client.force_login(buyer)
    post(client, form_data(suno))
    buyer.refresh_from_db()
    assert buyer.role == User.Role.CREATOR


def test_publish_track_is_callable_without_a_form(suno):
    creator = CreatorFactory()
    track = services.publish_track(creator, {
        "title": "From an agent", "genre": "ambient", "platform": suno, "purchase_url": "https://suno.com/s/1",
        "preview_url": "https://cdn.example.test/a.mp3", "price": Decimal("2.50"),
    })
    assert track.artist == creator.name and track.purchase_url.endswith("affiliate=aimusicstore")


# --- Who may upload ---------------------------------------------------------------------------

def test_the_upload_page_asks_visitors_to_log_in(client):
    response = client.get("/dashboard/upload/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_requires_a_key(anon):
    PlatformFactory()
    response = anon.post("/api/v1/tracks", BRIEF_PAYLOAD, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_free_creators_hit_their_upload_limit_with_a_clear_message(client, creator, suno):
    for _ in range(10):
        TrackFactory(creator=creator, platform=suno)
    response = post(client, form_data(suno))
    assert response.status_code == 200
    assert "allows 10 uploads every 30 days" in response.text
    User.objects.filter(pk=creator.pk).update(tier=User.Tier.PRO)
    assert post(client, form_data(suno)).status_code == 302


# --- Every validation rule, with real bad input ----------------------------------------------

def test_a_truncated_jpeg_is_refused_beside_the_cover_field(client, creator, suno):
    response = post(client, form_data(suno, cover=media_files.truncated_jpeg()))
    assert response.status_code == 200
    assert "damaged or truncated" in field_errors(response, "cover")[0]
    assert not Track.objects.exists()


def test_an_svg_renamed_png_is_refused(client, creator, suno):
    response = post(client, form_data(suno, cover=media_files.svg_named_png()))
    assert "not a readable JPEG, PNG or WebP" in field_errors(response, "cover")[0]


def test_a_20000_px_image_is_refused(client, creator, suno):
    response = post(client, form_data(suno, cover=media_files.huge_image()))
    assert field_errors(response, "cover") == ["Cover art is 20000×60 px; at most 6000 px a side."]


def test_a_cover_over_10_mb_is_refused(client, creator, suno):
    upload = media_files.cover()
    upload.size = validators.COVER_MAX_BYTES + 1
    with pytest.raises(ValidationError, match="at most 10 MB"):
        validators.validate_cover(upload)


def test_a_gif_cover_is_refused(client, creator, suno):
    from django.core.files.uploadedfile import SimpleUploadedFile

    gif = SimpleUploadedFile("c.gif", media_files.image_bytes(50, 50, fmt="GIF"))
    response = post(client, form_data(suno, cover=gif))
    assert "must be a JPEG, PNG or WebP" in field_errors(response, "cover")[0]


def test_a_text_file_named_mp3_is_refused(client, creator, suno):
    response = post(client, form_data(suno, preview_url=None, preview_audio=media_files.text_named_mp3()))
    assert "not a readable MP3, OGG, WAV or FLAC" in field_errors(response, "preview_audio")[0]
    assert not Track.objects.exists()


def test_a_preview_shorter_than_5_seconds_is_refused(client, creator, suno):
    response = post(client, form_data(suno, preview_url=None, preview_audio=media_files.preview(3)))
    assert "at least 5 s" in field_errors(response, "preview_audio")[0]


def test_a_preview_longer_than_120_seconds_is_refused(client, creator, suno):
    response = post(client, form_data(suno, preview_url=None, preview_audio=media_files.preview(125, "p.flac")))
    assert "at most 120 s" in field_errors(response, "preview_audio")[0]


def test_a_preview_over_20_mb_is_refused():
    upload = media_files.preview(6)
    upload.size = validators.PREVIEW_MAX_BYTES + 1
    with pytest.raises(ValidationError, match="at most 20 MB"):
        validators.validate_preview(upload)


def test_a_track_needs_a_preview_file_or_url(client, creator, suno):
    response = post(client, form_data(suno, preview_url=None))
    assert field_errors(response, "preview_audio") == ["Upload a preview file or give a preview URL."]


@pytest.mark.parametrize("field", ["title", "genre", "platform", "purchase_url", "price"])
def test_required_fields_are_explained(client, creator, suno, field):
    response = post(client, form_data(suno, **{field: ""}))
    assert field_errors(response, field) == ["This field is required."]


@pytest.mark.parametrize("field", ["purchase_url", "preview_url"])
def test_urls_must_be_https(client, creator, suno, field):
    response = post(client, form_data(suno, **{field: "http://suno.com/song/1"}))
    assert "https://" in field_errors(response, field)[0]


def test_the_purchase_url_must_be_on_the_chosen_platform(client, creator, suno):
    response = post(client, form_data(suno, purchase_url="https://evil.example/suno.com"))
    assert "not on Suno AI" in field_errors(response, "purchase_url")[0]
    response = post(client, form_data(suno, purchase_url="https://www.suno.com/song/1"))
    assert response.status_code == 302


@pytest.mark.parametrize("price,ok", [("0.49", False), ("0.50", True), ("999.99", True), ("1000", False),
                                      ("-1", False), ("abc", False)])
def test_price_must_be_between_50_cents_and_999_99(client, creator, suno, price, ok):
    response = post(client, form_data(suno, price=price))
    assert (response.status_code == 302) is ok
    if not ok:
        assert field_errors(response, "price")


@pytest.mark.parametrize("bpm,ok", [("19", False), ("20", True), ("300", True), ("301", False), ("", True)])
def test_bpm_must_be_between_20_and_300(client, creator, suno, bpm, ok):
    response = post(client, form_data(suno, bpm=bpm))
    assert (response.status_code == 302) is ok
    if not ok:
        assert field_errors(response, "bpm") == ["BPM must be between 20 and 300."]


def test_it_names_each_bad_field(api):
    PlatformFactory()
    payload = {**BRIEF_PAYLOAD, "purchase_url": "https://evil.example/song", "audio_url": "http://cdn.test/a.mp3",
               "price": "0.10", "bpm": 900, "genre": "polka"}
    response = api.post("/api/v1/tracks", payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) >= {"audio_url", "price", "bpm", "genre"}
    assert Track.objects.count() == 0


def test_it_rejects_a_purchase_url_off_the_platforms_domain(api):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, "purchase_url": "https://evil.example/x"}, format="json")
    assert response.status_code == 400
    assert "suno.com" in response.json()["error"]["fields"]["purchase_url"][0]


def test_it_rejects_an_unknown_platform(api):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, "platform": "Napster"}, format="json")
    assert response.status_code == 400
    assert "Suno AI" in response.json()["error"]["fields"]["platform"][0]


def test_it_answers_malformed_json_with_the_error_shape(api):
    response = api.generic("POST", "/api/v1/tracks", '{"title": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
