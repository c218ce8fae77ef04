"""Bad or huge input is refused with a clear 4xx, never a 500 or an unbounded cost."""

import io
import struct
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.catalogue import validators
from tests import media_files

pytestmark = pytest.mark.django_db


def test_a_30_mb_json_body_is_a_413_in_the_error_shape(client):
    body = b'{"title": "' + b"x" * (30 * 1024 * 1024) + b'"}'
    response = client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large" and "body" in response.json()["error"]["fields"]


def test_a_huge_signed_postback_is_a_413_too(client):
    response = client.post("/api/v1/affiliate/postback", b"[" * (2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400_naming_the_body(client, depth):
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper" in response.json()["error"]["message"]


def test_a_6000_px_square_png_is_refused_before_it_is_decoded():
    upload = SimpleUploadedFile("huge.png", media_files.image_bytes(6000, 6000, "PNG"), content_type="image/png")
    started = time.process_time()
    with pytest.raises(Exception) as refused:
        validators.validate_cover(upload)
    assert "megapixels" in str(refused.value)
    assert time.process_time() - started < 0.3
    avatar = SimpleUploadedFile("a.png", media_files.image_bytes(2500, 2500, "PNG"), content_type="image/png")
    with pytest.raises(Exception, match="avatar"):
        validators.validate_avatar(avatar)


def test_re_encoded_images_keep_no_comment_or_metadata():
    image = Image.new("RGB", (400, 400), "purple")
    out = io.BytesIO()
    image.save(out, "JPEG", comment=b"secret-comment-from-the-camera")
    upload = SimpleUploadedFile("c.jpg", out.getvalue(), content_type="image/jpeg")
    stored = validators.reencode_image(upload, validators.COVER_STORED_SIDE).read()
    assert b"secret-comment" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert "comment" not in again.info and "exif" not in again.info and "icc_profile" not in again.info


def test_an_mp3_whose_header_lies_about_its_length_is_measured_by_its_frames():
    data = bytearray(media_files.preview(75, "long.mp3").read())
    xing = data.find(b"Xing")
    data[xing + 8:xing + 12] = struct.pack(">I", 400)  # "400 frames": about 10 s
    info = validators.inspect_preview(SimpleUploadedFile("long.mp3", bytes(data), content_type="audio/mpeg"))
    assert info.duration > 74  # so it is cut to a 30 s preview like any long upload
