import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@pytest.fixture
def stored_file():
    name = default_storage.save("previews/range-test.mp3", ContentFile(bytes(range(256)) * 4))
    yield f"/media/{name}"
    default_storage.delete(name)


def body(response):
    return b"".join(response.streaming_content)


def test_a_plain_get_answers_the_whole_file_and_advertises_ranges(client, stored_file):
    response = client.get(stored_file)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert len(body(response)) == 1024


def test_a_byte_range_answers_206_with_just_those_bytes(client, stored_file):
    response = client.get(stored_file, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/1024"
    assert response["Content-Length"] == "10"
    assert response["Content-Type"] == "audio/mpeg"
    assert body(response) == bytes(range(10, 20))


def test_open_ended_and_suffix_ranges_reach_the_end(client, stored_file):
    open_ended = client.get(stored_file, HTTP_RANGE="bytes=1000-")
    assert open_ended["Content-Range"] == "bytes 1000-1023/1024" and len(body(open_ended)) == 24
    suffix = client.get(stored_file, HTTP_RANGE="bytes=-4")
    assert suffix["Content-Range"] == "bytes 1020-1023/1024" and body(suffix) == bytes([252, 253, 254, 255])
    past_end = client.get(stored_file, HTTP_RANGE="bytes=1020-5000")
    assert past_end["Content-Range"] == "bytes 1020-1023/1024"


@pytest.mark.parametrize("header", ["bytes=2000-", "bytes=9-3", "bytes=-", "lines=1-2", "bytes=0-1,5-6"])
def test_an_unsatisfiable_range_is_416(client, stored_file, header):
    response = client.get(stored_file, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_a_missing_file_is_404(client):
    for headers in ({}, {"HTTP_RANGE": "bytes=0-10"}):
        response = client.get("/media/previews/nope.mp3", **headers)
        assert response.status_code == 404
        assert "Content-Range" not in response and response["Content-Type"].startswith("text/html")


def test_a_path_escaping_media_is_refused(client):
    for headers in ({}, {"HTTP_RANGE": "bytes=0-10"}):
        response = client.get("/media/../aimusicstore/settings.py", **headers)
        assert response.status_code in (400, 404)
        assert b"SECRET_KEY" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.fixture
def production_urls(settings):
    """The URLconf as `make serve` builds it: DEBUG and TESTING off."""
    import importlib

    import aimusicstore.urls

    settings.DEBUG = settings.TESTING = False
    importlib.reload(aimusicstore.urls)
    yield
    settings.TESTING = True
    importlib.reload(aimusicstore.urls)


def test_make_serve_serves_local_media_with_ranges(client, stored_file, production_urls):
    response = client.get(stored_file, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and body(response) == bytes(range(10))


def test_media_on_object_storage_is_not_served_here(client, stored_file, settings):
    settings.SERVE_MEDIA = False
    assert client.get(stored_file).status_code == 404
