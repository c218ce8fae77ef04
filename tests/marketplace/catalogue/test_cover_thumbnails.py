"""Cover thumbnails: an uploaded cover gets WebP copies at the widths pages show it, and every
cover <img> lists them in srcset with sizes, width, height and lazy loading (marketplace/catalogue/covers.py).
"""

import io
import re
import time
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image

from marketplace.catalogue import covers
from marketplace.models import Track
from tests import media_files
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory

IMG = re.compile(r"<img\b[^>]*>")


def attrs(tag):
    return {name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}


def srcset_urls(srcset):
    return [(url, int(width[:-1])) for url, width in (part.strip().split(" ") for part in srcset.split(","))]


def with_cover(name="cover.jpg", side=800, **fields):
    track = TrackFactory(**fields)
    track.cover.save(name, ContentFile(media_files.image_bytes(side, side)), save=False)
    Track.objects.filter(pk=track.pk).update(cover=track.cover.name)
    return track


def queued(callbacks):
    return sum("schedule_thumbnails" in callback.__qualname__ for callback in callbacks)


def render(source, **context):
    return Template("{% load covers %}" + source).render(Context(context))


def test_the_widths_stop_at_the_covers_own():
    assert covers.widths_for(600) == [96, 192, 320, 480, 600]  # a demo cover: its own width last
    assert covers.widths_for(1200) == [96, 192, 320, 480, 640, 960]  # a full-size upload: no copy past 960
    assert covers.widths_for(960) == [96, 192, 320, 480, 640, 960]
    assert covers.widths_for(64) == [64]


@pytest.mark.django_db
def test_thumbnails_are_webp_files_of_each_width_beside_the_cover():
    track = with_cover(side=800)
    made = covers.make_thumbnails(track)
    assert made == [96, 192, 320, 480, 640, 800]
    assert track.cover_thumbnails == {"of": track.cover.name, "widths": made}
    storage = track.cover.storage
    for width in made:
        name = covers.thumbnail_name(track.cover.name, width)
        assert name.startswith(track.cover.name.rsplit(".", 1)[0] + ".") and name.endswith(f".{width}w.webp")
        with storage.open(name) as handle, Image.open(io.BytesIO(handle.read())) as image:
            assert image.format == "WEBP" and image.size == (width, width)


@pytest.mark.django_db
def test_saving_a_new_cover_queues_its_thumbnails_once_and_the_worker_job_records_them(
        django_capture_on_commit_callbacks):
    track = TrackFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        track.cover.save("new.jpg", ContentFile(media_files.image_bytes(700, 700)), save=True)
    assert queued(callbacks) == 1  # Track.save queued make_cover_thumbnails
    assert covers.make_and_record(track.pk, track.cover.name) == [96, 192, 320, 480, 640, 700]
    track.refresh_from_db()
    assert covers.current(track) == [96, 192, 320, 480, 640, 700]
    with django_capture_on_commit_callbacks() as callbacks:
        track.title = "Renamed"
        track.save()
    assert queued(callbacks) == 0  # the thumbnails are of this cover already
    assert covers.make_and_record(track.pk, "covers/some/older.jpg") == []  # a stale job does nothing


@pytest.mark.django_db
def test_pages_use_thumbnails_only_of_the_present_cover():
    track = with_cover()
    covers.make_thumbnails(track)
    assert "srcset" in render('{% cover_img track "card" %}', track=track)
    track.cover.name = "covers/2026/01/replaced.jpg"  # changed some other way, thumbnails not made yet
    tag = render('{% cover_img track "card" %}', track=track)
    assert "srcset" not in tag and 'src="/media/covers/2026/01/replaced.jpg"' in tag


@pytest.mark.django_db
def test_a_cover_img_has_sizes_dimensions_and_loads_lazily_unless_it_leads_the_screen():
    track = with_cover(side=600)
    covers.make_thumbnails(track)
    lazy = attrs(render('{% cover_img track "card" %}', track=track))
    assert lazy["width"] == lazy["height"] == "300" and lazy["loading"] == "lazy" and lazy["alt"] == ""
    assert lazy["sizes"].startswith("(max-width: 720px)") and lazy["src"] == track.cover.url
    assert [w for _, w in srcset_urls(lazy["srcset"])] == [96, 192, 320, 480, 600]
    first = attrs(render('{% cover_img track "card" position=1 eager=4 %}', track=track))
    third = attrs(render('{% cover_img track "card" position=3 eager=4 %}', track=track))
    fifth = attrs(render('{% cover_img track "card" position=5 eager=4 %}', track=track))
    assert first["fetchpriority"] == "high" and "loading" not in first
    assert "loading" not in third and "fetchpriority" not in third
    assert fifth["loading"] == "lazy"
    row = attrs(render('{% cover_img track "row" css_class="track-row__cover" %}', track=track))
    assert row["sizes"] == "48px" and [w for _, w in srcset_urls(row["srcset"])] == [96, 192]  # enough for 3×
    detail = attrs(render('{% cover_img track "detail" alt="Cover" priority=True %}', track=track))
    assert detail["fetchpriority"] == "high" and "loading" not in detail and detail["width"] == "600"


@pytest.mark.django_db
def test_the_backfill_makes_the_missing_thumbnails_and_skips_unreadable_covers():
    done, missing = with_cover(), with_cover()
    covers.make_thumbnails(done)
    Track.objects.filter(pk=done.pk).update(cover_thumbnails=done.cover_thumbnails)
    broken = TrackFactory()
    broken.cover.save("broken.jpg", ContentFile(b"not an image"), save=False)
    Track.objects.filter(pk=broken.pk).update(cover=broken.cover.name)
    assert covers.backfill() == 1
    missing.refresh_from_db()
    broken.refresh_from_db()
    assert covers.current(missing) == [96, 192, 320, 480, 640, 800] and covers.current(broken) == []
    assert covers.backfill() == 0  # nothing left (the broken one stays without, and is not counted)


def wait_for_thumbnails(track, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        track.refresh_from_db()
        if covers.current(track):
            return covers.current(track)
        time.sleep(0.2)
    raise AssertionError("the worker made no thumbnails")


def test_an_uploaded_cover_gets_thumbnails_from_the_worker_that_the_pages_list_and_serve(
        live_worker, client):
    creator = CreatorFactory(display_name="Nova Drift")
    client.force_login(creator)
    suno = PlatformFactory()
    response = client.post("/dashboard/upload/", {
        "title": "Glass Harbour", "artist": "", "genre": "electronic", "moods": ["chill"], "bpm": "120",
        "platform": suno.pk, "purchase_url": "https://suno.com/song/glass", "price": "1.99",
        "preview_audio": media_files.preview(12), "cover": media_files.cover(width=1600, height=1600),
    })
    assert response.status_code == 302, response.content[:500]
    track = Track.objects.get(title="Glass Harbour")
    assert wait_for_thumbnails(track) == [96, 192, 320, 480, 640, 960]  # the stored cover is 1200 px
    client.logout()
    pages = ((track.get_absolute_url(), "(max-width: 720px) min("), ("/browse/", "(max-width: 720px) calc("))
    for path, sizes in pages:
        page = client.get(path).text
        tag = next(attrs(t) for t in IMG.findall(page) if track.cover.url in t)
        assert tag["sizes"].startswith(sizes), path
        for url, width in srcset_urls(tag["srcset"]):
            served = client.get(url)  # our media view, as the browser would ask it
            assert served.status_code == 200 and served["Content-Type"] == "image/webp", url
            body = b"".join(served.streaming_content) if served.streaming else served.content
            with Image.open(io.BytesIO(body)) as image:
                assert image.width == width, url

